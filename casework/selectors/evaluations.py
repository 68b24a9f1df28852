"""Reads for meeting evaluations. Answers are read without any author: there is none to read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from communities.health_selectors import enough_answers, moment_to_answer
from communities.models import HEALTH_CHECK_AFTER_MEETING, HEALTH_MIN_ANSWERS

from ..models import MeetingEvaluation, MeetingEvaluationParticipation
from ..permissions import NOT_COUNTED, MeetingCounts
from ..services.evaluations import evaluation_closes_at, evaluation_is_open

if TYPE_CHECKING:
    import datetime as dt

    from meetings.models import Meeting
    from plg_platform.users.models import User

    from ..permissions import CaseworkAccess


def reads_evaluations(access: CaseworkAccess) -> bool:
    """Tell whether the user reads the collected answers: the PLG's teacher leaders only."""
    return access.is_teacher_leader


def has_evaluated(meeting: Meeting, user: User) -> bool:
    return MeetingEvaluationParticipation.objects.filter(meeting=meeting, user=user).exists()


@dataclass(frozen=True)
class EvaluationState:
    """Whether the window is open, when it closes, and whether the user already answered."""

    is_open: bool
    closes_at: dt.datetime
    answered: bool


def evaluation_state(
    meeting: Meeting, user: User, counts: MeetingCounts = NOT_COUNTED
) -> EvaluationState:
    """Read the window and the user's answer, or take them from the panel's counts."""
    if counts.evaluated is None:
        closes_at = evaluation_closes_at(meeting)
        answered = has_evaluated(meeting, user)
    else:
        # No next meeting: the service knows the end of the school year.
        closes_at = counts.next_starts_at or evaluation_closes_at(meeting)
        answered = counts.evaluated
    return EvaluationState(
        is_open=evaluation_is_open(meeting, closes_at=closes_at),
        closes_at=closes_at,
        answered=answered,
    )


@dataclass(frozen=True)
class EvaluationSummary:
    """The collected answers in random-key order; none until enough members answered."""

    answers: list[MeetingEvaluation]
    answered_count: int

    @property
    def shown(self) -> bool:
        return enough_answers(self.answered_count)

    @property
    def needed(self) -> int:
        return HEALTH_MIN_ANSWERS

    @property
    def went_well(self) -> list[str]:
        return [answer.went_well for answer in self.answers if answer.went_well]

    @property
    def do_better(self) -> list[str]:
        return [answer.do_better for answer in self.answers if answer.do_better]


def evaluation_summary(meeting: Meeting) -> EvaluationSummary:
    """Read at most two queries; never a name or a time, and no text below the threshold."""
    answered = MeetingEvaluation.objects.filter(meeting=meeting).count()
    if not enough_answers(answered):
        # With one or two answers the readers could tell who wrote what.
        return EvaluationSummary(answers=[], answered_count=answered)
    answers = list(
        MeetingEvaluation.objects.filter(meeting=meeting)
        .only("id", "went_well", "do_better")
        .order_by("id")
    )
    return EvaluationSummary(answers=answers, answered_count=len(answers))


def meeting_panel(meeting: Meeting, user: User, access: CaseworkAccess) -> dict[str, object]:
    """Context for templates/casework/meeting/_evaluations.html, in a fixed number of queries.

    Also the health-check prompt on the meetings the health check follows.
    """
    context: dict[str, object] = {
        "evaluation_member": False,
        "evaluation_reader": False,
        "evaluation_state": None,
        "evaluation_count": 0,
        "evaluation_shown": False,
        "evaluation_needed": HEALTH_MIN_ANSWERS,
        "health_prompt": None,
    }
    if access.member and meeting.number in HEALTH_CHECK_AFTER_MEETING.values():
        # The health check follows meetings 1, 3 and 6: remind members who have not answered.
        context["health_prompt"] = moment_to_answer(
            user, meeting.community, access.meeting.membership
        )
    if not meeting.has_taken_place:
        return context
    if access.member:
        context["evaluation_member"] = True
        context["evaluation_state"] = evaluation_state(meeting, user, access.counts)
    if reads_evaluations(access):
        context["evaluation_reader"] = True
        count = access.counts.evaluations
        if count is None:
            count = MeetingEvaluation.objects.filter(meeting=meeting).count()
        context["evaluation_count"] = count
        context["evaluation_shown"] = enough_answers(count)
    return context
