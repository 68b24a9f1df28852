"""Every audited action writes one event in the right school, by the right person."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from casework.services.yearly import yearly_report_request
from communities.audit import audit_programme_leads, audit_record
from communities.models import AuditAction, AuditEvent, Membership
from communities.services import team_save
from tests.casework.conftest import (  # noqa: F401 (fixtures for the team-meeting packet)
    after_the_meeting,
    draft,
    final,
    noted,
    session,
    session_members,
)
from tests.factories import MembershipFactory, UserFactory


def only_event() -> AuditEvent:
    events = list(AuditEvent.objects.all())
    assert len(events) == 1, events
    return events[0]


# The service ----------------------------------------------------------------------------------


def test_audit_record_copies_the_name_so_the_log_outlives_the_account(world, participant):
    audit_record(
        school=world.school, actor=participant, action=AuditAction.DATA_EXPORTED, subject="x"
    )
    participant.delete()

    event = only_event()
    assert event.actor is None
    assert event.actor_label == "Pia Participant"
    assert event.school == world.school


def test_audit_record_without_an_actor_is_the_platform(world):
    event = audit_record(school=world.school, actor=None, action=AuditAction.RETENTION_DELETED)

    assert event.actor_label == ""


def test_audit_record_clips_a_long_subject_and_refuses_an_unknown_action(world, participant):
    event = audit_record(
        school=world.school, actor=participant, action="data_exported", subject="a" * 1000
    )
    assert len(event.subject) == 300
    with pytest.raises(ValueError):
        audit_record(school=world.school, actor=participant, action="made_coffee")


# Memberships and roles ------------------------------------------------------------------------


def test_adding_a_member_is_logged(client_as, world, teacher_leader):
    client_as("teacher_leader").post(
        reverse("communities:member_add", args=[world.community.pk]),
        {"email": "new@lyceum.example", "name": "Nina Nieuw", "roles": ["participant"]},
    )

    event = only_event()
    assert (event.school, event.actor, event.action) == (
        world.school,
        teacher_leader,
        AuditAction.MEMBERSHIP_CHANGED,
    )
    assert "Nina Nieuw" in event.subject
    assert world.community.name in event.subject


def test_changing_a_members_roles_is_logged(client_as, world, school_admin, participant):
    membership = Membership.objects.get(user=participant)
    client_as("school_admin").post(
        reverse("communities:member_edit", args=[world.community.pk, membership.pk]),
        {"roles": ["participant", "development_team"]},
    )

    event = only_event()
    assert (event.school, event.actor, event.action) == (
        world.school,
        school_admin,
        AuditAction.MEMBERSHIP_CHANGED,
    )
    assert "Pia Participant" in event.subject


def test_saving_the_same_roles_logs_nothing(client_as, world, school_admin, participant):
    membership = Membership.objects.get(user=participant)
    client_as("school_admin").post(
        reverse("communities:member_edit", args=[world.community.pk, membership.pk]),
        {"roles": ["participant"]},
    )

    assert not AuditEvent.objects.exists()


def test_removing_a_member_is_logged(client_as, world, teacher_leader, participant):
    membership = Membership.objects.get(user=participant)
    client_as("teacher_leader").post(
        reverse("communities:member_remove", args=[world.community.pk, membership.pk])
    )

    event = only_event()
    assert (event.school, event.actor, event.action) == (
        world.school,
        teacher_leader,
        AuditAction.MEMBERSHIP_CHANGED,
    )
    assert "Pia Participant" in event.subject


# Team leaders and programme leads -------------------------------------------------------------


def test_changing_a_teams_leaders_is_logged(client_as, world, school_admin, team_leader):
    newcomer = UserFactory(name="Nadia Nieuwleider")
    MembershipFactory(community=world.community, user=newcomer, is_participant=True)
    client_as("school_admin").post(
        reverse("communities:team_edit", args=[world.team.pk]),
        {"name": world.team.name, "leaders": [newcomer.pk]},
    )

    event = only_event()
    assert (event.school, event.actor, event.action) == (
        world.school,
        school_admin,
        AuditAction.TEAM_LEADERS_CHANGED,
    )
    assert "Nadia Nieuwleider" in event.subject
    assert "Tessa Teamleider" in event.subject


def test_saving_a_team_with_the_same_leaders_logs_nothing(world, school_admin, team_leader):
    team_save(
        school=world.school,
        team=world.team,
        name="Renamed",
        leaders=[team_leader],
        actor=school_admin,
    )

    assert not AuditEvent.objects.exists()


def test_changing_the_programme_leads_is_logged(world, school_admin):
    newcomer = UserFactory(name="Nora Nieuwlead")
    audit_programme_leads(
        school=world.school, before=[school_admin], after=[newcomer], actor=school_admin
    )

    event = only_event()
    assert event.action == AuditAction.PROGRAMME_LEADS_CHANGED
    assert "Nora Nieuwlead" in event.subject
    assert "Paul Programmalead" in event.subject


def test_changing_the_programme_leads_in_the_django_admin_is_logged(client, world, school_admin):
    superuser = get_user_model().objects.create_superuser(
        email="root@platform.example", password="a-long-enough-password"
    )
    newcomer = UserFactory(name="Nora Nieuwlead")
    client.force_login(superuser)
    client.post(
        reverse("admin:communities_school_change", args=[world.school.pk]),
        {
            "name": world.school.name,
            "admins": [school_admin.pk, newcomer.pk],
            "retention_years": world.school.retention_years,
        },
    )

    event = only_event()
    assert (event.school, event.actor, event.action) == (
        world.school,
        superuser,
        AuditAction.PROGRAMME_LEADS_CHANGED,
    )
    assert "Nora Nieuwlead" in event.subject


# School settings ------------------------------------------------------------------------------


def test_switching_two_factor_sign_in_is_logged_with_old_and_new(client_as, world, school_admin):
    client_as("school_admin").post(
        reverse("communities:school_edit", args=[world.school.pk]),
        {"name": world.school.name, "require_two_factor": "on"},
    )

    event = only_event()
    assert (event.school, event.actor, event.action) == (
        world.school,
        school_admin,
        AuditAction.SCHOOL_SETTINGS_CHANGED,
    )
    # Written in the language of the person who made the change (Dutch here).
    with translation.override("nl"):
        assert event.subject.endswith(f"{_('no')} → {_('yes')}")


def test_renaming_the_school_only_logs_no_setting(client_as, world, school_admin):
    client_as("school_admin").post(
        reverse("communities:school_edit", args=[world.school.pk]), {"name": "Het Nieuwe Lyceum"}
    )

    assert not AuditEvent.objects.exists()


def test_changing_the_retention_period_is_logged_with_old_and_new(client_as, world, school_admin):
    client_as("school_admin").post(
        reverse("communities:retention", args=[world.school.pk]), {"retention_years": "3"}
    )

    event = only_event()
    assert (event.actor, event.action) == (school_admin, AuditAction.SCHOOL_SETTINGS_CHANGED)
    assert event.subject.endswith(f"{world.school.retention_years} → 3")


def test_changing_a_setting_in_the_django_admin_is_logged(client, world, school_admin):
    superuser = get_user_model().objects.create_superuser(
        email="root@platform.example", password="a-long-enough-password"
    )
    client.force_login(superuser)
    client.post(
        reverse("admin:communities_school_change", args=[world.school.pk]),
        {"name": world.school.name, "admins": [school_admin.pk], "retention_years": 4},
    )

    event = only_event()
    assert (event.actor, event.action) == (superuser, AuditAction.SCHOOL_SETTINGS_CHANGED)
    assert event.subject.endswith("2 → 4")


# Own data -------------------------------------------------------------------------------------


def test_downloading_ones_data_is_logged_in_each_of_ones_schools(client, world, participant):
    MembershipFactory(community=world.other_school_community, user=participant)
    world.team.leaders.add(participant)  # a second tie to the same school: still one event
    client.force_login(participant)
    assert client.get(reverse("users:data_download")).status_code == 200

    events = AuditEvent.objects.order_by("school_id")
    assert [(e.school, e.actor, e.action) for e in events] == [
        (world.school, participant, AuditAction.DATA_EXPORTED),
        (world.other_school, participant, AuditAction.DATA_EXPORTED),
    ]


# Yearly report and team-meeting packet --------------------------------------------------------


@pytest.fixture
def yearly(world, school_admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = yearly_report_request(
            actor=school_admin, school_year=world.school_year, scope="school"
        )
    report.refresh_from_db()
    return report


@pytest.mark.parametrize(
    ("url_name", "action"),
    [
        ("casework:yearly_report", AuditAction.YEARLY_REPORT_OPENED),
        ("casework:yearly_csv", AuditAction.YEARLY_REPORT_DOWNLOADED),
        ("casework:yearly_pdf", AuditAction.YEARLY_REPORT_DOWNLOADED),
    ],
)
def test_opening_or_downloading_a_yearly_report_is_logged(
    client_as, world, school_admin, yearly, url_name, action
):
    response = client_as("school_admin").get(reverse(url_name, args=[yearly.pk]))
    assert response.status_code == 200

    event = only_event()
    assert (event.school, event.actor, event.action) == (world.school, school_admin, action)
    assert world.school.name in event.subject


def test_opening_the_schools_yearly_page_is_logged(client_as, world, school_admin, yearly):
    client_as("school_admin").get(reverse("casework:yearly_school", args=[world.school_year.pk]))

    assert only_event().action == AuditAction.YEARLY_REPORT_OPENED


def test_a_yearly_page_without_a_report_logs_nothing(client_as, world, school_admin):
    client_as("school_admin").get(reverse("casework:yearly_school", args=[world.school_year.pk]))

    assert not AuditEvent.objects.exists()


@pytest.mark.usefixtures("final")
def test_downloading_the_team_meeting_packet_is_logged(client_as, world, team_leader):
    response = client_as("team_leader").get(reverse("casework:team_packet", args=[world.team.pk]))
    assert response.status_code == 200

    event = only_event()
    assert (event.school, event.actor, event.action) == (
        world.school,
        team_leader,
        AuditAction.PACKET_DOWNLOADED,
    )
    assert event.subject == world.team.name
