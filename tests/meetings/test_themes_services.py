"""Services of the themes area: the theme library, proposals, the vote, and fixing themes."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from meetings.models import (
    ChangeKind,
    MeetingChange,
    MeetingStatus,
    Theme,
    ThemeProposal,
    ThemeVote,
    ThemeVoting,
)
from meetings.services import theme_library_ensure
from meetings.services import themes as services
from tests.factories import MembershipFactory, UserFactory


def _codes(error: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    value = error.value
    if hasattr(value, "error_dict"):
        return {e.code for errors in value.error_dict.values() for e in errors}
    return {e.code for e in value.error_list}


def _propose(community, author, title="Feedback geven", why="Mijn leerlingen lezen het niet."):
    return services.theme_proposal_create(
        community=community, author=author, title=title, why=why, example=""
    )


def _member(world, **roles):
    user = UserFactory()
    MembershipFactory(community=world.community, user=user, **{"is_participant": True, **roles})
    return user


# The theme library.


def test_theme_create_adds_a_library_theme(world) -> None:
    theme = services.theme_create(school=world.school, title="  Toetsen  ", description="Over ")

    assert (theme.title, theme.description, theme.in_library) == ("Toetsen", "Over", True)


def test_theme_create_refuses_a_title_the_school_already_has_in_other_case(world) -> None:
    services.theme_create(school=world.school, title="Pesten")

    with pytest.raises(ValidationError) as error:
        services.theme_create(school=world.school, title="pesten")

    assert _codes(error) == {"duplicate_title"}
    assert Theme.objects.filter(school=world.school).count() == 1


def test_theme_create_allows_the_same_title_at_another_school(world) -> None:
    services.theme_create(school=world.school, title="Pesten")

    services.theme_create(school=world.other_school, title="Pesten")

    assert Theme.objects.filter(title="Pesten").count() == 2


def test_theme_create_refuses_an_empty_title(world) -> None:
    with pytest.raises(ValidationError) as error:
        services.theme_create(school=world.school, title="   ")

    assert _codes(error) == {"title_missing"}


def test_theme_update_renames_and_describes(world) -> None:
    theme = services.theme_create(school=world.school, title="Pesten")

    services.theme_update(theme=theme, title="Pesten en plagen", description="Online en offline")

    theme.refresh_from_db()
    assert (theme.title, theme.description) == ("Pesten en plagen", "Online en offline")


def test_theme_update_refuses_the_title_of_another_theme(world) -> None:
    services.theme_create(school=world.school, title="Pesten")
    theme = services.theme_create(school=world.school, title="Autisme")

    with pytest.raises(ValidationError) as error:
        services.theme_update(theme=theme, title="PESTEN")

    assert _codes(error) == {"duplicate_title"}
    theme.refresh_from_db()
    assert theme.title == "Autisme"


def test_theme_update_may_change_only_the_case_of_its_own_title(world) -> None:
    theme = services.theme_create(school=world.school, title="autisme")

    services.theme_update(theme=theme, title="Autisme")

    theme.refresh_from_db()
    assert theme.title == "Autisme"


def test_renaming_a_theme_raises_the_sequence_of_meetings_that_use_it(world, meetings) -> None:
    theme = meetings[0].theme

    services.theme_update(theme=theme, title="Nieuwe collega's")

    meetings[0].refresh_from_db()
    assert meetings[0].sequence == 1


def test_taking_a_theme_out_of_the_library_keeps_it_on_its_meetings(world, meetings) -> None:
    theme = meetings[0].theme

    services.theme_library_remove(theme=theme)

    meetings[0].refresh_from_db()
    assert meetings[0].theme == theme
    assert Theme.objects.get(pk=theme.pk).in_library is False


def test_a_theme_can_be_put_back_into_the_library(world) -> None:
    theme = services.theme_create(school=world.school, title="Pesten")
    services.theme_library_remove(theme=theme)

    services.theme_library_restore(theme=theme)

    assert Theme.objects.get(pk=theme.pk).in_library is True


# Proposals.


def test_member_proposes_a_theme(world, participant) -> None:
    proposal = _propose(world.community, participant)

    assert proposal.author == participant
    assert proposal.community == world.community


def test_proposing_creates_the_vote_lazily(world, participant) -> None:
    assert not ThemeVoting.objects.filter(community=world.community).exists()

    _propose(world.community, participant)

    assert ThemeVoting.objects.get(community=world.community).is_open


def test_expert_cannot_propose(world, expert) -> None:
    with pytest.raises(ValidationError) as error:
        _propose(world.community, expert)

    assert _codes(error) == {"not_a_member"}


def test_member_of_another_plg_cannot_propose(world, other_plg_member) -> None:
    with pytest.raises(ValidationError) as error:
        _propose(world.community, other_plg_member)

    assert _codes(error) == {"not_a_member"}


def test_proposal_needs_a_reason_why(world, participant) -> None:
    with pytest.raises(ValidationError) as error:
        _propose(world.community, participant, why="  ")

    assert _codes(error) == {"why_missing"}


def test_the_same_theme_cannot_be_proposed_twice_in_a_plg(world, participant, teacher_leader):
    _propose(world.community, participant, title="Feedback geven")

    with pytest.raises(ValidationError) as error:
        _propose(world.community, teacher_leader, title="feedback  geven")

    assert _codes(error) == {"duplicate_proposal"}


def test_nobody_proposes_after_the_vote_closed(world, participant, teacher_leader) -> None:
    services.theme_voting_close(community=world.community, actor=teacher_leader)

    with pytest.raises(ValidationError) as error:
        _propose(world.community, participant)

    assert _codes(error) == {"voting_closed"}


def test_author_withdraws_their_proposal_with_its_votes(world, participant, teacher_leader):
    proposal = _propose(world.community, participant)
    services.theme_vote_cast(proposal=proposal, voter=teacher_leader)

    services.theme_proposal_withdraw(proposal=proposal, actor=participant)

    assert not ThemeProposal.objects.exists()
    assert not ThemeVote.objects.exists()


def test_only_the_author_withdraws_a_proposal(world, participant, teacher_leader) -> None:
    proposal = _propose(world.community, participant)

    with pytest.raises(ValidationError) as error:
        services.theme_proposal_withdraw(proposal=proposal, actor=teacher_leader)

    assert _codes(error) == {"not_the_author"}
    assert ThemeProposal.objects.filter(pk=proposal.pk).exists()


def test_a_proposal_cannot_be_withdrawn_after_the_vote_closed(world, participant, teacher_leader):
    proposal = _propose(world.community, participant)
    services.theme_voting_close(community=world.community, actor=teacher_leader)

    with pytest.raises(ValidationError) as error:
        services.theme_proposal_withdraw(proposal=proposal, actor=participant)

    assert _codes(error) == {"voting_closed"}


# Voting.


def test_member_votes_for_a_proposal(world, participant) -> None:
    proposal = _propose(world.community, participant)

    services.theme_vote_cast(proposal=proposal, voter=participant)

    assert ThemeVote.objects.filter(proposal=proposal, voter=participant).exists()


def test_member_votes_only_once_per_proposal(world, participant) -> None:
    proposal = _propose(world.community, participant)
    services.theme_vote_cast(proposal=proposal, voter=participant)

    with pytest.raises(ValidationError) as error:
        services.theme_vote_cast(proposal=proposal, voter=participant)

    assert _codes(error) == {"already_voted"}


def test_member_has_at_most_three_votes(world, participant) -> None:
    proposals = [_propose(world.community, participant, title=f"Thema {n}") for n in range(4)]
    for proposal in proposals[:3]:
        services.theme_vote_cast(proposal=proposal, voter=participant)

    with pytest.raises(ValidationError) as error:
        services.theme_vote_cast(proposal=proposals[3], voter=participant)

    assert _codes(error) == {"no_votes_left"}
    assert ThemeVote.objects.filter(voter=participant).count() == 3


def test_vote_limit_follows_the_plg_setting(world, participant) -> None:
    ThemeVoting.objects.create(community=world.community, votes_per_member=1)
    first, second = (_propose(world.community, participant, title=t) for t in ("A", "B"))
    services.theme_vote_cast(proposal=first, voter=participant)

    with pytest.raises(ValidationError):
        services.theme_vote_cast(proposal=second, voter=participant)


def test_votes_in_another_plg_do_not_count_against_the_limit(world, participant) -> None:
    MembershipFactory(community=world.other_community, user=participant)
    for n in range(3):
        theirs = _propose(world.other_community, participant, title=f"Ander {n}")
        services.theme_vote_cast(proposal=theirs, voter=participant)
    ours = _propose(world.community, participant)

    services.theme_vote_cast(proposal=ours, voter=participant)

    assert ThemeVote.objects.filter(voter=participant).count() == 4


def test_taking_a_vote_back_frees_it_for_another_theme(world, participant) -> None:
    proposals = [_propose(world.community, participant, title=f"Thema {n}") for n in range(4)]
    for proposal in proposals[:3]:
        services.theme_vote_cast(proposal=proposal, voter=participant)

    services.theme_vote_withdraw(proposal=proposals[0], voter=participant)
    services.theme_vote_cast(proposal=proposals[3], voter=participant)

    voted = set(ThemeVote.objects.filter(voter=participant).values_list("proposal", flat=True))
    assert voted == {proposals[1].pk, proposals[2].pk, proposals[3].pk}


def test_expert_cannot_vote(world, participant, expert) -> None:
    proposal = _propose(world.community, participant)

    with pytest.raises(ValidationError) as error:
        services.theme_vote_cast(proposal=proposal, voter=expert)

    assert _codes(error) == {"not_a_member"}
    assert not ThemeVote.objects.exists()


def test_team_leader_cannot_vote(world, participant, team_leader) -> None:
    proposal = _propose(world.community, participant)

    with pytest.raises(ValidationError):
        services.theme_vote_cast(proposal=proposal, voter=team_leader)


def test_expert_who_is_also_a_participant_votes(world, participant) -> None:
    both = _member(world, is_expert=True)
    proposal = _propose(world.community, participant)

    services.theme_vote_cast(proposal=proposal, voter=both)

    assert ThemeVote.objects.filter(voter=both).exists()


def test_nobody_votes_after_the_vote_closed(world, participant, teacher_leader) -> None:
    proposal = _propose(world.community, participant)
    services.theme_voting_close(community=world.community, actor=teacher_leader)

    with pytest.raises(ValidationError) as error:
        services.theme_vote_cast(proposal=proposal, voter=participant)

    assert _codes(error) == {"voting_closed"}


def test_a_vote_cannot_be_taken_back_after_the_vote_closed(world, participant, teacher_leader):
    proposal = _propose(world.community, participant)
    services.theme_vote_cast(proposal=proposal, voter=participant)
    services.theme_voting_close(community=world.community, actor=teacher_leader)

    with pytest.raises(ValidationError):
        services.theme_vote_withdraw(proposal=proposal, voter=participant)

    assert ThemeVote.objects.filter(voter=participant).exists()


def test_closing_the_vote_records_who_and_when(world, teacher_leader) -> None:
    voting = services.theme_voting_close(community=world.community, actor=teacher_leader)

    assert voting.closed_by == teacher_leader
    assert voting.closed_at is not None


def test_closing_a_closed_vote_is_refused(world, teacher_leader) -> None:
    services.theme_voting_close(community=world.community, actor=teacher_leader)

    with pytest.raises(ValidationError) as error:
        services.theme_voting_close(community=world.community, actor=teacher_leader)

    assert _codes(error) == {"voting_closed"}


def test_reopening_keeps_the_votes(world, participant, teacher_leader) -> None:
    proposal = _propose(world.community, participant)
    services.theme_vote_cast(proposal=proposal, voter=participant)
    services.theme_voting_close(community=world.community, actor=teacher_leader)

    voting = services.theme_voting_reopen(community=world.community, actor=teacher_leader)

    assert voting.is_open
    assert voting.closed_by is None
    assert ThemeVote.objects.filter(voter=participant).count() == 1


def test_reopening_an_open_vote_is_refused(world, teacher_leader) -> None:
    with pytest.raises(ValidationError) as error:
        services.theme_voting_reopen(community=world.community, actor=teacher_leader)

    assert _codes(error) == {"voting_open"}


# Fixing and changing the theme of a meeting.


def test_fixing_a_library_theme_records_theme_set(world, meetings, teacher_leader) -> None:
    theme = Theme.objects.get(school=world.school, title="Pesten")

    services.meeting_theme_set(meeting=meetings[1], actor=teacher_leader, theme=theme)

    meetings[1].refresh_from_db()
    assert meetings[1].theme == theme
    change = MeetingChange.objects.get(meeting=meetings[1], kind=ChangeKind.THEME_SET)
    assert change.data == {"from": "", "to": "Pesten"}
    assert change.actor == teacher_leader


def test_fixing_a_theme_raises_the_meeting_sequence(world, meetings, teacher_leader) -> None:
    theme = Theme.objects.get(school=world.school, title="Pesten")

    services.meeting_theme_set(meeting=meetings[1], actor=teacher_leader, theme=theme)

    meetings[1].refresh_from_db()
    assert meetings[1].sequence == 1


def test_a_proposal_becomes_a_school_theme_outside_the_library(
    world, meetings, participant, teacher_leader
) -> None:
    proposal = _propose(world.community, participant, title="Feedback geven")

    services.meeting_theme_set(meeting=meetings[1], actor=teacher_leader, proposal=proposal)

    meetings[1].refresh_from_db()
    assert meetings[1].theme.title == "Feedback geven"
    assert meetings[1].theme.school == world.school
    assert meetings[1].theme.in_library is False


def test_a_proposal_with_a_library_title_uses_the_library_theme(
    world, meetings, participant, teacher_leader
) -> None:
    library = Theme.objects.get(school=world.school, title="Autisme")
    proposal = _propose(world.community, participant, title="autisme")

    services.meeting_theme_set(meeting=meetings[1], actor=teacher_leader, proposal=proposal)

    meetings[1].refresh_from_db()
    assert meetings[1].theme == library
    assert Theme.objects.filter(school=world.school, title__iexact="autisme").count() == 1


def test_replacing_a_theme_requires_a_reason(world, meetings, teacher_leader) -> None:
    theme = Theme.objects.get(school=world.school, title="Pesten")

    with pytest.raises(ValidationError) as error:
        services.meeting_theme_set(meeting=meetings[0], actor=teacher_leader, theme=theme)

    assert _codes(error) == {"reason_required"}
    meetings[0].refresh_from_db()
    assert meetings[0].theme.title == "Startende docenten"
    assert meetings[0].sequence == 0


def test_replacing_a_theme_with_a_reason_records_theme_changed(
    world, meetings, teacher_leader
) -> None:
    theme = Theme.objects.get(school=world.school, title="Pesten")

    services.meeting_theme_set(
        meeting=meetings[0], actor=teacher_leader, theme=theme, reason="Incident in 2B"
    )

    change = MeetingChange.objects.get(meeting=meetings[0], kind=ChangeKind.THEME_CHANGED)
    assert change.data == {"from": "Startende docenten", "to": "Pesten", "reason": "Incident in 2B"}
    assert "Incident in 2B" in change.summary
    meetings[0].refresh_from_db()
    assert meetings[0].sequence == 1


def test_choosing_the_same_theme_changes_nothing(world, meetings, teacher_leader) -> None:
    services.meeting_theme_set(meeting=meetings[0], actor=teacher_leader, theme=meetings[0].theme)

    meetings[0].refresh_from_db()
    assert meetings[0].sequence == 0
    assert not MeetingChange.objects.filter(
        meeting=meetings[0], kind__in=[ChangeKind.THEME_SET, ChangeKind.THEME_CHANGED]
    ).exists()


@pytest.mark.parametrize("status", [MeetingStatus.HELD, MeetingStatus.REPORTED])
def test_a_held_meeting_cannot_change_theme(world, meetings, teacher_leader, status) -> None:
    meetings[1].status = status
    meetings[1].save()
    theme = Theme.objects.get(school=world.school, title="Pesten")

    with pytest.raises(ValidationError) as error:
        services.meeting_theme_set(meeting=meetings[1], actor=teacher_leader, theme=theme)

    assert _codes(error) == {"meeting_held"}
    meetings[1].refresh_from_db()
    assert meetings[1].theme is None


def test_a_theme_of_another_school_is_refused(world, meetings, teacher_leader) -> None:
    theme_library_ensure(school=world.other_school)
    theirs = Theme.objects.filter(school=world.other_school).first()

    with pytest.raises(ValidationError) as error:
        services.meeting_theme_set(meeting=meetings[1], actor=teacher_leader, theme=theirs)

    assert _codes(error) == {"foreign_theme"}


def test_a_proposal_of_another_plg_is_refused(
    world, meetings, teacher_leader, other_plg_member
) -> None:
    theirs = _propose(world.other_community, other_plg_member)

    with pytest.raises(ValidationError) as error:
        services.meeting_theme_set(meeting=meetings[1], actor=teacher_leader, proposal=theirs)

    assert _codes(error) == {"foreign_proposal"}


def test_setting_a_theme_needs_exactly_one_choice(world, meetings, teacher_leader) -> None:
    with pytest.raises(ValidationError) as error:
        services.meeting_theme_set(meeting=meetings[1], actor=teacher_leader)

    assert _codes(error) == {"theme_missing"}


def test_fixing_several_meetings_at_once(world, meetings, participant, teacher_leader) -> None:
    proposal = _propose(world.community, participant, title="Feedback geven")
    library = Theme.objects.get(school=world.school, title="Pesten")

    services.meeting_themes_fix(
        community=world.community,
        actor=teacher_leader,
        choices={2: proposal, 3: library, 4: None},
    )

    titles = {m.number: m.theme.title if m.theme else None for m in world.community.meetings.all()}
    assert (titles[2], titles[3], titles[4]) == ("Feedback geven", "Pesten", None)


def test_fixing_several_meetings_is_all_or_nothing(world, meetings, teacher_leader) -> None:
    pesten = Theme.objects.get(school=world.school, title="Pesten")
    autisme = Theme.objects.get(school=world.school, title="Autisme")
    services.meeting_theme_set(meeting=meetings[2], actor=teacher_leader, theme=pesten)

    with pytest.raises(ValidationError) as error:
        services.meeting_themes_fix(
            community=world.community, actor=teacher_leader, choices={2: autisme, 3: autisme}
        )

    assert _codes(error) == {"reason_required"}
    meetings[1].refresh_from_db()
    meetings[2].refresh_from_db()
    assert meetings[1].theme is None
    assert meetings[2].theme == pesten
