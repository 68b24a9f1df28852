"""A PLG's themes page: proposals, the vote, its results, fixing the themes of meetings 2-5,
and the change-theme page of a meeting."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import (
    ChangeKind,
    MeetingChange,
    MeetingStatus,
    Theme,
    ThemeProposal,
    ThemeVote,
)
from meetings.services import themes as services
from tests.factories import MembershipFactory, UserFactory
from tests.personas import OUTSIDERS, SIGNED_IN
from tests.personas import SEES_PLG as SEES

MEMBERS = {"participant", "teacher_leader", "development_team"}
MANAGES = {"teacher_leader", "school_admin"}


def _themes_url(world) -> str:
    return reverse("meetings:themes", kwargs={"pk": world.community.pk})


def _url(name: str, world, proposal=None) -> str:
    kwargs = {"pk": world.community.pk}
    if proposal is not None:
        kwargs["proposal_pk"] = proposal.pk
    return reverse(f"meetings:{name}", kwargs=kwargs)


def _meeting_theme_url(meeting) -> str:
    return reverse("meetings:meeting_theme", kwargs={"pk": meeting.pk})


def _propose(world, author, title="Feedback geven"):
    return services.theme_proposal_create(
        community=world.community, author=author, title=title, why=f"Waarom {title}", example=""
    )


def _proposal(world, participant):
    return _propose(world, participant)


def _voters(world, count: int) -> list:
    users = [UserFactory() for _ in range(count)]
    for user in users:
        MembershipFactory(community=world.community, user=user, is_participant=True)
    return users


def _fix_data(meetings, **by_number) -> dict[str, str]:
    data = {f"meeting_{m.number}": "" for m in meetings if 2 <= m.number <= 5}
    data.update({f"meeting_{number[1:]}": value for number, value in by_number.items()})
    return data


# Who sees the page and who acts on it.


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_themes_page_is_shown_to_everyone_who_sees_the_plg(client_as, world, persona) -> None:
    response = client_as(persona).get(_themes_url(world))

    assert response.status_code == (200 if persona in SEES else 404)


def test_anonymous_visitor_of_the_themes_page_is_sent_to_sign_in(client, world) -> None:
    response = client.get(_themes_url(world))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_plg_page_links_to_the_themes_page(client_as, world) -> None:
    response = client_as("participant").get(
        reverse("communities:detail", kwargs={"pk": world.community.pk})
    )

    assert _themes_url(world) in response.content.decode()


@pytest.mark.parametrize("persona", sorted(SEES))
def test_only_group_members_get_the_proposal_form(client_as, world, persona) -> None:
    page = client_as(persona).get(_themes_url(world)).content.decode()

    assert (_url("theme_propose", world) in page) == (persona in MEMBERS)


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_group_members_propose_themes(client_as, world, persona) -> None:
    response = client_as(persona).post(
        _url("theme_propose", world), {"title": "Pesten", "why": "Het speelt in 2B."}
    )

    proposed = ThemeProposal.objects.filter(community=world.community).exists()
    if persona in MEMBERS:
        assert response.status_code == 302
        assert proposed
    else:
        assert response.status_code == 404
        assert not proposed


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_group_members_vote(client_as, world, participant, persona) -> None:
    proposal = _proposal(world, participant)

    response = client_as(persona).post(_url("theme_vote", world, proposal))

    voted = ThemeVote.objects.filter(proposal=proposal).exists()
    if persona in MEMBERS:
        assert response.status_code == 302
        assert voted
    else:
        assert response.status_code == 404
        assert not voted


def test_expert_gets_no_vote_buttons(client_as, world, participant) -> None:
    proposal = _proposal(world, participant)

    page = client_as("expert").get(_themes_url(world)).content.decode()

    assert proposal.title in page
    assert _url("theme_vote", world, proposal) not in page


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_teacher_leaders_and_school_admins_close_the_vote(client_as, world, persona):
    response = client_as(persona).post(_url("theme_voting_close", world))

    closed = world.community.__class__.objects.get(pk=world.community.pk)
    voting = getattr(closed, "theme_voting", None)
    if persona in MANAGES:
        assert response.status_code == 302
        assert voting is not None and not voting.is_open
    else:
        assert response.status_code == 404
        assert voting is None or voting.is_open


@pytest.mark.parametrize("persona", sorted(SEES))
def test_close_button_is_shown_only_to_managers(client_as, world, persona) -> None:
    page = client_as(persona).get(_themes_url(world)).content.decode()

    assert (_url("theme_voting_close", world) in page) == (persona in MANAGES)


def test_teacher_leader_reopens_the_vote(client_as, world, teacher_leader) -> None:
    services.theme_voting_close(community=world.community, actor=teacher_leader)

    response = client_as("teacher_leader").post(_url("theme_voting_reopen", world))

    assert response.status_code == 302
    world.community.theme_voting.refresh_from_db()
    assert world.community.theme_voting.is_open


@pytest.mark.parametrize("persona", ["participant", "team_leader", "expert", *OUTSIDERS])
def test_others_cannot_reopen_the_vote(client_as, world, teacher_leader, persona) -> None:
    services.theme_voting_close(community=world.community, actor=teacher_leader)

    response = client_as(persona).post(_url("theme_voting_reopen", world))

    assert response.status_code == 404
    world.community.theme_voting.refresh_from_db()
    assert not world.community.theme_voting.is_open


@pytest.mark.parametrize(
    "name", ["theme_propose", "theme_voting_close", "theme_voting_reopen", "themes_fix"]
)
@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_get_404_on_every_plg_theme_action(client_as, world, meetings, persona, name):
    response = client_as(persona).post(_url(name, world), {"title": "X", "why": "Y"})

    assert response.status_code == 404


@pytest.mark.parametrize("name", ["theme_vote", "theme_unvote", "theme_proposal_withdraw"])
@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_get_404_on_every_proposal_action(client_as, world, participant, persona, name):
    proposal = _proposal(world, participant)

    response = client_as(persona).post(_url(name, world, proposal))

    assert response.status_code == 404
    assert ThemeProposal.objects.filter(pk=proposal.pk).exists()


def test_a_proposal_of_another_plg_is_not_found_through_this_plg(
    client_as, world, participant, other_plg_member
) -> None:
    theirs = services.theme_proposal_create(
        community=world.other_community, author=other_plg_member, title="Ander", why="Omdat"
    )

    response = client_as("participant").post(_url("theme_vote", world, theirs))

    assert response.status_code == 404
    assert not ThemeVote.objects.exists()


@pytest.mark.parametrize("name", ["theme_propose", "theme_voting_close", "themes_fix"])
def test_anonymous_posts_go_to_sign_in_and_change_nothing(client, world, meetings, name) -> None:
    response = client.post(_url(name, world), {"title": "X", "why": "Y"})

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert not ThemeProposal.objects.exists()


def test_voting_is_post_only(client_as, world, participant) -> None:
    proposal = _proposal(world, participant)

    response = client_as("participant").get(_url("theme_vote", world, proposal))

    assert response.status_code == 405
    assert not ThemeVote.objects.exists()


# Proposing, voting and withdrawing.


def test_member_proposes_a_theme_with_a_case(client_as, world, participant) -> None:
    client_as("participant").post(
        _url("theme_propose", world),
        {"title": "Pesten", "why": "Het speelt in 2B.", "example": "Een groepsapp"},
    )

    proposal = ThemeProposal.objects.get(community=world.community)
    assert (proposal.title, proposal.author, proposal.example) == (
        "Pesten",
        participant,
        "Een groepsapp",
    )


def test_proposal_without_a_reason_shows_an_error_and_keeps_the_input(client_as, world) -> None:
    response = client_as("participant").post(
        _url("theme_propose", world), {"title": "Pesten met een lange titel", "why": ""}
    )

    assert response.status_code == 200
    assert response.context["proposal_form"].errors["why"]
    assert "Pesten met een lange titel" in response.content.decode()
    assert not ThemeProposal.objects.exists()


def test_duplicate_proposal_shows_an_error_on_the_title(client_as, world, participant) -> None:
    _propose(world, participant, title="Pesten")

    response = client_as("teacher_leader").post(
        _url("theme_propose", world), {"title": "PESTEN", "why": "Ook bij mij."}
    )

    assert response.status_code == 200
    assert response.context["proposal_form"].errors["title"]
    assert ThemeProposal.objects.count() == 1


def test_proposing_after_the_vote_closed_shows_a_message(client_as, world, teacher_leader):
    services.theme_voting_close(community=world.community, actor=teacher_leader)

    response = client_as("participant").post(
        _url("theme_propose", world), {"title": "Pesten", "why": "Het speelt in 2B."}
    )

    assert response.status_code == 200
    assert response.context["proposal_form"].non_field_errors()
    assert "Het speelt in 2B." in response.content.decode()
    assert not ThemeProposal.objects.exists()


def test_member_votes_and_sees_their_own_vote(client_as, world, participant) -> None:
    proposal = _proposal(world, participant)
    client = client_as("participant")

    client.post(_url("theme_vote", world, proposal))

    page = client.get(_themes_url(world)).content.decode()
    assert _url("theme_unvote", world, proposal) in page
    assert _url("theme_vote", world, proposal) not in page


def test_member_sees_how_many_votes_are_left(client_as, world, participant) -> None:
    proposal = _proposal(world, participant)
    client = client_as("participant")
    client.post(_url("theme_vote", world, proposal))

    response = client.get(_themes_url(world))

    page = response.context["page"]
    assert (page.votes_used, page.votes_left) == (1, 2)
    assert re.search(r"\b1\b.*\b3\b.*\b2\b", _my_votes_text(response.content.decode()))


def _my_votes_text(page: str) -> str:
    match = re.search(r'id="my-votes">(.*?)</p>', page, re.S)
    assert match, "the member's votes line is missing"
    return match.group(1)


def test_fourth_vote_is_refused_with_a_message(client_as, world, participant) -> None:
    proposals = [_propose(world, participant, title=f"Thema {n}") for n in range(4)]
    client = client_as("participant")
    for proposal in proposals[:3]:
        client.post(_url("theme_vote", world, proposal))

    response = client.post(_url("theme_vote", world, proposals[3]), follow=True)

    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]][-1] == "error"
    assert ThemeVote.objects.filter(voter=participant).count() == 3


def test_vote_buttons_disappear_when_all_votes_are_used(client_as, world, participant) -> None:
    proposals = [_propose(world, participant, title=f"Thema {n}") for n in range(4)]
    client = client_as("participant")
    for proposal in proposals[:3]:
        client.post(_url("theme_vote", world, proposal))

    page = client.get(_themes_url(world)).content.decode()

    assert _url("theme_vote", world, proposals[3]) not in page


def test_member_takes_a_vote_back(client_as, world, participant) -> None:
    proposal = _proposal(world, participant)
    client = client_as("participant")
    client.post(_url("theme_vote", world, proposal))

    response = client.post(_url("theme_unvote", world, proposal))

    assert response.status_code == 302
    assert not ThemeVote.objects.exists()


def test_author_withdraws_their_proposal(client_as, world, participant) -> None:
    proposal = _proposal(world, participant)

    response = client_as("participant").post(_url("theme_proposal_withdraw", world, proposal))

    assert response.status_code == 302
    assert not ThemeProposal.objects.exists()


def test_another_member_cannot_withdraw_a_proposal(client_as, world, participant) -> None:
    proposal = _proposal(world, participant)

    response = client_as("development_team").post(_url("theme_proposal_withdraw", world, proposal))

    assert response.status_code == 404
    assert ThemeProposal.objects.filter(pk=proposal.pk).exists()


def test_withdraw_button_is_shown_only_to_the_author(client_as, world, participant) -> None:
    proposal = _proposal(world, participant)
    url = _url("theme_proposal_withdraw", world, proposal)

    assert url in client_as("participant").get(_themes_url(world)).content.decode()
    assert url not in client_as("development_team").get(_themes_url(world)).content.decode()


# Counts hidden while open; results after closing.


@pytest.fixture
def vote_with_results(world, participant, teacher_leader):
    """Three proposals: "Pesten" 3 votes, "Autisme" 1 vote, "Huiswerk" none."""
    pesten = _propose(world, participant, title="Pesten")
    huiswerk = _propose(world, participant, title="Huiswerk")
    autisme = _propose(world, participant, title="Autisme")
    voters = _voters(world, 3)
    for voter in voters:
        services.theme_vote_cast(proposal=pesten, voter=voter)
    services.theme_vote_cast(proposal=autisme, voter=voters[0])
    return {"pesten": pesten, "huiswerk": huiswerk, "autisme": autisme}


@pytest.mark.parametrize("persona", sorted(SEES))
def test_nobody_sees_counts_while_the_vote_is_open(client_as, world, vote_with_results, persona):
    response = client_as(persona).get(_themes_url(world))

    page = response.content.decode()
    assert "vote-count" not in page
    assert "proposal-place" not in page
    assert all(row.votes is None for row in response.context["page"].rows)


def test_proposals_are_in_the_order_proposed_while_open(client_as, world, vote_with_results):
    page = _proposals_section(client_as("teacher_leader").get(_themes_url(world)))

    assert page.index("Pesten") < page.index("Huiswerk") < page.index("Autisme")


def _proposals_section(response) -> str:
    page = response.content.decode()
    return page[page.index('id="proposals"') : page.index('id="meeting-themes"')]


@pytest.mark.parametrize("persona", sorted(SEES))
def test_everyone_who_sees_the_plg_sees_results_after_closing(
    client_as, world, teacher_leader, vote_with_results, persona
) -> None:
    services.theme_voting_close(community=world.community, actor=teacher_leader)

    response = client_as(persona).get(_themes_url(world))

    rows = response.context["page"].rows
    assert [(r.proposal.title, r.votes, r.place) for r in rows] == [
        ("Pesten", 3, 1),
        ("Autisme", 1, 2),
        ("Huiswerk", 0, 3),
    ]
    assert 'class="vote-count"' in response.content.decode()


def test_results_are_ranked_on_the_page(client_as, world, teacher_leader, vote_with_results):
    services.theme_voting_close(community=world.community, actor=teacher_leader)

    page = _proposals_section(client_as("participant").get(_themes_url(world)))

    assert page.index("Pesten") < page.index("Autisme") < page.index("Huiswerk")


def test_equal_votes_share_a_place(client_as, world, participant, teacher_leader) -> None:
    first = _propose(world, participant, title="A")
    second = _propose(world, participant, title="B")
    services.theme_vote_cast(proposal=first, voter=participant)
    services.theme_vote_cast(proposal=second, voter=participant)
    _propose(world, participant, title="C")
    services.theme_voting_close(community=world.community, actor=teacher_leader)

    rows = client_as("participant").get(_themes_url(world)).context["page"].rows

    assert [r.place for r in rows] == [1, 1, 3]


def test_who_voted_for_what_is_never_shown(client_as, world, teacher_leader, vote_with_results):
    voter = ThemeVote.objects.filter(proposal=vote_with_results["autisme"]).get().voter
    services.theme_voting_close(community=world.community, actor=teacher_leader)

    for persona in ("teacher_leader", "school_admin", "team_leader", "participant"):
        page = client_as(persona).get(_themes_url(world)).content.decode()
        assert voter.name not in page
        assert voter.email not in page


def test_reopening_hides_the_counts_again(client_as, world, teacher_leader, vote_with_results):
    services.theme_voting_close(community=world.community, actor=teacher_leader)
    services.theme_voting_reopen(community=world.community, actor=teacher_leader)

    page = client_as("participant").get(_themes_url(world)).content.decode()

    assert "vote-count" not in page


def test_voting_after_closing_is_refused_with_a_message(
    client_as, world, participant, teacher_leader
) -> None:
    proposal = _proposal(world, participant)
    services.theme_voting_close(community=world.community, actor=teacher_leader)

    response = client_as("participant").post(_url("theme_vote", world, proposal), follow=True)

    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not ThemeVote.objects.exists()


def test_closing_an_already_closed_vote_shows_a_message(client_as, world, teacher_leader):
    services.theme_voting_close(community=world.community, actor=teacher_leader)

    response = client_as("teacher_leader").post(_url("theme_voting_close", world), follow=True)

    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_showing_the_page_creates_no_vote_row(client_as, world) -> None:
    client_as("teacher_leader").get(_themes_url(world))

    assert not hasattr(world.community.__class__.objects.get(pk=world.community.pk), "theme_voting")


# Fixing the themes of meetings 2-5.


@pytest.mark.parametrize("persona", sorted(SEES))
def test_fix_form_is_shown_only_to_managers(client_as, world, meetings, persona) -> None:
    page = client_as(persona).get(_themes_url(world)).content.decode()

    assert (_url("themes_fix", world) in page) == (persona in MANAGES)


def test_fix_form_has_meetings_two_to_five(client_as, world, meetings) -> None:
    form = client_as("teacher_leader").get(_themes_url(world)).context["fix_form"]

    assert list(form.fields) == ["meeting_2", "meeting_3", "meeting_4", "meeting_5", "reason"]


def test_fix_form_offers_ranked_proposals_after_closing(
    client_as, world, meetings, teacher_leader, vote_with_results
) -> None:
    services.theme_voting_close(community=world.community, actor=teacher_leader)

    form = client_as("teacher_leader").get(_themes_url(world)).context["fix_form"]

    proposal_group = form.fields["meeting_2"].choices[1][1]
    assert [value for value, _label in proposal_group] == [
        f"proposal:{vote_with_results[key].pk}" for key in ("pesten", "autisme", "huiswerk")
    ]
    assert proposal_group[0][1].startswith("1. Pesten (3 ")


def test_fix_form_does_not_rank_while_the_vote_is_open(
    client_as, world, meetings, vote_with_results
) -> None:
    form = client_as("teacher_leader").get(_themes_url(world)).context["fix_form"]

    proposal_group = form.fields["meeting_2"].choices[1][1]
    assert [label for _value, label in proposal_group] == ["Pesten", "Huiswerk", "Autisme"]


@pytest.mark.parametrize("persona", sorted(MANAGES))
def test_managers_fix_themes_from_proposals_and_library(
    client_as, world, meetings, teacher_leader, vote_with_results, persona
) -> None:
    services.theme_voting_close(community=world.community, actor=teacher_leader)
    library = Theme.objects.get(school=world.school, title="Mentoraat en coaching")

    response = client_as(persona).post(
        _url("themes_fix", world),
        _fix_data(
            meetings,
            m2=f"proposal:{vote_with_results['pesten'].pk}",
            m3=f"theme:{library.pk}",
        ),
    )

    assert response.status_code == 302
    titles = {m.number: m.theme.title if m.theme else None for m in world.community.meetings.all()}
    assert (titles[2], titles[3], titles[4]) == ("Pesten", "Mentoraat en coaching", None)
    assert MeetingChange.objects.filter(kind=ChangeKind.THEME_SET).count() == 2


@pytest.mark.parametrize("persona", ["participant", "development_team", "team_leader", "expert"])
def test_others_cannot_fix_themes(client_as, world, meetings, persona) -> None:
    library = Theme.objects.get(school=world.school, title="Pesten")

    response = client_as(persona).post(
        _url("themes_fix", world), _fix_data(meetings, m2=f"theme:{library.pk}")
    )

    assert response.status_code == 404
    meetings[1].refresh_from_db()
    assert meetings[1].theme is None


def test_replacing_a_fixed_theme_without_reason_shows_an_error(
    client_as, world, meetings, teacher_leader
) -> None:
    pesten = Theme.objects.get(school=world.school, title="Pesten")
    autisme = Theme.objects.get(school=world.school, title="Autisme")
    services.meeting_theme_set(meeting=meetings[1], actor=teacher_leader, theme=pesten)

    response = client_as("teacher_leader").post(
        _url("themes_fix", world),
        _fix_data(meetings, m2=f"theme:{autisme.pk}", m3=f"theme:{autisme.pk}"),
    )

    assert response.status_code == 200
    assert response.context["fix_form"].errors["reason"]
    meetings[1].refresh_from_db()
    meetings[2].refresh_from_db()
    assert meetings[1].theme == pesten
    assert meetings[2].theme is None


def test_replacing_a_fixed_theme_with_a_reason_is_kept_in_history(
    client_as, world, meetings, teacher_leader
) -> None:
    pesten = Theme.objects.get(school=world.school, title="Pesten")
    autisme = Theme.objects.get(school=world.school, title="Autisme")
    services.meeting_theme_set(meeting=meetings[1], actor=teacher_leader, theme=pesten)

    client_as("teacher_leader").post(
        _url("themes_fix", world),
        {**_fix_data(meetings, m2=f"theme:{autisme.pk}"), "reason": "Nieuwe leerling"},
    )

    change = MeetingChange.objects.get(meeting=meetings[1], kind=ChangeKind.THEME_CHANGED)
    assert change.data == {"from": "Pesten", "to": "Autisme", "reason": "Nieuwe leerling"}


def test_unknown_choice_is_refused_with_a_message(client_as, world, meetings) -> None:
    response = client_as("teacher_leader").post(
        _url("themes_fix", world), _fix_data(meetings, m2="theme:999999")
    )

    assert response.status_code == 200
    assert response.context["fix_form"].errors["meeting_2"]


def test_theme_of_another_school_cannot_be_posted(client_as, world, meetings) -> None:
    theirs = Theme.objects.create(school=world.other_school, title="Van elders")

    response = client_as("school_admin").post(
        _url("themes_fix", world), _fix_data(meetings, m2=f"theme:{theirs.pk}")
    )

    assert response.status_code == 200
    meetings[1].refresh_from_db()
    assert meetings[1].theme is None


def test_a_held_meeting_keeps_its_theme_in_the_fix_form(
    client_as, world, meetings, teacher_leader
) -> None:
    pesten = Theme.objects.get(school=world.school, title="Pesten")
    autisme = Theme.objects.get(school=world.school, title="Autisme")
    services.meeting_theme_set(meeting=meetings[1], actor=teacher_leader, theme=pesten)
    meetings[1].refresh_from_db()
    meetings[1].status = MeetingStatus.HELD
    meetings[1].save()

    response = client_as("teacher_leader").post(
        _url("themes_fix", world),
        {**_fix_data(meetings, m2=f"theme:{autisme.pk}", m3=f"theme:{autisme.pk}"), "reason": "x"},
    )

    assert response.status_code == 302
    meetings[1].refresh_from_db()
    meetings[2].refresh_from_db()
    assert (meetings[1].theme, meetings[2].theme) == (pesten, autisme)


def test_without_a_year_plan_there_is_no_fix_form(client_as, world) -> None:
    response = client_as("teacher_leader").get(_themes_url(world))

    assert response.context["fix_form"] is None
    assert reverse("meetings:year_plan", kwargs={"pk": world.community.pk}) in (
        response.content.decode()
    )


def test_fixing_without_a_year_plan_is_not_found(client_as, world) -> None:
    response = client_as("teacher_leader").post(_url("themes_fix", world), {})

    assert response.status_code == 404


# Query budget.


def test_themes_page_query_count_does_not_grow_with_proposals_and_votes(
    client_as, world, meetings, participant, teacher_leader
) -> None:
    client = client_as("teacher_leader")
    _propose(world, participant, title="Eerste")
    with CaptureQueriesContext(connection) as few:
        client.get(_themes_url(world))
    voters = _voters(world, 6)
    for n in range(8):
        proposal = _propose(world, voters[n % 6], title=f"Thema {n}")
        for voter in voters[:3]:
            if n < 3:
                services.theme_vote_cast(proposal=proposal, voter=voter)
    with CaptureQueriesContext(connection) as many:
        client.get(_themes_url(world))

    assert len(many) == len(few)
    assert len(few) <= 16


def test_closed_results_query_count_does_not_grow_with_votes(
    client_as, world, meetings, participant, teacher_leader
) -> None:
    client = client_as("participant")
    _propose(world, participant, title="Eerste")
    services.theme_voting_close(community=world.community, actor=teacher_leader)
    with CaptureQueriesContext(connection) as few:
        client.get(_themes_url(world))
    services.theme_voting_reopen(community=world.community, actor=teacher_leader)
    voters = _voters(world, 6)
    for n in range(6):
        proposal = _propose(world, voters[n], title=f"Thema {n}")
        for voter in voters[: n % 4]:
            if n < 3:
                services.theme_vote_cast(proposal=proposal, voter=voter)
    services.theme_voting_close(community=world.community, actor=teacher_leader)
    with CaptureQueriesContext(connection) as many:
        client.get(_themes_url(world))

    assert len(many) == len(few)


# One meeting's theme: the change page and the meeting page section.


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_change_theme_page_is_only_for_planners(client_as, meetings, persona) -> None:
    response = client_as(persona).get(_meeting_theme_url(meetings[1]))

    assert response.status_code == (200 if persona in MANAGES else 404)


def test_anonymous_visitor_of_the_change_theme_page_is_sent_to_sign_in(client, meetings) -> None:
    response = client.get(_meeting_theme_url(meetings[1]))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize("persona", ["participant", "team_leader", "expert", *OUTSIDERS])
def test_others_cannot_change_a_meeting_theme(client_as, world, meetings, persona) -> None:
    pesten = Theme.objects.get(school=world.school, title="Pesten")

    response = client_as(persona).post(
        _meeting_theme_url(meetings[0]), {"choice": f"theme:{pesten.pk}", "reason": "Nood"}
    )

    assert response.status_code == 404
    meetings[0].refresh_from_db()
    assert meetings[0].theme.title == "Startende docenten"


def test_changing_a_theme_needs_a_reason(client_as, world, meetings) -> None:
    pesten = Theme.objects.get(school=world.school, title="Pesten")

    response = client_as("teacher_leader").post(
        _meeting_theme_url(meetings[0]), {"choice": f"theme:{pesten.pk}", "reason": " "}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    meetings[0].refresh_from_db()
    assert meetings[0].theme.title == "Startende docenten"


def test_changing_a_theme_with_a_reason_shows_in_the_meeting_history(
    client_as, world, meetings
) -> None:
    pesten = Theme.objects.get(school=world.school, title="Pesten")
    client = client_as("teacher_leader")

    response = client.post(
        _meeting_theme_url(meetings[0]),
        {"choice": f"theme:{pesten.pk}", "reason": "Incident in klas 2B"},
    )

    assert response.status_code == 302
    meetings[0].refresh_from_db()
    assert (meetings[0].theme, meetings[0].sequence) == (pesten, 1)
    page = client.get(reverse("meetings:meeting", kwargs={"pk": meetings[0].pk})).content.decode()
    assert "Incident in klas 2B" in page


def test_change_page_offers_proposals(client_as, world, meetings, participant) -> None:
    proposal = _proposal(world, participant)

    response = client_as("teacher_leader").post(
        _meeting_theme_url(meetings[1]), {"choice": f"proposal:{proposal.pk}", "reason": ""}
    )

    assert response.status_code == 302
    meetings[1].refresh_from_db()
    assert meetings[1].theme.title == proposal.title


def test_change_page_without_a_choice_shows_an_error(client_as, meetings) -> None:
    response = client_as("teacher_leader").post(
        _meeting_theme_url(meetings[1]), {"choice": "", "reason": ""}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["choice"]


def test_change_page_of_a_held_meeting_shows_no_form(client_as, meetings) -> None:
    meetings[1].status = MeetingStatus.HELD
    meetings[1].save()

    response = client_as("teacher_leader").get(_meeting_theme_url(meetings[1]))

    assert response.context["held"] is True
    assert 'name="choice"' not in response.content.decode()


def test_posting_a_theme_for_a_held_meeting_is_refused(client_as, world, meetings) -> None:
    meetings[1].status = MeetingStatus.REPORTED
    meetings[1].save()
    pesten = Theme.objects.get(school=world.school, title="Pesten")

    response = client_as("teacher_leader").post(
        _meeting_theme_url(meetings[1]), {"choice": f"theme:{pesten.pk}", "reason": "x"}
    )

    assert response.status_code == 200
    meetings[1].refresh_from_db()
    assert meetings[1].theme is None


def test_meeting_page_shows_the_theme_and_its_description(client_as, world, meetings) -> None:
    theme = meetings[0].theme
    theme.description = "Hoe verwelkomen we nieuwe collega's?"
    theme.save()

    page = (
        client_as("participant")
        .get(reverse("meetings:meeting", kwargs={"pk": meetings[0].pk}))
        .content.decode()
    )

    assert "Hoe verwelkomen we nieuwe collega" in page


@pytest.mark.parametrize("persona", sorted(SEES))
def test_meeting_page_links_to_the_change_page_only_for_planners(client_as, meetings, persona):
    page = (
        client_as(persona)
        .get(reverse("meetings:meeting", kwargs={"pk": meetings[1].pk}))
        .content.decode()
    )

    assert (_meeting_theme_url(meetings[1]) in page) == (persona in MANAGES)


def test_meeting_page_shows_the_place_in_the_vote_after_closing(
    client_as, world, meetings, teacher_leader, vote_with_results
) -> None:
    services.meeting_theme_set(
        meeting=meetings[1], actor=teacher_leader, proposal=vote_with_results["autisme"]
    )
    services.theme_voting_close(community=world.community, actor=teacher_leader)

    response = client_as("participant").get(
        reverse("meetings:meeting", kwargs={"pk": meetings[1].pk})
    )

    place = response.context["theme_vote_place"]
    assert (place.place, place.votes) == (2, 1)
    assert 'id="theme-vote-place"' in response.content.decode()


def test_meeting_page_hides_the_place_while_the_vote_is_open(
    client_as, world, meetings, teacher_leader, vote_with_results
) -> None:
    services.meeting_theme_set(
        meeting=meetings[1], actor=teacher_leader, proposal=vote_with_results["autisme"]
    )

    response = client_as("participant").get(
        reverse("meetings:meeting", kwargs={"pk": meetings[1].pk})
    )

    assert response.context["theme_vote_place"] is None
    assert 'id="theme-vote-place"' not in response.content.decode()


def test_change_theme_page_query_count_does_not_grow_with_proposals(
    client_as, world, meetings, participant
) -> None:
    client = client_as("teacher_leader")
    _propose(world, participant, title="Eerste")
    with CaptureQueriesContext(connection) as few:
        client.get(_meeting_theme_url(meetings[1]))
    for n in range(6):
        _propose(world, participant, title=f"Thema {n}")
    with CaptureQueriesContext(connection) as many:
        client.get(_meeting_theme_url(meetings[1]))

    assert len(many) == len(few)
