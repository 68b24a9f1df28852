"""Health-check pages: who sees and does what, bad input, anonymity on every page, query budgets."""

from __future__ import annotations

import pytest
import time_machine
from django.contrib import admin
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from communities.health_services import health_action_create
from communities.models import (
    HealthAction,
    HealthCheckAnswer,
    HealthCheckMoment,
    HealthCheckParticipation,
)
from tests.communities.health_helpers import (
    DURING_MOMENT_1,
    DURING_MOMENT_2,
    add_members,
    answer_all,
    create_moments,
    scores,
)
from tests.helpers import assert_only_for, count_queries
from tests.personas import OUTSIDERS, PERSONAS, SEES_PLG

pytestmark = pytest.mark.django_db

GROUP_MEMBERS = {"participant", "teacher_leader", "development_team"}
LEADS = {"teacher_leader"}
# Session, user, the PLG (access), own membership, moments, counts or answers, own
# participations or actions, and the navigation's school-admin check and unread count.
OVERVIEW_MAX_QUERIES = 10
MOMENT_MAX_QUERIES = 10


@pytest.fixture
def during_moment_1():
    with time_machine.travel(DURING_MOMENT_1, tick=False):
        yield


@pytest.fixture
def moments(world):
    return create_moments(world.community)


@pytest.fixture
def action(world, moments, teacher_leader, participant):
    return health_action_create(
        moment=moments[1],
        characteristic=4,
        role="participant",
        text="Bring in a case.",
        owner=participant,
        actor=teacher_leader,
    )


def _form_data(values: dict[int, object] | None = None, comment: str = "") -> dict[str, object]:
    values = values or scores(4)
    return {**{f"score_{k}": v for k, v in values.items()}, "comment": comment}


def _urls(world, action) -> dict[str, str]:
    pk = world.community.pk
    return {
        "overview": reverse("communities:health", args=[pk]),
        "moment": reverse("communities:health_moment", args=[pk, 1]),
        "answer": reverse("communities:health_answer", args=[pk, 1]),
        "dates": reverse("communities:health_dates", args=[pk]),
        "action_add": reverse("communities:health_action_add", args=[pk, 1]),
        "action_edit": reverse("communities:health_action_edit", args=[pk, action.pk]),
    }


WHO_MAY = {
    "overview": SEES_PLG,
    "moment": SEES_PLG,
    "answer": GROUP_MEMBERS,
    "dates": LEADS,
    "action_add": LEADS,
    "action_edit": LEADS,
}


@pytest.mark.parametrize("page", list(WHO_MAY))
@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_open_each_health_page(
    world, action, client_as, persona, page, during_moment_1, request
):
    # Every persona exists, so "not allowed" is about the role, not a missing account.
    for name in PERSONAS:
        request.getfixturevalue(name)
    response = client_as(persona).get(_urls(world, action)[page])
    assert_only_for(response, persona, WHO_MAY[page])


@pytest.mark.parametrize("persona", OUTSIDERS + ["team_leader", "school_admin", "expert"])
def test_those_outside_the_group_cannot_post_an_answer(
    world, moments, client_as, persona, during_moment_1
):
    url = reverse("communities:health_answer", args=[world.community.pk, 1])
    assert client_as(persona).post(url, _form_data()).status_code == 404
    assert not HealthCheckAnswer.objects.exists()


@pytest.mark.parametrize("persona", ["participant", "school_admin", "team_leader"])
def test_only_teacher_leaders_post_dates_and_actions(
    world, moments, action, client_as, persona, during_moment_1
):
    client = client_as(persona)
    pk = world.community.pk
    dates = {"opens_on_1": "2026-09-02", "closes_on_1": "2026-09-10"}
    assert client.post(reverse("communities:health_dates", args=[pk]), dates).status_code == 404
    add = reverse("communities:health_action_add", args=[pk, 1])
    assert client.post(add, {"characteristic": 1}).status_code == 404
    edit = reverse("communities:health_action_edit", args=[pk, action.pk])
    assert client.post(edit, {"status": "done"}).status_code == 404
    action.refresh_from_db()
    assert action.status == "agreed"


