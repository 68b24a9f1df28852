"""REPORT_OVERDUE (three days after a meeting, to its preparers) and REPORT_FINAL (to the team
leaders when a report becomes final)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from casework.models import ReportStatus
from casework.reminders import report_overdue_gone
from casework.services.reports import report_compile, report_finalise
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
from tests.casework.report_notes import make_preparers
from tests.factories import UserFactory

OVERDUE = NotificationKind.REPORT_OVERDUE
FINAL = NotificationKind.REPORT_FINAL
FINISH = (
    "As one of its preparers, finish it and make it final, so the team leader can put it on "
    "the next team meeting."
)
ON_THE_LIST = "It is on the list for your next team meeting."
pytestmark = pytest.mark.django_db


@pytest.fixture
def prepared(session, development_team):
    make_preparers(session, development_team)
    return session


def _due_moment(session) -> dt.datetime:
    return day_after(session.meeting.starts_at, 3)


# REPORT_OVERDUE -----------------------------------------------------------------------------


def test_report_overdue_goes_three_days_after_the_meeting_to_its_preparers(
    prepared, development_team
) -> None:
    # Friday 2 October 2026, 06:15: the meeting was on Tuesday 29 September.
    assert _due_moment(prepared).date() == dt.date(2026, 10, 2)

    dues = collect(OVERDUE, _due_moment(prepared))

    assert {due.recipient_id for due in dues} == {development_team.pk, prepared.second_dev.pk}
    assert {due.payload["path"] for due in dues} == {
        reverse("casework:report", args=[prepared.meeting.pk])
    }


def test_report_overdue_is_not_due_before_its_moment(prepared) -> None:
    assert collect(OVERDUE, _due_moment(prepared) - dt.timedelta(minutes=30)) == []
    assert collect(OVERDUE, day_after(prepared.meeting.starts_at, 1)) == []


def test_draft_report_is_still_overdue(prepared, development_team, before_the_year) -> None:
    before_the_year.move_to(prepared.meeting.ends_at)
    report_compile(meeting=prepared.meeting, actor=development_team)

    assert len(collect(OVERDUE, _due_moment(prepared))) == 2


def test_final_report_is_not_overdue(prepared, development_team, before_the_year) -> None:
    before_the_year.move_to(prepared.meeting.ends_at)
    report = report_compile(meeting=prepared.meeting, actor=development_team)
    report_finalise(report=report, actor=development_team)

    assert collect(OVERDUE, _due_moment(prepared)) == []


def test_preparer_who_left_the_plg_is_not_reminded(prepared, world, development_team) -> None:
    Membership.objects.filter(community=world.community, user=development_team).delete()

    assert recipients(OVERDUE, _due_moment(prepared)) == {prepared.second_dev.pk}


def test_report_made_final_after_recording_is_dropped_before_sending(
    prepared, development_team, before_the_year
) -> None:
    record(OVERDUE, _due_moment(prepared))
    before_the_year.move_to(_due_moment(prepared))
    report = report_compile(meeting=prepared.meeting, actor=development_team)
    report.status = ReportStatus.FINAL
    report.finalised_at = report.compiled_at
    report.save(update_fields=["status", "finalised_at"])
    rows = list(Notification.objects.select_related("meeting").filter(kind=OVERDUE))

    assert report_overdue_gone(rows, _due_moment(prepared)) == {row.pk for row in rows}


def test_no_report_is_overdue_for_a_cancelled_meeting(prepared) -> None:
    Meeting.objects.filter(pk=prepared.meeting.pk).update(status=MeetingStatus.CANCELLED)

    assert collect(OVERDUE, _due_moment(prepared)) == []


def test_meeting_cancelled_after_recording_drops_the_overdue_reminder(
    prepared, development_team, before_the_year
) -> None:
    record(OVERDUE, _due_moment(prepared))
    Meeting.objects.filter(pk=prepared.meeting.pk).update(status=MeetingStatus.CANCELLED)
    rows = list(Notification.objects.select_related("meeting").filter(kind=OVERDUE))

    assert len(rows) == 2
    assert report_overdue_gone(rows, _due_moment(prepared)) == {row.pk for row in rows}
    run_at(before_the_year, _due_moment(prepared))
    assert mails_about(development_team, OVERDUE) == []


def test_report_overdue_is_sent_once_however_often_beat_runs(
    prepared, development_team, before_the_year
) -> None:
    run_at(before_the_year, _due_moment(prepared))
    run_at(before_the_year, _due_moment(prepared) + dt.timedelta(minutes=15))

    assert len(mails_about(development_team, OVERDUE)) == 1
    assert len(mails_about(prepared.second_dev, OVERDUE)) == 1


def test_muted_report_overdue_is_not_sent(prepared, development_team, before_the_year) -> None:
    NotificationSettings.objects.create(user=development_team, muted_kinds=[OVERDUE])

    run_at(before_the_year, _due_moment(prepared))

    assert mails_about(development_team, OVERDUE) == []
    assert len(mails_about(prepared.second_dev, OVERDUE)) == 1


@pytest.mark.parametrize(
    ("language", "meeting_name"), [("nl", "Themabijeenkomst 2"), ("en", "Theme meeting 2")]
)
def test_report_overdue_is_written_in_the_preparers_language(
    prepared, development_team, before_the_year, language, meeting_name
) -> None:
    development_team.language = language
    development_team.save(update_fields=["language"])

    run_at(before_the_year, _due_moment(prepared))

    (message,) = mails_about(development_team, OVERDUE)
    with translation.override(language):
        sentence = gettext(FINISH)
    for text in (message.body, html_of(message)):
        assert sentence in text
        assert meeting_name in text


# REPORT_FINAL -------------------------------------------------------------------------------


def test_final_report_notifies_the_team_leaders_with_a_link_to_the_team_meeting(
    draft, development_team, team_leader, world
) -> None:
    report_finalise(report=draft, actor=development_team)

    row = Notification.objects.get(kind=FINAL)
    assert row.recipient == team_leader
    assert row.meeting == draft.meeting
    assert row.event == f"report:{draft.pk}"
    assert row.payload["path"] == reverse("casework:team_meeting", args=[world.team.pk])


def test_final_report_notifies_no_one_outside_the_team(
    draft, development_team, team_leader, world
) -> None:
    other_leader = UserFactory(email="otherleader@college.example")
    world.other_team.leaders.add(other_leader)

    report_finalise(report=draft, actor=development_team)

    assert set(Notification.objects.filter(kind=FINAL).values_list("recipient", flat=True)) == {
        team_leader.pk
    }


def test_final_report_without_team_leaders_records_nothing(draft, development_team) -> None:
    report_finalise(report=draft, actor=development_team)

    assert not Notification.objects.filter(kind=FINAL).exists()


@pytest.mark.parametrize(
    ("language", "meeting_name"), [("nl", "Themabijeenkomst 2"), ("en", "Theme meeting 2")]
)
def test_final_report_mail_goes_once_committed_in_the_team_leaders_language(
    draft,
    development_team,
    team_leader,
    world,
    django_capture_on_commit_callbacks,
    language,
    meeting_name,
) -> None:
    team_leader.language = language
    team_leader.save(update_fields=["language"])

    with django_capture_on_commit_callbacks(execute=True):
        report_finalise(report=draft, actor=development_team)

    (message,) = mails_about(team_leader, FINAL)
    with translation.override(language):
        sentence = gettext(ON_THE_LIST)
    for text in (message.body, html_of(message)):
        assert sentence in text
        assert meeting_name in text
    assert reverse("casework:team_meeting", args=[world.team.pk]) in message.body
    assert Notification.objects.get(kind=FINAL).sent_at is not None
