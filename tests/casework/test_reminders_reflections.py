"""REFLECTION_PROMPT: the day after a meeting, who was present and has not reflected yet."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from casework.reminders import reflection_prompt_gone
from communities.models import Membership
from meetings.models import (
    Meeting,
    MeetingStatus,
    Notification,
    NotificationKind,
    NotificationSettings,
)
from tests.casework.reminder_helpers import (
    collect,
    day_after,
    html_of,
    mails_about,
    recipients,
    record,
    run_at,
)
from tests.casework.report_notes import REFLECTION_MARKER, write_reflections

KIND = NotificationKind.REFLECTION_PROMPT
WRITE = "Write your reflection while it is fresh. It stays private unless you choose to share it."
pytestmark = pytest.mark.django_db


def _due_moment(session) -> dt.datetime:
    return day_after(session.meeting.starts_at, 1)


def _present_without_reflection(session, development_team) -> set[int]:
    """Present at meeting 2 (see the session fixture), minus the two who reflected."""
    present = [development_team, session.second_dev, *session.members[:5]]
    return {user.pk for user in present if user != session.members[0]}


def test_reflection_prompt_goes_the_day_after_to_those_present_who_did_not_reflect(
    session, participant, development_team
) -> None:
    write_reflections(session, participant)
    # Wednesday 30 September 2026, 06:15: the meeting was on Tuesday the 29th.
    assert _due_moment(session).date() == dt.date(2026, 9, 30)

    assert recipients(KIND, _due_moment(session)) == _present_without_reflection(
        session, development_team
    )


def test_reflection_prompt_skips_the_absent_and_links_to_the_form(session) -> None:
    dues = collect(KIND, _due_moment(session))

    assert session.drafter.pk not in {due.recipient_id for due in dues}  # not marked present
    assert {due.payload["path"] for due in dues} == {
        reverse("casework:reflection", args=[session.meeting.pk])
    }


def test_reflection_prompt_is_not_due_on_the_evening_of_the_meeting(session) -> None:
    evening = session.meeting.ends_at + dt.timedelta(hours=3)

    assert collect(KIND, evening) == []


def test_reflection_prompt_is_not_due_days_later(session) -> None:
    assert collect(KIND, _due_moment(session) + dt.timedelta(days=2)) == []


def test_member_who_left_the_plg_is_not_prompted(session, world) -> None:
    leaver = session.members[1]
    Membership.objects.filter(community=world.community, user=leaver).delete()

    assert leaver.pk not in recipients(KIND, _due_moment(session))


def test_reflection_written_after_recording_is_dropped_before_sending(session, participant):
    record(KIND, _due_moment(session))
    write_reflections(session, participant)
    rows = list(Notification.objects.select_related("meeting").filter(kind=KIND))

    gone = reflection_prompt_gone(rows, _due_moment(session))

    wrote = {participant.pk, session.members[0].pk}
    assert gone == {row.pk for row in rows if row.recipient_id in wrote}
    assert len(rows) > len(gone)


def test_no_reflection_prompt_after_a_cancelled_meeting(session) -> None:
    Meeting.objects.filter(pk=session.meeting.pk).update(status=MeetingStatus.CANCELLED)

    assert collect(KIND, _due_moment(session)) == []


def test_meeting_cancelled_after_recording_drops_the_prompt_before_sending(session) -> None:
    record(KIND, _due_moment(session))
    Meeting.objects.filter(pk=session.meeting.pk).update(status=MeetingStatus.CANCELLED)
    rows = list(Notification.objects.select_related("meeting").filter(kind=KIND))

    assert rows
    assert reflection_prompt_gone(rows, _due_moment(session)) == {row.pk for row in rows}


def test_reflection_prompt_is_sent_once_however_often_beat_runs(session, before_the_year):
    run_at(before_the_year, _due_moment(session))
    run_at(before_the_year, _due_moment(session) + dt.timedelta(minutes=15))

    assert len(mails_about(session.members[1], KIND)) == 1
    assert not Notification.objects.filter(kind=KIND, sent_at=None).exists()


def test_muted_reflection_prompt_is_not_sent(session, before_the_year) -> None:
    muted = session.members[1]
    NotificationSettings.objects.create(user=muted, muted_kinds=[KIND])

    run_at(before_the_year, _due_moment(session))

    assert mails_about(muted, KIND) == []
    assert len(mails_about(session.members[2], KIND)) == 1


def test_reflection_prompt_never_carries_a_reflection(session, participant, before_the_year):
    write_reflections(session, participant)
    # A shared reflection by someone else is readable to the group, but not in a reminder.
    run_at(before_the_year, _due_moment(session))

    messages = mails_about(session.members[1], KIND)
    assert messages
    for message in messages:
        assert REFLECTION_MARKER not in message.body
        assert REFLECTION_MARKER not in html_of(message)
    assert REFLECTION_MARKER not in str(
        list(Notification.objects.filter(kind=KIND).values_list("payload", flat=True))
    )


@pytest.mark.parametrize(
    ("language", "meeting_name"), [("nl", "Themabijeenkomst 2"), ("en", "Theme meeting 2")]
)
def test_reflection_prompt_is_written_in_the_members_language(
    session, before_the_year, language, meeting_name
) -> None:
    member = session.members[1]
    member.language = language
    member.save(update_fields=["language"])

    run_at(before_the_year, _due_moment(session))

    (message,) = mails_about(member, KIND)
    with translation.override(language):
        sentence = gettext(WRITE)
    for text in (message.body, html_of(message)):
        assert sentence in text
        assert meeting_name in text