def test_action_of_another_plg_is_not_found(world, action, client_as, other_school_user):
    other_pk = world.other_school_community.pk
    url = reverse("communities:health_action_edit", args=[other_pk, action.pk])
    assert client_as("other_school_user").get(url).status_code == 404


@pytest.mark.parametrize("number", [0, 4, 99])
def test_unknown_moment_number_is_not_found(world, client_as, participant, number):
    url = reverse("communities:health_moment", args=[world.community.pk, number])
    assert client_as("participant").get(url).status_code == 404


def test_participant_answers_and_then_sees_only_that_they_did(
    world, moments, client_as, participant, during_moment_1
):
    client = client_as("participant")
    url = reverse("communities:health_answer", args=[world.community.pk, 1])
    response = client.post(url, _form_data(scores(2, 3, 4, 5, 1, 2, 3), "Good talks."))
    assert response.status_code == 302
    assert HealthCheckParticipation.objects.filter(user=participant).count() == 1
    assert HealthCheckAnswer.objects.get().scores() == scores(2, 3, 4, 5, 1, 2, 3)
    with translation.override("en"):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'name="score_1"' not in page
    assert "Good talks." not in page


def test_second_answer_is_refused_with_a_message(
    world, moments, client_as, participant, during_moment_1
):
    client = client_as("participant")
    url = reverse("communities:health_answer", args=[world.community.pk, 1])
    client.post(url, _form_data())
    response = client.post(url, _form_data(scores(1)))
    assert response.status_code == 200
    assert HealthCheckAnswer.objects.count() == 1
    assert response.context["form"].non_field_errors()


def test_closed_moment_cannot_be_answered(world, moments, client_as, participant):
    url = reverse("communities:health_answer", args=[world.community.pk, 1])
    with time_machine.travel(DURING_MOMENT_2, tick=False):
        client = client_as("participant")
        assert 'name="score_1"' not in client.get(url).content.decode()
        response = client.post(url, _form_data())
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not HealthCheckAnswer.objects.exists()


def test_answer_on_proposed_moments_saves_them_first(world, meetings, client_as, participant):
    moment_1_day = meetings[0].starts_at
    with time_machine.travel(moment_1_day, tick=False):
        url = reverse("communities:health_answer", args=[world.community.pk, 1])
        assert client_as("participant").post(url, _form_data()).status_code == 302
    assert HealthCheckMoment.objects.filter(community=world.community).count() == 3
    assert HealthCheckAnswer.objects.count() == 1


@pytest.mark.parametrize("bad", ["0", "6", "abc", ""])
def test_bad_score_gives_a_clear_message(
    world, moments, client_as, participant, bad, during_moment_1
):
    data = _form_data()
    data["score_3"] = bad
    url = reverse("communities:health_answer", args=[world.community.pk, 1])
    response = client_as("participant").post(url, data)
    assert response.status_code == 200
    # The participant reads Dutch; compare with the message in the active language.
    assert response.context["form"].errors["score_3"] == [
        gettext("Give this characteristic a score from 1 to 5.")
    ]
    assert not HealthCheckParticipation.objects.exists()


def test_overlong_comment_gives_a_clear_message(
    world, moments, client_as, participant, during_moment_1
):
    url = reverse("communities:health_answer", args=[world.community.pk, 1])
    response = client_as("participant").post(url, _form_data(comment="x" * 2001))
    assert response.status_code == 200
    assert "comment" in response.context["form"].errors
    assert not HealthCheckAnswer.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"opens_on_1": "abc"}, "opens_on_1"),
        ({"opens_on_1": "2026-09-20", "closes_on_1": "2026-09-10"}, "closes_on_1"),
        ({"opens_on_2": "2026-09-10"}, "opens_on_2"),
    ],
)
def test_bad_dates_give_a_clear_message(world, moments, client_as, teacher_leader, data, field):
    base = {
        f"{kind}_{m.number}": getattr(m, kind).isoformat()
        for m in moments.values()
        for kind in ("opens_on", "closes_on")
    }
    url = reverse("communities:health_dates", args=[world.community.pk])
    response = client_as("teacher_leader").post(url, {**base, **data})
    assert response.status_code == 200
    assert field in response.context["form"].errors


