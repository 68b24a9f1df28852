"""Looking back on a first small step, and where steps show up on the meeting page."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from casework.models import NextStep, NoteField, PhaseNote, SmallGroup, StepStatus
from casework.permissions import casework_access
from casework.selectors import steps as selectors
from casework.services.steps import step_review


def make_step(meeting, presenter, text="Greet every pupil at the door") -> NextStep:
    group = SmallGroup.objects.create(meeting=meeting, number=9)
    note = PhaseNote.objects.create(
        meeting=meeting, group=group, field=NoteField.FIRST_STEP, text=text
    )
    return NextStep.objects.create(note=note, meeting=meeting, presenter=presenter)


@pytest.mark.parametrize(
    ("status", "outcome"),
    [(StepStatus.DONE, ""), (StepStatus.DONE, "They noticed"),
     (StepStatus.PARTLY, "Three days out of five"), (StepStatus.NOT_DONE, "I was ill")],
)  # fmt: skip
def test_presenter_looks_back_on_their_step(meetings, participant, status, outcome) -> None:
    step = make_step(meetings[0], participant)

    step_review(step=step, actor=participant, status=status, outcome=f"  {outcome}  ")

    step.refresh_from_db()
    assert (step.status, step.outcome) == (status, outcome)
    assert step.reviewed_at is not None


@pytest.mark.parametrize("status", [StepStatus.PARTLY, StepStatus.NOT_DONE])
def test_partly_or_not_done_needs_a_line_on_what_happened(meetings, participant, status) -> None:
    step = make_step(meetings[0], participant)

    with pytest.raises(ValidationError) as raised:
        step_review(step=step, actor=participant, status=status, outcome="  ")

    assert "outcome" in raised.value.error_dict
    assert NextStep.objects.get().status == StepStatus.OPEN


@pytest.mark.parametrize("status", [StepStatus.OPEN, "finished", ""])
def test_only_done_partly_or_not_done_is_an_answer(meetings, participant, status) -> None:
    step = make_step(meetings[0], participant)

    with pytest.raises(ValidationError):
        step_review(step=step, actor=participant, status=status, outcome="x")


def test_a_very_long_outcome_is_refused(meetings, participant) -> None:
    step = make_step(meetings[0], participant)

    with pytest.raises(ValidationError):
        step_review(step=step, actor=participant, status=StepStatus.DONE, outcome="x" * 1001)


def test_nobody_else_looks_back_on_a_step(meetings, participant, teacher_leader) -> None:
    step = make_step(meetings[0], participant)

    with pytest.raises(ValidationError):
        step_review(step=step, actor=teacher_leader, status=StepStatus.DONE, outcome="")

    assert NextStep.objects.get().reviewed_at is None


def test_looking_back_again_replaces_the_answer(meetings, participant) -> None:
    step = make_step(meetings[0], participant)
    step_review(step=step, actor=participant, status=StepStatus.NOT_DONE, outcome="no time")

    step_review(step=step, actor=participant, status=StepStatus.DONE, outcome="")

    assert NextStep.objects.get().status == StepStatus.DONE


def test_own_steps_are_newest_meeting_first(meetings, participant, development_team) -> None:
    older = make_step(meetings[0], participant, "older")
    newer = make_step(meetings[1], participant, "newer")
    make_step(meetings[2], development_team, "someone else's")

    assert selectors.own_steps(participant) == [newer, older]


# The meeting page panel ----------------------------------------------------------------------


def test_before_the_next_meeting_the_presenter_is_asked_to_look_back(meetings, participant) -> None:
    step = make_step(meetings[0], participant)

    context = selectors.meeting_panel(
        meetings[1], participant, casework_access(participant, meetings[1])
    )

    assert context["steps_to_review"] == [step]


def test_a_step_already_looked_back_on_is_not_asked_again(meetings, participant) -> None:
    step = make_step(meetings[0], participant)
    step_review(step=step, actor=participant, status=StepStatus.DONE, outcome="")

    context = selectors.meeting_panel(
        meetings[1], participant, casework_access(participant, meetings[1])
    )

    assert context["steps_to_review"] == []


def test_once_the_meeting_started_the_look_back_is_not_offered(
    meetings, participant, before_the_year
) -> None:
    make_step(meetings[0], participant)
    before_the_year.move_to(meetings[1].starts_at)

    context = selectors.meeting_panel(
        meetings[1], participant, casework_access(participant, meetings[1])
    )

    assert context["steps_to_review"] == []


def test_after_the_meeting_the_presenter_sees_the_step_of_this_meeting(
    meetings, participant, before_the_year
) -> None:
    step = make_step(meetings[1], participant)
    before_the_year.move_to(meetings[1].ends_at)

    context = selectors.meeting_panel(
        meetings[1], participant, casework_access(participant, meetings[1])
    )

    assert context["steps_here"] == [step]


def test_others_do_not_see_a_presenters_step_in_the_panel(
    meetings, participant, teacher_leader, before_the_year
) -> None:
    make_step(meetings[1], participant)
    before_the_year.move_to(meetings[1].ends_at)

    context = selectors.meeting_panel(
        meetings[1], teacher_leader, casework_access(teacher_leader, meetings[1])
    )

    assert context["steps_here"] == []
