"""A deleted person's name leaves other people's notifications: the notice then says
"former member" in the reader's language (meetings.erasure)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

from meetings.models import Notification, NotificationKind
from meetings.services import meeting_cancel
from meetings.services.attendance import absence_submit
from plg_platform.users.services import user_delete

SUBMITTED = NotificationKind.ABSENCE_SUBMITTED


def _list_of(client_as, persona: str) -> str:
    return client_as(persona).get(reverse("meetings:notifications")).content.decode()


def _former_member() -> str:
    with translation.override("nl"):
        return translation.gettext("former member")


def test_an_absence_notice_carries_the_members_id(meetings, participant, team_leader) -> None:
    absence_submit(meeting=meetings[1], member=participant, reason="Ziek")

    row = Notification.objects.get(kind=SUBMITTED, recipient=team_leader)
    assert row.payload["member_id"] == participant.pk
    assert row.payload["member_name"] == participant.display_name


def test_a_deleted_members_name_leaves_the_team_leaders_absence_notice(
    client_as, meetings, participant, team_leader
) -> None:
    name = participant.display_name
    absence_submit(meeting=meetings[1], member=participant, reason="Ziek")
    assert name in _list_of(client_as, "team_leader")

    user_delete(user=participant, actor=participant)

    row = Notification.objects.get(kind=SUBMITTED, recipient=team_leader)
    assert name not in str(row.payload)
    page = _list_of(client_as, "team_leader")
    assert name not in page
    assert _former_member() in page


def test_an_absence_notice_recorded_without_the_id_loses_the_name_too(
    meetings, participant, team_leader
) -> None:
    absence_submit(meeting=meetings[1], member=participant, reason="Ziek")
    row = Notification.objects.get(kind=SUBMITTED, recipient=team_leader)
    del row.payload["member_id"]  # as recorded before the id was added
    row.save(update_fields=["payload"])

    user_delete(user=participant, actor=participant)

    row.refresh_from_db()
    assert row.payload["member_name"] == ""


def test_other_peoples_names_stay(meetings, participant, development_team, team_leader) -> None:
    absence_submit(meeting=meetings[1], member=participant, reason="Ziek")
    absence_submit(meeting=meetings[1], member=development_team, reason="Cursus")

    user_delete(user=participant, actor=participant)

    kept = Notification.objects.get(kind=SUBMITTED, payload__member_id=development_team.pk)
    assert kept.payload["member_name"] == development_team.display_name


def test_a_deleted_teacher_leaders_name_leaves_the_cancellation_notices(
    meetings, teacher_leader, participant
) -> None:
    meeting_cancel(meeting=meetings[2], actor=teacher_leader, reason="Studiedag")

    user_delete(user=teacher_leader, actor=teacher_leader)

    row = Notification.objects.get(kind=NotificationKind.MEETING_CANCELLED, recipient=participant)
    assert row.payload["cancelled_by_name"] == ""
