"""meetings.services.meeting_move: moving a meeting, the second look, and its history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from meetings.models import ChangeKind, MeetingChange, MeetingStatus
from meetings.services import meeting_move
from meetings.services.plan import MoveNeedsConfirmation
from tests.factories import HolidayFactory
from tests.meetings.conftest import AMSTERDAM


def _at(year: int, month: int, day: int, hour: int = 15, minute: int = 30) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM)


def test_moving_a_meeting_changes_date_room_and_length(meetings, teacher_leader) -> None:
    meeting = meetings[2]

    moved = meeting_move(
        meeting=meeting,
        actor=teacher_leader,
        starts_at=_at(2026, 12, 8, 14, 0),
        duration=dt.timedelta(hours=2),
        location="Aula",
    )

    moved.refresh_from_db()
    assert moved.starts_at == _at(2026, 12, 8, 14, 0)
    assert moved.duration == dt.timedelta(hours=2)
    assert moved.location == "Aula"


def test_moving_a_meeting_increases_its_calendar_sequence(meetings, teacher_leader) -> None:
    before = meetings[2].sequence

    moved = meeting_move(meeting=meetings[2], actor=teacher_leader, starts_at=_at(2026, 12, 8))

    assert moved.sequence == before + 1


def test_moving_a_meeting_is_kept_in_its_history(meetings, teacher_leader) -> None:
    meeting_move(
        meeting=meetings[2], actor=teacher_leader, starts_at=_at(2026, 12, 8), location="Aula"
    )

    change = MeetingChange.objects.filter(meeting=meetings[2], kind=ChangeKind.MOVED).get()
    assert change.actor == teacher_leader
    assert change.data["location_from"] == "B1.04"
    assert change.data["location_to"] == "Aula"
    assert "8 december 2026" in change.summary
    assert "Aula" in change.summary


def test_saving_without_changes_adds_no_history(meetings, teacher_leader) -> None:
    meeting = meetings[2]

    meeting_move(meeting=meeting, actor=teacher_leader, starts_at=meeting.starts_at)

    assert not MeetingChange.objects.filter(meeting=meeting, kind=ChangeKind.MOVED).exists()


def test_moving_to_a_holiday_asks_for_confirmation_and_says_which(
    world, meetings, teacher_leader
) -> None:
    HolidayFactory(
        school_year=world.school_year,
        name="Kerstvakantie",
        first_day=dt.date(2026, 12, 21),
        last_day=dt.date(2027, 1, 1),
    )
    original = meetings[2].starts_at

    with pytest.raises(MoveNeedsConfirmation) as question:
        meeting_move(meeting=meetings[2], actor=teacher_leader, starts_at=_at(2026, 12, 22))

    assert any("Kerstvakantie" in concern for concern in question.value.concerns)
    meetings[2].refresh_from_db()
    assert meetings[2].starts_at == original


def test_a_confirmed_move_to_a_holiday_goes_ahead_and_records_why(
    world, meetings, teacher_leader
) -> None:
    HolidayFactory(
        school_year=world.school_year,
        name="Kerstvakantie",
        first_day=dt.date(2026, 12, 21),
        last_day=dt.date(2027, 1, 1),
    )

    meeting_move(
        meeting=meetings[2], actor=teacher_leader, starts_at=_at(2026, 12, 22), confirmed=True
    )

    change = MeetingChange.objects.get(meeting=meetings[2], kind=ChangeKind.MOVED)
    assert any("Kerstvakantie" in concern for concern in change.data["confirmed"])


def test_moving_outside_the_school_year_asks_for_confirmation(meetings, teacher_leader) -> None:
    with pytest.raises(MoveNeedsConfirmation) as question:
        meeting_move(meeting=meetings[5], actor=teacher_leader, starts_at=_at(2027, 8, 3))

    assert any("2026-2027" in concern for concern in question.value.concerns)


def test_moving_to_a_weekend_asks_for_confirmation(meetings, teacher_leader) -> None:
    with pytest.raises(MoveNeedsConfirmation):
        meeting_move(meeting=meetings[2], actor=teacher_leader, starts_at=_at(2026, 12, 12))


def test_moving_out_of_order_asks_for_confirmation(meetings, teacher_leader) -> None:
    after_meeting_four = meetings[3].starts_at + dt.timedelta(days=7)

    with pytest.raises(MoveNeedsConfirmation) as question:
        meeting_move(meeting=meetings[2], actor=teacher_leader, starts_at=after_meeting_four)

    assert len(question.value.concerns) == 1


def test_a_held_meeting_cannot_be_moved(meetings, teacher_leader) -> None:
    meetings[2].status = MeetingStatus.HELD
    meetings[2].save()

    with pytest.raises(ValidationError):
        meeting_move(meeting=meetings[2], actor=teacher_leader, starts_at=_at(2026, 12, 8))


@pytest.mark.parametrize("minutes", [0, -30, 13 * 60])
def test_a_meeting_length_outside_zero_to_twelve_hours_is_refused(
    meetings, teacher_leader, minutes
) -> None:
    with pytest.raises(ValidationError):
        meeting_move(
            meeting=meetings[2],
            actor=teacher_leader,
            starts_at=_at(2026, 12, 8),
            duration=dt.timedelta(minutes=minutes),
        )


@pytest.mark.parametrize("day", [dt.date(1, 1, 1), dt.date(9999, 6, 1), dt.date(2029, 1, 8)])
def test_a_date_far_from_the_school_year_is_refused_even_when_confirmed(
    meetings, teacher_leader, day
) -> None:
    starts_at = dt.datetime.combine(day, dt.time(15, 30), tzinfo=AMSTERDAM)

    with pytest.raises(ValidationError):
        meeting_move(meeting=meetings[2], actor=teacher_leader, starts_at=starts_at, confirmed=True)

    meetings[2].refresh_from_db()
    assert meetings[2].location == "B1.04"
