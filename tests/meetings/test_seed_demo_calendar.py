"""`seed_demo_calendar` gives the demo's second PLG a planned, themed and prepared year."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from meetings.models import Meeting, MeetingStatus, ThemeVoting

pytestmark = pytest.mark.django_db


def _seed() -> None:
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo_calendar", stdout=StringIO())


def test_demo_calendar_plans_six_meetings_with_themes_and_preparers(before_the_year) -> None:
    _seed()

    meetings = list(Meeting.objects.filter(community__name="PLG Begeleiding zorgleerlingen"))
    assert [m.number for m in meetings] == [1, 2, 3, 4, 5, 6]
    assert [m.theme.title for m in meetings[:5]] == [
        "Startende docenten", "Faalangst bij toetsen", "Autisme", "Zorgleerlingen",
        "Mentoraat en coaching",
    ]  # fmt: skip
    assert all(m.preparers.count() == 2 for m in meetings)
    assert meetings[1].status == MeetingStatus.PREPARED
    assert not ThemeVoting.objects.get(community=meetings[0].community).is_open


def test_demo_calendar_can_run_again_without_changes(before_the_year) -> None:
    _seed()
    _seed()

    assert Meeting.objects.filter(community__name="PLG Begeleiding zorgleerlingen").count() == 6
    assert not Meeting.objects.filter(community__name="PLG Taal in alle vakken").exists()


def test_demo_calendar_asks_for_the_demo_school_first() -> None:
    with pytest.raises(CommandError):
        call_command("seed_demo_calendar", stdout=StringIO())
