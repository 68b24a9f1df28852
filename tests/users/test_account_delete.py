"""Deleting an account: by the person themselves or by their school's programme lead.

Private texts and personal settings go; shared contributions, attendance, hours and report
counts stay under "former member"; the person is signed out and cannot sign in again.
"""

# ruff: noqa: F811 - the case-session fixtures are imported from tests/casework/conftest.py
from __future__ import annotations

import datetime as dt

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import translation

from casework.models import PhaseNote, Reflection, WorkCase
from casework.selectors.yearly import yearly_report
from communities.models import AuditAction, AuditEvent, LearningQuestion, Membership
from meetings.models import (
    AbsenceRequest,
    AbsenceStatus,
    Attendance,
    CalendarFeed,
    MeetingPreparer,
    Notification,
    NotificationKind,
    NotificationSettings,
)
from plg_platform.users.models import User
from plg_platform.users.services import user_delete
from teacherleaders.models import SelfReflection, Training
from tests.casework.conftest import (  # noqa: F401 - fixtures used by name
    after_the_meeting,
    noted,
    session,
    session_members,
)
from tests.factories import PASSWORD, MembershipFactory, SchoolYearFactory
from tests.helpers import assert_login_redirect, assert_only_for
from tests.personas import PERSONAS

SELF_URL = reverse("users:account_delete")


def admin_url(school, person) -> str:
    return reverse("communities:account_delete", args=[school.pk, person.pk])


def _numbers(data: dict) -> dict:
    """A yearly report without what may change when an account is deleted: names (and the
    order by name), the moment it was compiled."""
    members = data["members"]
    rows = sorted(repr(sorted({**row, "name": None}.items())) for row in members["rows"])
    return {**data, "compiled_at": None, "members": {**members, "rows": rows}}


# What goes and what stays


def test_deleting_removes_private_reflection_and_keeps_shared_history(noted, participant) -> None:
    meeting = noted.meeting
    case_pk = noted.case.pk
    attendance = Attendance.objects.filter(member=participant).count()

    user_delete(user=participant, actor=participant)

    assert not Reflection.objects.filter(author=participant).exists()  # it was private
    assert WorkCase.objects.filter(pk=case_pk, presenter=participant).exists()  # submitted
    assert Attendance.objects.filter(member=participant).count() == attendance > 0
    assert PhaseNote.objects.filter(meeting=meeting).exists()
    assert Membership.objects.filter(user=participant, community=meeting.community).exists()


def test_deleting_keeps_a_shared_reflection(noted) -> None:
    author = noted.members[0]

    user_delete(user=author, actor=author)

    assert Reflection.objects.filter(author=author, shared=True).exists()


def test_deleting_removes_draft_cases_only(session) -> None:
    user_delete(user=session.drafter, actor=session.drafter)

    assert not WorkCase.objects.filter(pk=session.draft.pk).exists()
    assert WorkCase.objects.filter(pk=session.case.pk).exists()


def test_deleting_removes_personal_settings_and_keeps_absence_status(
    world, meetings, participant
) -> None:
    membership = Membership.objects.get(user=participant, community=world.community)
    LearningQuestion.objects.create(membership=membership, text="How do I give feedback?")
    Notification.objects.create(
        recipient=participant,
        meeting=meetings[0],
        kind=NotificationKind.MEETING_UPCOMING,
        event="test",
    )
    NotificationSettings.objects.create(user=participant, digest=True)
    CalendarFeed.objects.create(user=participant, token="secret-token")
    request = AbsenceRequest.objects.create(
        meeting=meetings[0],
        member=participant,
        reason="MEDICAL-REASON",
        status=AbsenceStatus.APPROVED,
    )
    Authenticator.objects.create(
        user=participant, type=Authenticator.Type.TOTP, data={"secret": "x"}
    )

    user_delete(user=participant, actor=participant)

    assert not LearningQuestion.objects.filter(membership=membership).exists()
    assert not Notification.objects.filter(recipient=participant).exists()
    assert not NotificationSettings.objects.filter(user=participant).exists()
    assert not CalendarFeed.objects.filter(user=participant).exists()
    assert not Authenticator.objects.filter(user=participant).exists()
    request.refresh_from_db()
    assert (request.reason, request.status) == ("", AbsenceStatus.APPROVED)


