"""The teacher leaders' own PLG: set up and re-synced by the programme lead, private to them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext

from communities.models import (
    AuditAction,
    AuditEvent,
    Community,
    CommunityKind,
    Membership,
    SchoolYear,
)
from teacherleaders.services.leader_plg import leader_plg_ensure
from tests.factories import CommunityFactory, MembershipFactory, TeamFactory, UserFactory
from tests.helpers import assert_login_redirect, assert_only_for, count_queries
from tests.personas import PERSONAS

# The teacher leaders' PLG fixtures: second_leader, leader_plg, leader_meetings.
from tests.teacherleaders.leader_plg_world import *  # noqa: F403

# Who sees the teacher leaders' PLG: its members and the school's programme lead. Nobody else:
# not an ordinary participant, not a team leader.
SEES_LEADER_PLG = {"teacher_leader", "school_admin"}


def members_of(community: Community) -> dict[str, tuple[bool, bool]]:
    return {
        m.user.email: (m.is_participant, m.is_teacher_leader)
        for m in Membership.objects.filter(community=community).select_related("user")
    }


def test_setting_up_makes_a_leaders_plg_of_every_teacher_leader_of_the_year(
    world, leader_plg, teacher_leader, second_leader, other_school_user
):
    assert leader_plg.kind == CommunityKind.TEACHER_LEADERS
    assert leader_plg.school_year == world.school_year
    assert leader_plg.team.school == world.school
    assert not leader_plg.team.leaders.exists()
    # Both roles: they take part and run it together. The other school's leader is not in it.
    assert members_of(leader_plg) == {
        teacher_leader.email: (True, True),
        second_leader.email: (True, True),
    }


def test_setting_up_twice_keeps_one_plg_in_one_team(world, leader_plg, school_admin):
    again = leader_plg_ensure(school_year=world.school_year, actor=school_admin)
    assert again == leader_plg
    assert Community.objects.filter(kind=CommunityKind.TEACHER_LEADERS).count() == 1


def test_next_year_reuses_the_leaders_team(world, leader_plg, school_admin):
    next_year = SchoolYear.objects.create(
        school=world.school,
        name="2027-2028",
        starts_on="2027-08-20",
        ends_on="2028-07-10",
    )
    next_plg = leader_plg_ensure(school_year=next_year, actor=school_admin)
    assert next_plg != leader_plg
    assert next_plg.team == leader_plg.team


def test_a_team_that_happens_to_carry_the_name_is_not_borrowed(world, school_admin, teacher_leader):
    with translation.override("en"):
        borrowed = TeamFactory(school=world.school, name="Teacher leaders")
        borrowed.leaders.add(UserFactory())
        community = leader_plg_ensure(school_year=world.school_year, actor=school_admin)
    assert community.team != borrowed
    assert not community.team.leaders.exists()


def test_resync_adds_new_leaders_and_removes_who_no_longer_leads(
    world, leader_plg, teacher_leader, second_leader, school_admin
):
    newcomer = UserFactory(email="new@lyceum.example")
    MembershipFactory(community=world.community, user=newcomer, is_teacher_leader=True)
    Membership.objects.filter(community=world.other_community, user=second_leader).update(
        is_participant=True, is_teacher_leader=False
    )
    guest = UserFactory(email="guest@university.example")
    MembershipFactory(community=leader_plg, user=guest, is_participant=False, is_expert=True)

    leader_plg_ensure(school_year=world.school_year, actor=school_admin)

    assert members_of(leader_plg) == {
        teacher_leader.email: (True, True),
        newcomer.email: (True, True),
        # A guest expert added by hand stays.
        guest.email: (False, False),
    }


def test_a_leader_of_the_leaders_plg_itself_is_not_counted_as_leading_a_plg(
    world, leader_plg, school_admin, teacher_leader
):
    Membership.objects.filter(community=world.other_community).delete()
    leader_plg_ensure(school_year=world.school_year, actor=school_admin)
    assert set(members_of(leader_plg)) == {teacher_leader.email}


def test_only_the_programme_lead_sets_it_up(world, teacher_leader, team_leader):
    for actor in (teacher_leader, team_leader):
        with pytest.raises(ValidationError):
            leader_plg_ensure(school_year=world.school_year, actor=actor)
    assert not Community.objects.filter(kind=CommunityKind.TEACHER_LEADERS).exists()


def test_an_ordinary_plg_of_another_year_does_not_count(world, leader_plg, school_admin):
    other_year = SchoolYear.objects.create(
        school=world.school, name="2025-2026", starts_on="2025-08-20", ends_on="2026-07-10"
    )
    old_leader = UserFactory(email="old@lyceum.example")
    MembershipFactory(
        community=CommunityFactory(team=world.team, school_year=other_year),
        user=old_leader,
        is_teacher_leader=True,
    )
    leader_plg_ensure(school_year=world.school_year, actor=school_admin)
    assert old_leader.email not in members_of(leader_plg)


# Pages of the teacher leaders' PLG: the ordinary PLG machinery, for its members only.


def leader_plg_urls(community, meetings):
    return [
        reverse("communities:detail", args=[community.pk]),
        reverse("meetings:year_plan", args=[community.pk]),
        reverse("meetings:meeting", args=[meetings[1].pk]),
    ]


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_leaders_plg_pages_are_for_its_members_and_the_programme_lead(
    persona, client_as, leader_plg, leader_meetings
):
    client = client_as(persona)
    for url in leader_plg_urls(leader_plg, leader_meetings):
        response = client.get(url)
        if persona == "anonymous":
            assert_login_redirect(response)
        elif persona in SEES_LEADER_PLG:
            assert response.status_code == 200, url
        else:
            assert response.status_code == 404, (persona, url)


def test_an_ordinary_participant_gets_404_on_the_leaders_plg(
    client_as, leader_plg, leader_meetings
):
    client = client_as("participant")
    for url in leader_plg_urls(leader_plg, leader_meetings):
        assert client.get(url).status_code == 404


def test_second_leader_runs_the_leaders_plg_like_any_teacher_leader(
    client, second_leader, leader_plg, leader_meetings
):
    client.force_login(second_leader)
    page = client.get(reverse("meetings:meeting", args=[leader_meetings[0].pk]))
    assert page.status_code == 200
    assert reverse("meetings:meeting_move", args=[leader_meetings[0].pk]) in page.content.decode()
    assert client.get(reverse("communities:edit", args=[leader_plg.pk])).status_code == 200


# The programme lead's set-up page.


def setup_url(world):
    return reverse("teacherleaders:leader_plg", args=[world.school.pk])


def ensure_url(world):
    return reverse("teacherleaders:leader_plg_ensure", args=[world.school.pk])


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_setup_page_is_for_the_programme_lead(persona, world, client_as, teacher_leader):
    response = client_as(persona).get(setup_url(world))
    assert_only_for(response, persona, {"school_admin"})


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_programme_lead_can_set_it_up_by_post(persona, world, client_as, teacher_leader):
    response = client_as(persona).post(ensure_url(world), {"school_year": world.school_year.pk})
    assert_only_for(response, persona, {"school_admin"}, status=302)
    created = Community.objects.filter(kind=CommunityKind.TEACHER_LEADERS).exists()
    assert created == (persona == "school_admin")


def test_the_school_page_links_to_the_setup_page(world, client_as):
    page = client_as("school_admin").get(reverse("communities:school", args=[world.school.pk]))
    assert setup_url(world) in page.content.decode()


def test_setting_up_from_the_page_shows_the_plg_and_its_size(
    world, client_as, teacher_leader, second_leader
):
    client = client_as("school_admin")
    response = client.post(ensure_url(world), {"school_year": world.school_year.pk}, follow=True)
    community = Community.objects.get(kind=CommunityKind.TEACHER_LEADERS)
    html = response.content.decode()
    assert reverse("communities:detail", args=[community.pk]) in html
    with translation.override("nl"):
        size = ngettext("%(members)s member", "%(members)s members", 2) % {"members": 2}
    assert size in html


def test_a_year_of_another_school_is_refused_with_a_message(world, client_as):
    client = client_as("school_admin")
    for bad in (world.other_school_year.pk, "not a number", ""):
        response = client.post(ensure_url(world), {"school_year": bad}, follow=True)
        assert response.status_code == 200
        with translation.override("nl"):
            expected = gettext("Choose one of this school's years.")
            required = gettext("Choose the school year to set up.")
        assert [str(m) for m in response.context["messages"]] in ([expected], [required])
    assert not Community.objects.filter(kind=CommunityKind.TEACHER_LEADERS).exists()


def test_the_ensure_url_refuses_get(world, client_as):
    assert client_as("school_admin").get(ensure_url(world)).status_code == 405


def test_the_setup_page_queries_do_not_grow_with_years(world, client_as, school_admin):
    client = client_as("school_admin")
    leader_plg_ensure(school_year=world.school_year, actor=school_admin)
    few = count_queries(client, setup_url(world))
    for year in range(2030, 2035):
        school_year = SchoolYear.objects.create(
            school=world.school,
            name=f"{year}-{year + 1}",
            starts_on=f"{year}-08-20",
            ends_on=f"{year + 1}-07-10",
        )
        leader = UserFactory()
        MembershipFactory(
            community=CommunityFactory(team=world.team, school_year=school_year),
            user=leader,
            is_teacher_leader=True,
        )
        leader_plg_ensure(school_year=school_year, actor=school_admin)
    assert count_queries(client, setup_url(world)) == few


# The audit log.


def _audit_subjects(world) -> list[str]:
    return list(
        AuditEvent.objects.filter(
            school=world.school, action=AuditAction.MEMBERSHIP_CHANGED
        ).values_list("subject", flat=True)
    )


def test_setting_up_logs_each_teacher_leader_added(world, school_admin, leader_plg):
    subjects = _audit_subjects(world)
    # Logged in the language of the moment (Dutch in the tests).
    with translation.override("nl"):
        added = gettext("added")
    assert len(subjects) == 2
    assert all(added in subject and leader_plg.name in subject for subject in subjects)
    assert AuditEvent.objects.filter(actor=school_admin).count() == 2


def test_a_sync_logs_who_left_and_whose_roles_changed(
    world, school_admin, leader_plg, teacher_leader, second_leader
):
    Membership.objects.filter(community=world.other_community, user=second_leader).delete()
    Membership.objects.filter(community=leader_plg, user=teacher_leader).update(
        is_participant=False
    )
    AuditEvent.objects.all().delete()
    with translation.override("en"):
        leader_plg_ensure(school_year=world.school_year, actor=school_admin)
        subjects = _audit_subjects(world)
    assert len(subjects) == 2
    (removed,) = [subject for subject in subjects if "Sara Secondleader" in subject]
    (roles,) = [subject for subject in subjects if teacher_leader.display_name in subject]
    assert "removed" in removed
    assert "roles:" in roles


def test_a_sync_without_changes_logs_nothing(world, school_admin, leader_plg):
    AuditEvent.objects.all().delete()
    leader_plg_ensure(school_year=world.school_year, actor=school_admin)
    assert not AuditEvent.objects.exists()