def test_teacher_leader_moves_dates(world, moments, client_as, teacher_leader):
    data = {
        f"{kind}_{m.number}": getattr(m, kind).isoformat()
        for m in moments.values()
        for kind in ("opens_on", "closes_on")
    }
    data["closes_on_1"] = "2026-09-30"
    url = reverse("communities:health_dates", args=[world.community.pk])
    assert client_as("teacher_leader").post(url, data).status_code == 302
    moments[1].refresh_from_db()
    assert moments[1].closes_on.isoformat() == "2026-09-30"


def test_suggestion_prefills_the_action_form(world, moments, client_as, teacher_leader):
    url = reverse("communities:health_action_add", args=[world.community.pk, 1])
    response = client_as("teacher_leader").get(url + "?characteristic=7&suggestion=0")
    assert response.context["form"].initial["role"] == "team_leader"
    assert response.context["form"].initial["characteristic"] == 7


@pytest.mark.parametrize(
    "query",
    [
        "?characteristic=abc",
        "?characteristic=9",
        "?characteristic=7&suggestion=-1",
        "?characteristic=7&suggestion=x",
    ],
)
def test_bad_suggestion_parameters_open_an_empty_form(
    world, moments, client_as, teacher_leader, query
):
    url = reverse("communities:health_action_add", args=[world.community.pk, 1])
    response = client_as("teacher_leader").get(url + query)
    assert response.status_code == 200
    assert "text" not in response.context["form"].initial


def test_teacher_leader_agrees_on_an_action(world, moments, client_as, teacher_leader, participant):
    url = reverse("communities:health_action_add", args=[world.community.pk, 1])
    data = {
        "characteristic": 7,
        "role": "team_leader",
        "text": "Ask for time.",
        "owner": participant.pk,
    }
    assert client_as("teacher_leader").post(url, data).status_code == 302
    assert HealthAction.objects.get().owner == participant


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"owner": 999999}, "owner"),
        ({"characteristic": 8}, "characteristic"),
        ({"role": "boss"}, "role"),
        ({"text": "x" * 1001}, "text"),
    ],
)
def test_bad_action_input_gives_a_message(
    world, moments, client_as, teacher_leader, participant, other_plg_member, change, field
):
    url = reverse("communities:health_action_add", args=[world.community.pk, 1])
    data = {"characteristic": 7, "role": "team_leader", "text": "Ask.", "owner": participant.pk}
    response = client_as("teacher_leader").post(url, {**data, **change})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not HealthAction.objects.exists()


def test_outsider_cannot_be_made_owner(world, moments, client_as, teacher_leader, other_plg_member):
    url = reverse("communities:health_action_add", args=[world.community.pk, 1])
    data = {
        "characteristic": 7,
        "role": "team_leader",
        "text": "Ask.",
        "owner": other_plg_member.pk,
    }
    response = client_as("teacher_leader").post(url, data)
    assert "owner" in response.context["form"].errors


def test_previous_actions_are_listed_for_follow_up(world, action, client_as, teacher_leader):
    page = client_as("teacher_leader").get(
        reverse("communities:health_moment", args=[world.community.pk, 2])
    )
    assert [a.pk for a in page.context["previous_actions"]] == [action.pk]
    edit = reverse("communities:health_action_edit", args=[world.community.pk, action.pk])
    assert edit in page.content.decode()


def _answered_moment(world, comment_texts=("Nice group", "", "More time please")):
    moments = create_moments(world.community)
    users = add_members(world.community, len(comment_texts))
    with time_machine.travel(DURING_MOMENT_1, tick=False):
        answer_all(
            moments[1],
            users,
            [scores(1), scores(3), scores(5)][: len(comment_texts)],
            list(comment_texts),
        )
    return moments, users


@pytest.mark.parametrize("viewer", sorted(SEES_PLG))
def test_results_name_nobody_who_answered(world, client_as, viewer, request):
    request.getfixturevalue(viewer)
    _moments, users = _answered_moment(world)
    pk = world.community.pk
    client = client_as(viewer)
    for url in (
        reverse("communities:health", args=[pk]),
        reverse("communities:health_moment", args=[pk, 1]),
    ):
        page = client.get(url).content.decode()
        for user in users:
            assert user.name not in page
            assert user.email not in page
    assert "<svg" in page


READS_COMMENTS = {"participant", "teacher_leader", "development_team"}