def test_deleting_removes_training_and_private_self_reflection_only(world, teacher_leader) -> None:
    earlier = SchoolYearFactory(
        school=world.school,
        name="2025-2026",
        starts_on=dt.date(2025, 8, 25),
        ends_on=dt.date(2026, 7, 17),
    )
    Training.objects.create(user=teacher_leader, school=world.school, course="PLG", year=2026)
    SelfReflection.objects.create(user=teacher_leader, school_year=world.school_year)
    shared = SelfReflection.objects.create(
        user=teacher_leader, school_year=earlier, skills="SHARED", shared=True
    )

    user_delete(user=teacher_leader, actor=teacher_leader)

    assert not Training.objects.filter(user=teacher_leader).exists()
    assert list(SelfReflection.objects.filter(user=teacher_leader)) == [shared]


def test_deleted_account_keeps_no_personal_details(world, participant, school_admin) -> None:
    world.team.leaders.add(participant)

    user_delete(user=participant, actor=school_admin)

    person = User.objects.get(pk=participant.pk)
    assert person.deleted_at is not None
    assert not person.is_active
    assert not person.has_usable_password()
    assert (person.name, person.email) == ("", f"deleted-{person.pk}@invalid")
    assert not world.team.leaders.filter(pk=person.pk).exists()
    with translation.override("en"):
        assert person.display_name == "former member"


def test_deleting_twice_changes_nothing(participant) -> None:
    first = user_delete(user=participant, actor=participant)
    second = user_delete(user=participant, actor=participant)

    assert second.deleted_at == first.deleted_at


def test_yearly_report_counts_stay_the_same(noted, world, development_team) -> None:
    MeetingPreparer.objects.filter(meeting=noted.meeting, user=development_team).update(hours=5)
    before = yearly_report(school_year=world.school_year, scope="plg", community=world.community)

    user_delete(user=development_team, actor=development_team)
    user_delete(user=noted.members[0], actor=noted.members[0])

    after = yearly_report(school_year=world.school_year, scope="plg", community=world.community)
    assert _numbers(after) == _numbers(before)
    assert before["members"]["count"] == after["members"]["count"] > 0
    school = yearly_report(school_year=world.school_year, scope="school")
    assert school["cases"]["count"] == before["cases"]["count"]


def test_deleted_member_is_not_listed_on_the_plg_page(client, world, participant, teacher_leader):
    user_delete(user=participant, actor=participant)
    client.force_login(teacher_leader)

    response = client.get(reverse("communities:detail", args=[world.community.pk]))

    assert response.status_code == 200
    members = [membership.user_id for membership in response.context["members"]]
    assert participant.pk not in members
    assert teacher_leader.pk in members


# Deleting one's own account


def test_own_account_page_links_to_deleting(client, participant) -> None:
    client.force_login(participant)

    response = client.get(reverse("users:settings"))

    assert SELF_URL in response.content.decode()


def test_own_deletion_asks_for_the_password(client, participant) -> None:
    client.force_login(participant)

    response = client.get(SELF_URL)

    assert response.status_code == 200
    assert 'type="password"' in response.content.decode()


def test_wrong_password_keeps_the_account(client, participant) -> None:
    client.force_login(participant)

    with translation.override("en"):
        response = client.post(SELF_URL, {"password": "not it"})

    assert response.status_code == 400
    assert User.objects.get(pk=participant.pk).deleted_at is None
    assert response.context["form"].errors["password"]


