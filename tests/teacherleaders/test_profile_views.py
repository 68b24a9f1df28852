"""The teacher-leader page and its sub-pages: who may see what, queries, bad input, privacy."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import translation

from plg_platform.users.services import user_delete
from teacherleaders.models import (
    ResponsibilityCheck,
    ResponsibilityStatus,
    SelfReflection,
    Training,
    TrainingStatus,
)
from teacherleaders.services.profile import (
    responsibilities_save,
    self_reflection_save,
    training_create,
)
from tests.conftest import AMSTERDAM
from tests.factories import CommunityFactory, MembershipFactory, UserFactory
from tests.helpers import assert_login_redirect, assert_only_for, count_queries

pytestmark = pytest.mark.usefixtures("in_the_year")

PRIVATE_TEXT = "PRIVATE-TL-REFLECTION-4711"
SHARED_TEXT = "SHARED-TL-REFLECTION-0815"
LEADERS = {"teacher_leader", "co_teacher_leader"}
PERSONAS = [
    "participant",
    "teacher_leader",
    "co_teacher_leader",
    "other_school_leader",
    "team_leader",
    "school_admin",
    "anonymous",
]
LEADER_PAGES = [
    "profile_at",
    "training_create",
    "self_reflection",
    "responsibilities",
    "shared_reflections",
]


@pytest.fixture
def everyone(
    participant,
    teacher_leader,
    co_teacher_leader,
    other_school_leader,
    team_leader,
    school_admin,
):
    """Create every persona so each page sees the same world."""


def _checklist(**overrides: str) -> dict[str, str]:
    data: dict[str, str] = {}
    for item in ["report", "contact", "product", "leader_meetings", "ambassador"]:
        data[f"{item}_status"] = ResponsibilityStatus.NOT_STARTED
        data[f"{item}_evidence"] = ""
    data.update(overrides)
    return data


# Who may see the pages


@pytest.mark.parametrize("page", LEADER_PAGES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_leader_pages_are_for_the_schools_teacher_leaders_only(
    client_as, world, everyone, persona, page
):
    response = client_as(persona).get(reverse(f"teacherleaders:{page}", args=[world.school.pk]))
    assert_only_for(response, persona, LEADERS)


@pytest.mark.parametrize("persona", PERSONAS)
def test_navigation_shows_teacher_leader_entry_to_those_who_lead_a_plg(
    client_as, world, everyone, persona
):
    response = client_as(persona).get(reverse("teacherleaders:profile"))
    if persona == "anonymous":
        assert_login_redirect(response)
        return
    leads = persona in LEADERS | {"other_school_leader"}
    assert response.status_code == (200 if leads else 404)
    dashboard = client_as(persona).get(reverse("communities:dashboard")).content.decode()
    assert (f'href="{reverse("teacherleaders:profile")}"' in dashboard) is leads


def test_the_profile_without_a_school_shows_the_users_own_school(client_as, world, everyone):
    response = client_as("other_school_leader").get(reverse("teacherleaders:profile"))
    assert response.context["leader_year"].school == world.other_school


def test_a_teacher_leader_of_a_finished_year_has_no_page_and_no_entry(
    client_as, world, teacher_leader, in_the_year
):
    in_the_year.move_to(dt.datetime(2027, 8, 1, 12, 0, tzinfo=AMSTERDAM))
    client = client_as("teacher_leader")
    assert client.get(reverse("teacherleaders:profile")).status_code == 404
    dashboard = client.get(reverse("communities:dashboard")).content.decode()
    assert reverse("teacherleaders:profile") not in dashboard


def test_leading_only_the_teacher_leaders_plg_gives_no_page(client_as, world, participant):
    from communities.models import CommunityKind

    leaders_plg = CommunityFactory(
        team=world.team, school_year=world.school_year, kind=CommunityKind.TEACHER_LEADERS
    )
    MembershipFactory(community=leaders_plg, user=participant, is_teacher_leader=True)
    assert client_as("participant").get(reverse("teacherleaders:profile")).status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_responsibilities_overview_is_for_the_schools_programme_leads(
    client_as, world, everyone, persona
):
    url = reverse("teacherleaders:school_responsibilities", args=[world.school.pk])
    response = client_as(persona).get(url)
    assert_only_for(response, persona, {"school_admin"})


def test_responsibilities_overview_is_not_for_another_schools_programme_lead(
    client_as, world, other_school_user
):
    url = reverse("teacherleaders:school_responsibilities", args=[world.school.pk])
    assert client_as("other_school_user").get(url).status_code == 404


def test_school_page_links_to_the_responsibilities_overview(client_as, world, school_admin):
    page = client_as("school_admin").get(reverse("communities:school", args=[world.school.pk]))
    assert reverse("teacherleaders:school_responsibilities", args=[world.school.pk]) in (
        page.content.decode()
    )


# Training


@pytest.fixture
def training(world, teacher_leader):
    return training_create(
        user=teacher_leader,
        school=world.school,
        data={"course": "Leading a PLG", "year": 2026, "status": TrainingStatus.IN_PROGRESS},
    )


def test_teacher_leader_adds_a_training(client_as, world, teacher_leader):
    response = client_as("teacher_leader").post(
        reverse("teacherleaders:training_create", args=[world.school.pk]),
        {"course": "Coaching", "year": "2025", "status": TrainingStatus.COMPLETED},
    )
    assert response.status_code == 302
    assert Training.objects.get(user=teacher_leader).course == "Coaching"


def test_training_with_a_bad_year_shows_the_error(client_as, world, teacher_leader):
    with translation.override("en"):
        response = client_as("teacher_leader").post(
            reverse("teacherleaders:training_create", args=[world.school.pk]),
            {"course": "Coaching", "year": "2031", "status": TrainingStatus.COMPLETED},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 200
    assert "year" in response.context["form"].errors
    assert not Training.objects.exists()


def test_training_with_a_year_that_is_not_a_number_is_no_500(client_as, world, teacher_leader):
    response = client_as("teacher_leader").post(
        reverse("teacherleaders:training_create", args=[world.school.pk]),
        {"course": "Coaching", "year": "twenty", "status": "nonsense"},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"year", "status"}


def test_teacher_leader_edits_and_removes_own_training(client_as, world, training):
    client = client_as("teacher_leader")
    edit = reverse("teacherleaders:training_edit", args=[world.school.pk, training.pk])
    assert client.get(edit).status_code == 200
    client.post(edit, {"course": "Leading a PLG", "year": "2026", "status": "completed"})
    training.refresh_from_db()
    assert training.status == TrainingStatus.COMPLETED
    remove = reverse("teacherleaders:training_delete", args=[world.school.pk, training.pk])
    assert client.get(remove).status_code == 405
    assert client.post(remove).status_code == 302
    assert not Training.objects.exists()


@pytest.mark.parametrize(
    "persona", ["co_teacher_leader", "other_school_leader", "participant", "school_admin"]
)
def test_nobody_else_edits_or_removes_a_training(client_as, world, everyone, training, persona):
    client = client_as(persona)
    edit = reverse("teacherleaders:training_edit", args=[world.school.pk, training.pk])
    remove = reverse("teacherleaders:training_delete", args=[world.school.pk, training.pk])
    assert client.get(edit).status_code == 404
    assert client.post(edit, {"course": "Hacked", "year": "2026"}).status_code == 404
    assert client.post(remove).status_code == 404
    training.refresh_from_db()
    assert training.course == "Leading a PLG"


def test_anonymous_cannot_remove_a_training(client, world, training):
    remove = reverse("teacherleaders:training_delete", args=[world.school.pk, training.pk])
    assert_login_redirect(client.post(remove))
    assert Training.objects.filter(pk=training.pk).exists()


# Self-reflection


def test_teacher_leader_writes_a_private_self_reflection(client_as, world, teacher_leader):
    response = client_as("teacher_leader").post(
        reverse("teacherleaders:self_reflection", args=[world.school.pk]),
        {"style": "consulting", "roles_taken": ["mentor", "learner"], "skills": PRIVATE_TEXT},
    )
    assert response.status_code == 302
    reflection = SelfReflection.objects.get(user=teacher_leader)
    assert (reflection.shared, reflection.roles_taken) == (False, ["mentor", "learner"])
    page = client_as("teacher_leader").get(reverse("teacherleaders:profile")).content.decode()
    assert PRIVATE_TEXT in page


def test_self_reflection_with_an_unknown_role_shows_the_error(client_as, world, teacher_leader):
    response = client_as("teacher_leader").post(
        reverse("teacherleaders:self_reflection", args=[world.school.pk]),
        {"roles_taken": ["headmaster"], "style": "bossy"},
    )
    assert response.status_code == 200
    assert {"roles_taken", "style"} <= set(response.context["form"].errors)
    assert not SelfReflection.objects.exists()


def test_self_reflection_page_explains_the_styles_and_roles(client_as, world, teacher_leader):
    with translation.override("en"):
        page = client_as("teacher_leader").get(
            reverse("teacherleaders:self_reflection", args=[world.school.pk]),
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert len(page.context["styles"]) == 4
    assert len(page.context["roles"]) == 10


@pytest.fixture
def private_and_shared(world, teacher_leader, co_teacher_leader):
    """The teacher leader keeps theirs private; the co-teacher leader shares theirs."""
    self_reflection_save(
        user=teacher_leader,
        school_year=world.school_year,
        data={"skills": PRIVATE_TEXT, "style_fit": PRIVATE_TEXT, "shared": False},
    )
    self_reflection_save(
        user=co_teacher_leader,
        school_year=world.school_year,
        data={"skills": SHARED_TEXT, "roles_taken": ["catalyst"], "shared": True},
    )


def test_shared_self_reflections_are_read_by_the_schools_other_teacher_leaders(
    client_as, world, private_and_shared, other_plg_leader
):
    url = reverse("teacherleaders:shared_reflections", args=[world.school.pk])
    for persona in ["teacher_leader", "other_plg_leader"]:
        page = client_as(persona).get(url).content.decode()
        assert SHARED_TEXT in page
        assert "Cora Coleader" in page
        assert PRIVATE_TEXT not in page


def test_shared_self_reflections_are_not_read_by_another_schools_leader(
    client_as, world, private_and_shared, other_school_leader
):
    client = client_as("other_school_leader")
    assert (
        client.get(reverse("teacherleaders:shared_reflections", args=[world.school.pk])).status_code
        == 404
    )
    own_school = client.get(
        reverse("teacherleaders:shared_reflections", args=[world.other_school.pk])
    )
    assert SHARED_TEXT not in own_school.content.decode()


def _pages_for(world) -> list[str]:
    return [
        reverse("communities:dashboard"),
        reverse("communities:detail", args=[world.community.pk]),
        reverse("teacherleaders:profile"),
        reverse("teacherleaders:profile_at", args=[world.school.pk]),
        reverse("teacherleaders:shared_reflections", args=[world.school.pk]),
        reverse("teacherleaders:self_reflection", args=[world.school.pk]),
        reverse("teacherleaders:school_responsibilities", args=[world.school.pk]),
        reverse("communities:school", args=[world.school.pk]),
        reverse("casework:yearly_plg", args=[world.community.pk]),
        reverse("casework:yearly_index"),
    ]


@pytest.mark.parametrize(
    "persona",
    [
        "participant",
        "co_teacher_leader",
        "other_plg_leader",
        "other_school_leader",
        "team_leader",
        "school_admin",
    ],
)
def test_private_self_reflection_text_is_on_no_page_of_anyone_else(
    client_as, world, everyone, other_plg_leader, private_and_shared, persona
):
    client = client_as(persona)
    for url in _pages_for(world):
        response = client.get(url)
        assert response.status_code in {200, 302, 404}, url
        assert PRIVATE_TEXT not in response.content.decode(), url


def test_shared_self_reflection_text_is_not_shown_to_team_leader_or_programme_lead(
    client_as, world, everyone, private_and_shared
):
    for persona in ["team_leader", "school_admin"]:
        client = client_as(persona)
        for url in _pages_for(world):
            assert SHARED_TEXT not in client.get(url).content.decode(), (persona, url)


def test_self_reflections_are_not_in_the_admin():
    assert SelfReflection not in admin.site._registry


# Responsibilities


def test_teacher_leader_updates_the_checklist(client_as, world, teacher_leader):
    response = client_as("teacher_leader").post(
        reverse("teacherleaders:responsibilities", args=[world.school.pk]),
        _checklist(report_status="done", report_evidence="All reports sent."),
    )
    assert response.status_code == 302
    check = ResponsibilityCheck.objects.get(user=teacher_leader, item="report")
    assert (check.status, check.evidence) == ("done", "All reports sent.")


def test_checklist_done_without_evidence_shows_the_error_at_its_field(
    client_as, world, teacher_leader
):
    response = client_as("teacher_leader").post(
        reverse("teacherleaders:responsibilities", args=[world.school.pk]),
        _checklist(product_status="done"),
    )
    assert response.status_code == 200
    assert "product_evidence" in response.context["form"].errors
    assert not ResponsibilityCheck.objects.exists()


def test_checklist_with_missing_fields_is_no_500(client_as, world, teacher_leader):
    response = client_as("teacher_leader").post(
        reverse("teacherleaders:responsibilities", args=[world.school.pk]),
        {"report_status": "bogus"},
    )
    assert response.status_code == 200
    assert "report_status" in response.context["form"].errors


def test_programme_lead_sees_every_teacher_leaders_checklist(
    client_as, world, teacher_leader, co_teacher_leader, other_plg_leader, school_admin
):
    responsibilities_save(
        user=teacher_leader,
        school_year=world.school_year,
        data=_checklist(contact_status="done", contact_evidence="Called every new member."),
    )
    response = client_as("school_admin").get(
        reverse("teacherleaders:school_responsibilities", args=[world.school.pk])
    )
    leaders = {entry.user: entry for entry in response.context["leaders"]}
    assert set(leaders) == {teacher_leader, co_teacher_leader, other_plg_leader}
    assert leaders[teacher_leader].done_count == 1
    assert leaders[co_teacher_leader].done_count == 0
    assert "Called every new member." in response.content.decode()


# Queries


def _add_leader_with_everything(world, n: int):
    """Another teacher leader in a new PLG, with a training, shared reflection and checklist."""
    user = UserFactory()
    community = CommunityFactory(team=world.team, school_year=world.school_year)
    MembershipFactory(community=community, user=user, is_teacher_leader=True)
    MembershipFactory(community=world.community, user=user, is_teacher_leader=True)
    training_create(user=user, school=world.school, data={"course": f"Course {n}", "year": 2026})
    self_reflection_save(
        user=user, school_year=world.school_year, data={"skills": "x", "shared": True}
    )
    responsibilities_save(
        user=user,
        school_year=world.school_year,
        data=_checklist(report_status="done", report_evidence="ok"),
    )
    return user, community


@pytest.mark.parametrize(
    ("page", "persona"),
    [
        ("profile_at", "teacher_leader"),
        ("shared_reflections", "teacher_leader"),
        ("school_responsibilities", "school_admin"),
    ],
)
def test_page_queries_do_not_grow_with_rows(
    client_as, world, everyone, teacher_leader, page, persona
):
    client = client_as(persona)
    url = reverse(f"teacherleaders:{page}", args=[world.school.pk])
    _add_leader_with_everything(world, 0)
    few = count_queries(client, url)
    for n in range(1, 8):
        user, community = _add_leader_with_everything(world, n)
        # The signed-in teacher leader leads more PLGs and has more courses too.
        MembershipFactory(community=community, user=teacher_leader, is_teacher_leader=True)
        training_create(
            user=teacher_leader, school=world.school, data={"course": f"Mine {n}", "year": 2026}
        )
    many = count_queries(client, url)
    assert few == many
    assert many <= 12


@pytest.mark.parametrize("year", ["abc", "999999", "-1", ""])
def test_responsibilities_overview_of_a_bad_year_is_404(
    client_as, world, school_admin, teacher_leader, year
):
    # A mistyped year must not silently show another year's checklists.
    url = reverse("teacherleaders:school_responsibilities", args=[world.school.pk])
    assert client_as("school_admin").get(url, {"year": year}).status_code == 404


def test_responsibilities_overview_of_another_schools_year_is_404(client, world, school_admin):
    # Even when the programme lead also runs that other school.
    world.other_school.admins.add(school_admin)
    client.force_login(school_admin)
    url = reverse("teacherleaders:school_responsibilities", args=[world.school.pk])
    assert client.get(url, {"year": world.other_school_year.pk}).status_code == 404


def test_responsibilities_overview_without_a_year_shows_the_year_under_way(
    client_as, world, school_admin, in_the_year
):
    url = reverse("teacherleaders:school_responsibilities", args=[world.school.pk])
    response = client_as("school_admin").get(url)
    assert response.context["school_year"] == world.school_year


def test_responsibilities_overview_leaves_out_a_deleted_teacher_leader(
    client_as, world, school_admin, teacher_leader, co_teacher_leader, in_the_year
):
    user_delete(user=co_teacher_leader, actor=None)
    url = reverse("teacherleaders:school_responsibilities", args=[world.school.pk])
    leaders = client_as("school_admin").get(url).context["leaders"]
    assert [entry.user for entry in leaders] == [teacher_leader]


def test_checklist_form_starts_from_the_saved_state(client_as, world, teacher_leader):
    responsibilities_save(
        user=teacher_leader,
        school_year=world.school_year,
        data=_checklist(contact_status="under_way", contact_evidence="Weekly mail."),
    )
    form = (
        client_as("teacher_leader")
        .get(reverse("teacherleaders:responsibilities", args=[world.school.pk]))
        .context["form"]
    )
    assert form["contact_status"].value() == "under_way"
    assert form["contact_evidence"].value() == "Weekly mail."
    assert form["report_status"].value() == ResponsibilityStatus.NOT_STARTED
