"""The meetings' reminders: a meeting coming up (every member) and preparing it (the preparers)."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.formats import date_format

from communities.models import Membership
from meetings import reminders
from meetings.models import (
    AbsenceRequest,
    AbsenceStatus,
    Meeting,
    MeetingPreparer,
    MeetingStatus,
    Notification,
    NotificationKind,
    ReminderSchedule,
    Theme,
)
from meetings.services import meeting_move, year_plan_create
from meetings.services.notifications import (
    SENT_CHUNK,
    notifications_create,
    notifications_send,
)
from plg_platform.links import absolute_url
from tests.factories import CommunityFactory, MembershipFactory, UserFactory
from tests.meetings.reminder_support import first_run_before, html_of, mails_to, run_at

UPCOMING = NotificationKind.MEETING_UPCOMING
PREPARE = NotificationKind.PREPARE_MEETING


@pytest.fixture
def group(participant, teacher_leader, development_team, expert, team_leader, other_plg_member):
    """Three group members, a guest expert, the team leader and someone from another PLG."""
    return [participant, teacher_leader, development_team]


@pytest.fixture
def meeting(meetings, group) -> Meeting:
    return meetings[1]


# When, and to whom ---------------------------------------------------------------------------


def test_every_group_member_gets_the_reminder_seven_days_before(
    before_the_year, meeting, group, expert, team_leader, other_plg_member
) -> None:
    run_at(before_the_year, first_run_before(meeting.starts_at, 7))

    for member in group:
        assert len(mails_to(member, UPCOMING)) == 1
    for outsider in (expert, team_leader, other_plg_member):
        assert mails_to(outsider, UPCOMING) == []


def test_no_reminder_before_its_moment(before_the_year, meeting, participant) -> None:
    run_at(before_the_year, reminders.days_before(meeting.starts_at, 7) - dt.timedelta(minutes=1))

    assert mails_to(participant, UPCOMING) == []


def test_the_second_reminder_comes_one_day_before(before_the_year, meeting, participant) -> None:
    run_at(before_the_year, first_run_before(meeting.starts_at, 7))
    run_at(before_the_year, first_run_before(meeting.starts_at, 1))

    assert len(mails_to(participant, UPCOMING)) == 2
    assert {row.payload["lead"] for row in Notification.objects.filter(kind=UPCOMING)} == {
        "first",
        "second",
    }


def test_a_reminder_missed_for_more_than_a_day_is_not_sent_late(
    before_the_year, meeting, participant
) -> None:
    # Beat was down: five days before, the seven-day reminder is stale and the one-day one not due.
    run_at(before_the_year, first_run_before(meeting.starts_at, 5))

    assert mails_to(participant, UPCOMING) == []


def test_running_twice_sends_each_reminder_once(before_the_year, meeting, group) -> None:
    moment = first_run_before(meeting.starts_at, 7)
    first = run_at(before_the_year, moment)
    second = run_at(before_the_year, moment + dt.timedelta(minutes=15))

    assert first.created == len(group) and first.sent == len(group)
    assert second.created == 0 and second.sent == 0
    assert len(mail.outbox) == len(group)


def test_the_reminder_has_date_time_room_theme_link_and_an_absence_link(
    before_the_year, meeting, participant
) -> None:
    meeting.theme = Theme.objects.create(
        school=meeting.community.team.school, title="Stage-gesprek"
    )
    meeting.save()
    run_at(before_the_year, first_run_before(meeting.starts_at, 7))

    [message] = mails_to(participant, UPCOMING)
    local = timezone.localtime(meeting.starts_at)
    with translation.override("nl"):
        day = date_format(local, "l j F Y")
    for part in (
        day,
        local.strftime("%H:%M"),
        "B1.04",
        "Stage-gesprek",
        absolute_url(f"/meeting/{meeting.pk}/"),
        absolute_url(f"/meeting/{meeting.pk}/absence/"),
    ):
        assert part in message.body
        assert part in html_of(message)
    assert meeting.community.name in message.subject


def test_an_excused_member_is_not_reminded(before_the_year, meeting, participant) -> None:
    AbsenceRequest.objects.create(
        meeting=meeting, member=participant, reason="Ziek", status=AbsenceStatus.APPROVED
    )
    run_at(before_the_year, first_run_before(meeting.starts_at, 7))

    assert mails_to(participant, UPCOMING) == []


def test_a_pending_absence_request_does_not_stop_the_reminder(
    before_the_year, meeting, participant
) -> None:
    AbsenceRequest.objects.create(meeting=meeting, member=participant, reason="Ziek")
    run_at(before_the_year, first_run_before(meeting.starts_at, 7))

    assert len(mails_to(participant, UPCOMING)) == 1


def test_a_held_meeting_gets_no_reminder(before_the_year, meeting, participant) -> None:
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.HELD)
    run_at(before_the_year, first_run_before(meeting.starts_at, 1))

    assert mails_to(participant, UPCOMING) == []


def test_an_inactive_account_gets_no_reminder(before_the_year, meeting, participant) -> None:
    participant.is_active = False
    participant.save()
    run_at(before_the_year, first_run_before(meeting.starts_at, 7))

    assert mails_to(participant, UPCOMING) == []


# No longer applies -------------------------------------------------------------------------


def test_a_moved_meeting_gets_reminders_for_its_new_date(
    before_the_year, meeting, teacher_leader, participant
) -> None:
    old = meeting.starts_at
    run_at(before_the_year, first_run_before(old, 7))
    new = old + dt.timedelta(days=14)
    meeting = meeting_move(meeting=meeting, actor=teacher_leader, starts_at=new, confirmed=True)

    run_at(before_the_year, first_run_before(old, 1))  # the old date's second reminder: nothing
    assert len(mails_to(participant, UPCOMING)) == 1
    run_at(before_the_year, first_run_before(new, 7))
    run_at(before_the_year, first_run_before(new, 1))

    messages = mails_to(participant, UPCOMING)
    assert len(messages) == 3
    local_new = date_format(timezone.localtime(new), "j F Y")
    assert local_new in messages[1].body and local_new in messages[2].body


def test_a_recorded_reminder_for_a_meeting_moved_before_sending_is_dropped(
    before_the_year, meeting, teacher_leader, participant
) -> None:
    now = first_run_before(meeting.starts_at, 7)
    before_the_year.move_to(now)
    notifications_create(dues=reminders.registered()[UPCOMING](now, _schedules()), now=now)
    meeting_move(
        meeting=meeting,
        actor=teacher_leader,
        starts_at=meeting.starts_at + dt.timedelta(days=7),
        confirmed=True,
    )

    assert notifications_send(now=now) == 0
    assert mail.outbox == []
    assert not Notification.objects.filter(dropped_at=None).exists()


def test_someone_who_left_the_plg_gets_no_reminder(before_the_year, meeting, participant) -> None:
    Membership.objects.filter(user=participant).delete()
    run_at(before_the_year, first_run_before(meeting.starts_at, 7))

    assert mails_to(participant, UPCOMING) == []


def test_a_waiting_reminder_is_dropped_when_its_person_left_the_plg(
    before_the_year, meeting, participant
) -> None:
    now = first_run_before(meeting.starts_at, 7)
    before_the_year.move_to(now)
    notifications_create(dues=reminders.registered()[UPCOMING](now, _schedules()), now=now)
    Membership.objects.filter(user=participant).delete()

    notifications_send(now=now)

    assert mails_to(participant, UPCOMING) == []
    assert Notification.objects.get(recipient=participant).dropped_at == now


# The school's lead times ---------------------------------------------------------------------


def test_the_schools_own_lead_time_is_used(before_the_year, world, meeting, participant) -> None:
    ReminderSchedule.objects.create(school=world.school, meeting_first_days=10)

    run_at(before_the_year, first_run_before(meeting.starts_at, 7))
    assert mails_to(participant, UPCOMING) == []
    run_at(before_the_year, first_run_before(meeting.starts_at, 10))
    assert len(mails_to(participant, UPCOMING)) == 1


def test_another_schools_lead_time_does_not_apply(before_the_year, world, meeting, participant):
    ReminderSchedule.objects.create(school=world.other_school, meeting_first_days=10)

    run_at(before_the_year, first_run_before(meeting.starts_at, 7))

    assert len(mails_to(participant, UPCOMING)) == 1


# Preparing the meeting -----------------------------------------------------------------------


def _preparers(meeting, *users) -> None:
    MeetingPreparer.objects.bulk_create(MeetingPreparer(meeting=meeting, user=u) for u in users)


def test_the_two_preparers_are_reminded_fourteen_days_before(
    before_the_year, meeting, development_team, participant, teacher_leader
) -> None:
    _preparers(meeting, development_team, participant)

    run_at(before_the_year, first_run_before(meeting.starts_at, 14))

    assert len(mails_to(development_team, PREPARE)) == 1
    assert len(mails_to(participant, PREPARE)) == 1
    assert mails_to(teacher_leader, PREPARE) == []
    body = mails_to(development_team, PREPARE)[0].body
    assert absolute_url(f"/meeting/{meeting.pk}/phase-0/") in body
    assert absolute_url(f"/meeting/{meeting.pk}/agenda/") in body


def test_a_preparer_assigned_late_is_still_told_once(
    before_the_year, meeting, development_team
) -> None:
    run_at(before_the_year, first_run_before(meeting.starts_at, 14))
    _preparers(meeting, development_team)
    run_at(before_the_year, first_run_before(meeting.starts_at, 10))
    run_at(before_the_year, first_run_before(meeting.starts_at, 9))

    assert len(mails_to(development_team, PREPARE)) == 1


def test_no_preparers_reminder_before_its_moment(before_the_year, meeting, development_team):
    _preparers(meeting, development_team)

    run_at(before_the_year, first_run_before(meeting.starts_at, 15))

    assert mails_to(development_team, PREPARE) == []


def test_a_preparer_who_left_the_plg_is_not_reminded(
    before_the_year, meeting, development_team
) -> None:
    _preparers(meeting, development_team)
    Membership.objects.filter(user=development_team).delete()

    run_at(before_the_year, first_run_before(meeting.starts_at, 14))

    assert mails_to(development_team, PREPARE) == []


def test_a_waiting_preparers_reminder_is_dropped_when_unassigned(
    before_the_year, meeting, development_team
) -> None:
    _preparers(meeting, development_team)
    now = first_run_before(meeting.starts_at, 14)
    before_the_year.move_to(now)
    notifications_create(dues=reminders.registered()[PREPARE](now, _schedules()), now=now)
    MeetingPreparer.objects.all().delete()

    assert notifications_send(now=now) == 0


# Language --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "weekday"), [("en", "Tuesday"), ("nl", "dinsdag")])
def test_the_reminder_is_written_in_the_recipients_language(
    before_the_year, meeting, participant, language, weekday
) -> None:
    participant.language = language
    participant.save()

    run_at(before_the_year, first_run_before(meeting.starts_at, 7))

    [message] = mails_to(participant, UPCOMING)
    with translation.override(language):
        expected = [
            str(NotificationKind.MEETING_UPCOMING.label),
            translation.gettext("Cannot come? Request absence from your team leader:"),
            translation.gettext("When:"),
        ]
    assert message.subject.startswith(expected[0])
    assert expected[1] in message.body and expected[2] in message.body
    assert weekday in message.body


# Queries -------------------------------------------------------------------------------------


def _plgs(world, teacher_leader, count: int) -> None:
    for _number in range(count):
        community = CommunityFactory(team=world.team, school_year=world.school_year)
        for _member in range(3):
            MembershipFactory(community=community, user=UserFactory())
        MembershipFactory(community=community, user=teacher_leader, is_teacher_leader=True)
        planned = year_plan_create(
            community=community,
            actor=teacher_leader,
            weekday=1,
            start_time=dt.time(15, 30),
            location="B1.04",
        )
        MeetingPreparer.objects.create(meeting=planned[1], user=teacher_leader)


def _queries_of_a_run(traveller, now) -> tuple[Counter, int]:
    """The queries of one reminder run by sort (batched inserts, sent marks, other), and the mails."""
    with CaptureQueriesContext(connection) as queries:
        summary = run_at(traveller, now)
    assert summary.sent > 0
    sorts: Counter = Counter()
    for query in queries.captured_queries:
        sql = query["sql"]
        if sql.startswith("INSERT"):
            sorts["insert"] += 1
        elif sql.startswith('UPDATE "meetings_notification" SET "sent_at"'):
            sorts["mark"] += 1
        else:
            sorts["other"] += 1
    return sorts, summary.sent


def test_a_reminder_run_takes_as_many_queries_for_twenty_plgs_as_for_two(
    before_the_year, world, meetings, teacher_leader
) -> None:
    _plgs(world, teacher_leader, 2)
    now = first_run_before(meetings[1].starts_at, 7)
    few, few_sent = _queries_of_a_run(before_the_year, now)

    Notification.objects.all().delete()
    _plgs(world, teacher_leader, 18)
    many, many_sent = _queries_of_a_run(before_the_year, now)

    assert many_sent > 20 * 3 > few_sent
    assert many["other"] == few["other"]
    # Only the batched writes grow: sent rows are marked every SENT_CHUNK mails (a killed worker
    # then loses little), and bulk_create splits an insert at ~100 rows on SQLite (999 params).
    assert (few["mark"], many["mark"]) == (
        math.ceil(few_sent / SENT_CHUNK),
        math.ceil(many_sent / SENT_CHUNK),
    )
    assert few["insert"] == 1
    assert many["insert"] <= 1 + many_sent // 100


def _schedules() -> reminders.Schedules:
    return reminders.Schedules(ReminderSchedule.objects.all())
