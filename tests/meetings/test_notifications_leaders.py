"""The teacher leaders' own PLG: the programme lead decides its absence requests and hears when
a meeting's notes were sent."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings.models import AbsenceStatus, Notification, NotificationKind
from meetings.services.attendance import absence_decide, absence_submit
from meetings.services.notifications import notifications_send
from teacherleaders.services.leader_plg import leader_notes_submit, leader_notes_writer_set
from tests.factories import SchoolFactory, UserFactory
from tests.helpers import assert_login_redirect
from tests.meetings.reminder_support import html_of, mails_to

# The teacher leaders' PLG fixtures: second_leader, leader_plg, leader_meetings.
from tests.teacherleaders.leader_plg_world import *  # noqa: F403

SUBMITTED = NotificationKind.ABSENCE_SUBMITTED
NOTES_SENT = NotificationKind.LEADER_NOTES_SENT
REASON = "Tandarts, heel vervelend"


@pytest.fixture
def leader_absence(leader_meetings, second_leader):
    return absence_submit(meeting=leader_meetings[1], member=second_leader, reason=REASON)


# Absence requests of the teacher leaders' PLG ------------------------------------------------


def test_the_programme_lead_is_told_of_a_request_and_no_team_leader(
    leader_absence, school_admin, team_leader, second_leader
) -> None:
    notifications_send()

    [message] = mails_to(school_admin, SUBMITTED)
    assert second_leader.display_name in message.body
    assert REASON not in message.body + html_of(message)
    assert mails_to(team_leader, SUBMITTED) == []


def test_the_programme_lead_decides_and_a_team_leader_cannot(
    leader_absence, school_admin, team_leader
) -> None:
    with pytest.raises(ValidationError):
        absence_decide(absence=leader_absence, actor=team_leader, approve=True)

    absence_decide(absence=leader_absence, actor=school_admin, approve=True)

    leader_absence.refresh_from_db()
    assert (leader_absence.status, leader_absence.decided_by) == (
        AbsenceStatus.APPROVED,
        school_admin,
    )


def test_the_programme_lead_does_not_decide_an_ordinary_plgs_requests(
    meetings, participant, school_admin, team_leader
) -> None:
    absence = absence_submit(meeting=meetings[1], member=participant, reason="ziek")

    with pytest.raises(ValidationError):
        absence_decide(absence=absence, actor=school_admin, approve=True)
    notifications_send()
    assert mails_to(school_admin, SUBMITTED) == []
    assert len(mails_to(team_leader, SUBMITTED)) == 1


def test_the_programme_leads_inbox_lists_the_request_and_decides_it(
    client_as, leader_absence, second_leader
) -> None:
    client = client_as("school_admin")

    page = client.get(reverse("meetings:absence_list"))

    assert page.status_code == 200
    assert second_leader.display_name in page.content.decode()
    response = client.post(
        reverse("meetings:absence_decide", args=[leader_absence.pk]), {"decision": "approve"}
    )
    assert response.status_code == 302
    leader_absence.refresh_from_db()
    assert leader_absence.status == AbsenceStatus.APPROVED


def test_the_meeting_page_links_the_programme_lead_to_the_inbox(
    client_as, leader_meetings, leader_absence
) -> None:
    page = client_as("school_admin").get(reverse("meetings:meeting", args=[leader_meetings[1].pk]))

    assert reverse("meetings:absence_list") in page.content.decode()


@pytest.mark.parametrize("persona", ["team_leader", "teacher_leader", "participant"])
def test_others_neither_see_nor_decide_the_leaders_requests(
    client_as, leader_absence, second_leader, persona, team_leader
) -> None:
    client = client_as(persona)

    inbox = client.get(reverse("meetings:absence_list"))
    decide = client.post(
        reverse("meetings:absence_decide", args=[leader_absence.pk]), {"decision": "approve"}
    )

    assert inbox.status_code in (200, 404)  # a team leader has an inbox of their own team
    assert REASON not in inbox.content.decode()
    assert decide.status_code == 404
    leader_absence.refresh_from_db()
    assert leader_absence.status == AbsenceStatus.PENDING


def test_an_outsider_school_admin_gets_a_404(client, leader_absence) -> None:
    outsider = UserFactory(email="elders@school.example")
    SchoolFactory().admins.add(outsider)
    client.force_login(outsider)

    assert client.get(reverse("meetings:absence_list")).status_code == 404
    url = reverse("meetings:absence_decide", args=[leader_absence.pk])
    assert client.post(url, {"decision": "approve"}).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, leader_absence) -> None:
    assert_login_redirect(client.get(reverse("meetings:absence_list")))
    url = reverse("meetings:absence_decide", args=[leader_absence.pk])
    assert_login_redirect(client.post(url, {"decision": "approve"}))


# Notes sent to the programme lead --------------------------------------------------------------


def test_sent_notes_notify_the_programme_lead_with_a_link_and_without_the_text(
    world, leader_meetings, teacher_leader, school_admin, second_leader
) -> None:
    meeting = leader_meetings[0]
    leader_notes_writer_set(meeting=meeting, writer=teacher_leader, actor=school_admin)
    leader_notes_submit(meeting=meeting, text="Geheime casus van Ahmed.", actor=teacher_leader)

    assert notifications_send() == 1

    [message] = mails_to(school_admin, NOTES_SENT)
    notes_url = reverse("teacherleaders:school_notes", kwargs={"pk": world.school.pk})
    assert notes_url in message.body and notes_url in html_of(message)
    assert teacher_leader.display_name in message.body
    assert "Ahmed" not in message.body + html_of(message)
    assert [m.to for m in mail.outbox] == [[school_admin.email]]
    assert Notification.objects.get().event.startswith("leader-notes:")


def test_a_deleted_writers_name_leaves_the_programme_leads_notes_notice(
    world, leader_meetings, teacher_leader, school_admin, second_leader
) -> None:
    from plg_platform.users.services import user_delete

    meeting = leader_meetings[0]
    leader_notes_writer_set(meeting=meeting, writer=teacher_leader, actor=school_admin)
    leader_notes_submit(meeting=meeting, text="Notities.", actor=teacher_leader)
    name = teacher_leader.display_name

    user_delete(user=teacher_leader, actor=teacher_leader)

    row = Notification.objects.get(kind=NOTES_SENT)
    assert row.payload["writer_id"] == teacher_leader.pk
    assert name not in str(row.payload)