@pytest.mark.parametrize("viewer", sorted(SEES_PLG))
def test_only_the_group_and_its_teacher_leaders_read_comments_and_suggestions(
    world, client_as, viewer, request
):
    request.getfixturevalue(viewer)
    _answered_moment(world)
    response = client_as(viewer).get(
        reverse("communities:health_moment", args=[world.community.pk, 1])
    )
    page = response.content.decode()
    reads = viewer in READS_COMMENTS
    assert ("More time please" in page) is reads
    assert ('id="comments-heading"' in page) is reads
    assert ('id="suggestions-heading"' in page) is reads
    expected = ["More time please", "Nice group"] if reads else []
    assert sorted(response.context["results"].comments) == expected
    # Everyone who sees the PLG still sees the averages, spread, chart and table.
    assert "<svg" in page
    assert 'id="table-heading"' in page


def test_the_comment_help_text_says_who_reads_comments():
    from communities.health_forms import HealthAnswerForm

    with translation.override("en"):
        help_text = str(HealthAnswerForm().fields["comment"].help_text)
    assert "members and teacher leaders of this PLG" in help_text
    assert "team leaders, the programme lead and guest experts do not see comments" in help_text


def test_fewer_than_three_answers_show_no_chart_table_or_comment(world, client_as, teacher_leader):
    _answered_moment(world, comment_texts=("Only two of us", "Secret"))
    teacher_leader.language = "en"
    teacher_leader.save(update_fields=["language"])
    response = client_as("teacher_leader").get(
        reverse("communities:health_moment", args=[world.community.pk, 1])
    )
    page = response.content.decode()
    assert "<svg" not in page
    assert "Only two of us" not in page and "Secret" not in page
    assert response.context["results"].characteristics == []
    assert "2 of 3 answers needed" in page


def test_chart_overlays_the_previous_moment(world, client_as, teacher_leader):
    moments, users = _answered_moment(world)
    with time_machine.travel(DURING_MOMENT_2, tick=False):
        answer_all(moments[2], users, [scores(4)] * 3)
        response = client_as("teacher_leader").get(
            reverse("communities:health_moment", args=[world.community.pk, 2])
        )
    chart = str(response.context["chart"])
    assert 'stroke-dasharray="6 4"' in chart
    assert "style=" not in response.content.decode().split("<svg", 1)[1].split("</svg>")[0]


def test_answers_and_participations_are_not_in_the_admin():
    registered = {model._meta.label for model in admin.site._registry}
    assert "communities.HealthCheckAnswer" not in registered
    assert "communities.HealthCheckParticipation" not in registered


def _page_queries(client, world, url_name, *, members: int, **kwargs) -> int:
    from communities.models import Community
    from tests.factories import CommunityFactory, MembershipFactory, UserFactory

    community = CommunityFactory(team=world.team, school_year=world.school_year)
    leader = UserFactory()
    MembershipFactory(community=community, user=leader, is_teacher_leader=True)
    moments = create_moments(community)
    users = add_members(community, members)
    with time_machine.travel(DURING_MOMENT_1, tick=False):
        answer_all(moments[1], users, [scores(n % 5 + 1) for n in range(members)], ["c"] * members)
    for user in users:
        health_action_create(
            moment=moments[1],
            characteristic=1,
            role="participant",
            text="Do it.",
            owner=user,
            actor=leader,
        )
    assert Community.objects.filter(pk=community.pk).exists()
    client.force_login(leader)
    with time_machine.travel(DURING_MOMENT_2, tick=False):
        return count_queries(client, reverse(url_name, args=[community.pk, *kwargs.values()]))


@pytest.mark.parametrize(
    ("url_name", "kwargs", "budget"),
    [
        ("communities:health", {}, OVERVIEW_MAX_QUERIES),
        ("communities:health_moment", {"number": 1}, MOMENT_MAX_QUERIES),
        ("communities:health_moment", {"number": 2}, MOMENT_MAX_QUERIES),
    ],
)
def test_health_page_queries_do_not_grow_with_answers(world, client, url_name, kwargs, budget):
    small = _page_queries(client, world, url_name, members=3, **kwargs)
    large = _page_queries(client, world, url_name, members=12, **kwargs)
    assert small == large <= budget