def test_own_deletion_signs_out_everywhere(client, participant) -> None:
    elsewhere = Client()
    elsewhere.force_login(participant)
    client.force_login(participant)

    response = client.post(SELF_URL, {"password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    assert User.objects.get(pk=participant.pk).deleted_at is not None
    assert_login_redirect(client.get(reverse("users:settings")))
    assert_login_redirect(elsewhere.get(reverse("users:settings")))
    assert not Session.objects.filter(session_key=elsewhere.session.session_key).exists()


def test_deleted_person_cannot_sign_in_again(client, participant) -> None:
    email = participant.email
    user_delete(user=participant, actor=participant)

    response = client.post(reverse("account_login"), {"login": email, "password": PASSWORD})

    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 429)


def test_own_deletion_page_needs_sign_in(client) -> None:
    assert_login_redirect(client.get(SELF_URL))


def test_own_deletion_is_post_only_in_effect(client, participant) -> None:
    client.force_login(participant)

    client.get(SELF_URL, {"password": PASSWORD})

    assert User.objects.get(pk=participant.pk).deleted_at is None


# Deleting by the programme lead


def test_member_page_links_programme_lead_to_deleting(client, world, participant, school_admin):
    membership = Membership.objects.get(user=participant, community=world.community)
    client.force_login(school_admin)

    response = client.get(
        reverse("communities:member_edit", args=[world.community.pk, membership.pk])
    )

    assert admin_url(world.school, participant) in response.content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_schools_programme_lead_opens_the_confirm_page(
    client_as, persona, world, participant, teacher_leader
) -> None:
    person = teacher_leader if persona == "participant" else participant
    response = client_as(persona).get(admin_url(world.school, person))

    assert_only_for(response, persona, {"school_admin"})


def test_programme_lead_deletes_a_person_and_returns_to_the_people_page(
    client, world, participant, school_admin
):
    client.force_login(school_admin)

    response = client.post(admin_url(world.school, participant), {"understood": "on"})

    assert response.status_code == 302
    assert response["Location"] == reverse("communities:school_people", args=[world.school.pk])
    assert User.objects.get(pk=participant.pk).deleted_at is not None


def test_after_deleting_the_programme_lead_is_back_at_their_search_and_page(
    client, world, participant, school_admin
):
    client.force_login(school_admin)
    people = reverse("communities:school_people", args=[world.school.pk])
    listed = client.get(people, {"q": "pia", "page": "2"}).content.decode()
    link = admin_url(world.school, participant) + "?q=pia&amp;page=2"
    assert link in listed

    confirm = client.get(admin_url(world.school, participant) + "?q=pia&page=2&next=//evil.example")
    assert f'href="{people}?q=pia&amp;page=2"' in confirm.content.decode()
    response = client.post(
        admin_url(world.school, participant) + "?q=pia&page=2&next=//evil.example",
        {"understood": "on"},
    )

    assert response["Location"] == f"{people}?q=pia&page=2"


def test_programme_lead_must_tick_the_confirmation(client, world, participant, school_admin):
    client.force_login(school_admin)

    with translation.override("en"):
        response = client.post(admin_url(world.school, participant), {})

    assert response.status_code == 400
    assert response.context["form"].errors["understood"]
    assert User.objects.get(pk=participant.pk).deleted_at is None


def test_other_schools_programme_lead_gets_404(client, world, participant, other_school_user):
    client.force_login(other_school_user)

    response = client.post(admin_url(world.other_school, participant), {"understood": "on"})

    assert response.status_code == 404
    assert User.objects.get(pk=participant.pk).deleted_at is None


def test_participant_cannot_delete_someone_else(client, world, participant, teacher_leader):
    client.force_login(participant)

    response = client.post(admin_url(world.school, teacher_leader), {"understood": "on"})

    assert response.status_code == 404
    assert User.objects.get(pk=teacher_leader.pk).deleted_at is None


def test_a_person_of_two_schools_is_not_deleted_by_one(
    client, world, participant, school_admin
) -> None:
    MembershipFactory(community=world.other_school_community, user=participant)
    school_admin.language = "en"
    school_admin.save(update_fields=["language"])
    client.force_login(school_admin)

    with translation.override("en"):
        response = client.post(admin_url(world.school, participant), {"understood": "on"})

    assert response.status_code == 400
    assert "also belongs to another school" in response.content.decode()
    assert User.objects.get(pk=participant.pk).deleted_at is None


def test_programme_lead_is_sent_to_own_page_for_own_account(client, world, school_admin):
    client.force_login(school_admin)

    response = client.post(admin_url(world.school, school_admin), {"understood": "on"})

    assert response.status_code == 400
    assert User.objects.get(pk=school_admin.pk).deleted_at is None


def test_deleted_person_is_gone_from_the_confirm_page(client, world, participant, school_admin):
    user_delete(user=participant, actor=participant)
    client.force_login(school_admin)

    assert client.get(admin_url(world.school, participant)).status_code == 404


def test_deletion_is_logged_in_the_schools_audit_log(client, world, participant, school_admin):
    client.force_login(school_admin)

    client.post(admin_url(world.school, participant), {"understood": "on"})

    event = AuditEvent.objects.get(action=AuditAction.ACCOUNT_DELETED)
    assert (event.school, event.actor, event.actor_label, event.subject) == (
        world.school,
        school_admin,
        "Paul Programmalead",
        "Pia Participant",
    )
    assert not AuditEvent.objects.filter(school=world.other_school).exists()


def test_confirm_page_leads_back_to_the_people_page(client, world, participant, school_admin):
    client.force_login(school_admin)

    response = client.get(admin_url(world.school, participant))

    people_url = reverse("communities:school_people", args=[world.school.pk])
    assert f'href="{people_url}"' in response.content.decode()
