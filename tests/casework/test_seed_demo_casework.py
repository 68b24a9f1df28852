"""`seed_demo_casework` gives the demo PLG's next meeting work cases to try the groups with."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from casework.models import CaseStatus, WorkCase
from meetings.models import Meeting

pytestmark = pytest.mark.django_db
DEMO_PLG = "PLG Begeleiding zorgleerlingen"


def _seed() -> None:
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo_calendar", stdout=StringIO())
    call_command("seed_demo_casework", stdout=StringIO())


def test_demo_cases_go_to_the_first_meeting_ahead(before_the_year) -> None:
    _seed()

    cases = list(WorkCase.objects.filter(meeting__community__name=DEMO_PLG))
    assert {case.meeting.number for case in cases} == {1}
    assert sorted(case.status for case in cases) == [
        CaseStatus.DRAFT,
        CaseStatus.SUBMITTED,
        CaseStatus.SUBMITTED,
    ]
    assert len({case.presenter_id for case in cases}) == 3


def test_demo_cases_skip_meetings_that_already_started(before_the_year) -> None:
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo_calendar", stdout=StringIO())
    first = Meeting.objects.get(community__name=DEMO_PLG, number=1)
    before_the_year.move_to(first.ends_at)

    call_command("seed_demo_casework", stdout=StringIO())

    assert {case.meeting.number for case in WorkCase.objects.all()} == {2}


def test_demo_cases_are_added_once(before_the_year) -> None:
    _seed()
    call_command("seed_demo_casework", stdout=StringIO())

    assert WorkCase.objects.count() == 3


def test_demo_cases_need_the_demo_calendar() -> None:
    with pytest.raises(CommandError):
        call_command("seed_demo_casework", stdout=StringIO())
