"""The meeting page's small numbers, read as plain SQL, match what the ORM counts."""

from __future__ import annotations

import dataclasses

import pytest

from casework.models import (
    CaseStatus,
    MeetingEvaluation,
    Reflection,
    SmallGroup,
    WorkCase,
)
from casework.permissions import casework_access
from casework.selectors.panel import meeting_counts
from casework.services.evaluations import meeting_evaluation_submit
from meetings.models import Meeting, MeetingStatus
from meetings.permissions import get_meeting_for

pytestmark = pytest.mark.django_db

ANSWER = {"went_well": "The questions.", "do_better": "Start on time."}


def _orm_counts(meeting: Meeting, user) -> dict[str, object]:
    return {
        "submitted_cases": WorkCase.objects.filter(
            meeting=meeting, status=CaseStatus.SUBMITTED
        ).count(),
        "groups_made": SmallGroup.objects.filter(meeting=meeting).exists(),
        "shared_reflections": Reflection.objects.filter(meeting=meeting, shared=True).count(),
        "evaluations": MeetingEvaluation.objects.filter(meeting=meeting).count(),
        "evaluated": meeting.evaluation_participations.filter(user=user).exists(),
        "next_starts_at": Meeting.objects.filter(
            community_id=meeting.community_id, starts_at__gt=meeting.starts_at
        )
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first(),
    }


def _counts(meeting: Meeting, user) -> dict[str, object]:
    meeting = get_meeting_for(user, meeting.pk)
    read = dataclasses.asdict(meeting_counts(meeting, user, casework_access(user, meeting)))
    return {name: value for name, value in read.items() if value is not None}


def test_every_number_a_teacher_leader_needs_matches_the_orm(noted, teacher_leader, meetings):
    for member in noted.members[:4]:
        meeting_evaluation_submit(meeting=noted.meeting, member=member, data=ANSWER)
    meeting_evaluation_submit(meeting=noted.meeting, member=teacher_leader, data=ANSWER)
    # The next meeting is cancelled: the evaluation window runs to the one after it.
    meetings[2].status = MeetingStatus.CANCELLED
    meetings[2].save(update_fields=["status"])

    read = _counts(noted.meeting, teacher_leader)
    expected = _orm_counts(noted.meeting, teacher_leader)

    assert set(read) >= {"submitted_cases", "evaluations", "evaluated", "next_starts_at"}
    assert read == {name: expected[name] for name in read}
    assert read["next_starts_at"] == meetings[3].starts_at
    assert read["evaluated"] is True
    assert read["evaluations"] == 5


def test_a_participant_reads_their_own_numbers(noted, participant):
    read = _counts(noted.meeting, participant)
    expected = _orm_counts(noted.meeting, participant)

    assert read  # a member after the meeting needs at least two numbers
    assert read == {name: expected[name] for name in read}
    assert read.get("evaluated") is False
