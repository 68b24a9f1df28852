"""The meeting page's small numbers and the viewer's own rows, read as plain SQL, match what
the ORM reads."""

from __future__ import annotations

import dataclasses

import pytest

from casework.models import (
    CaseStatus,
    MeetingEvaluation,
    MeetingReport,
    MeetingRun,
    NextStep,
    NoteField,
    PhaseNote,
    Reflection,
    SmallGroup,
    StepStatus,
    WorkCase,
)
from casework.permissions import casework_access, run_of
from casework.selectors.cases import own_case
from casework.selectors.panel import meeting_counts
from casework.selectors.reflections import own_reflection
from casework.selectors.reports import meeting_panel as report_panel
from casework.selectors.steps import _steps, steps_here, steps_to_review
from casework.services.evaluations import meeting_evaluation_submit
from casework.services.reports import report_compile, report_finalise
from meetings.models import Meeting, MeetingStatus
from meetings.permissions import get_meeting_for
from meetings.phases import Phase

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
    # The report's id and status are held to the ORM by the report tests below.
    return {
        name: value
        for name, value in read.items()
        if value is not None and not name.startswith("report_")
    }


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


def _values(row) -> list[object] | None:
    """A row's column values, to compare a plain-SQL instance with the ORM's."""
    if row is None:
        return None
    return [getattr(row, field.attname) for field in row._meta.concrete_fields]


def _panel_meeting(meeting: Meeting, user):
    """The meeting as the meeting page holds it once the panel read its numbers and rows."""
    meeting = get_meeting_for(user, meeting.pk)
    meeting_counts(meeting, user, casework_access(user, meeting))
    return meeting


@pytest.mark.parametrize("persona", ["participant", "development_team", "teacher_leader"])
def test_the_own_rows_read_with_the_numbers_are_the_orms(
    noted, persona, persona_user, django_assert_num_queries
):
    user = persona_user(persona)
    MeetingRun.objects.create(meeting=noted.meeting, phase=Phase.CLOSING)
    meeting = _panel_meeting(noted.meeting, user)

    with django_assert_num_queries(0):
        case, reflection, run = (
            own_case(meeting, user),
            own_reflection(meeting, user),
            run_of(meeting),
        )

    assert _values(case) == _values(
        WorkCase.objects.filter(meeting=meeting, presenter=user).first()
    )
    assert _values(reflection) == _values(
        Reflection.objects.filter(meeting=meeting, author=user).first()
    )
    assert _values(run) == _values(MeetingRun.objects.get(meeting=meeting))
    assert run.meeting is meeting


def test_a_meeting_without_a_run_or_own_rows_reads_none(noted, session_members):
    drafterless = session_members[0][4]  # members[4]: no case, no reflection
    meeting = _panel_meeting(noted.meeting, drafterless)

    assert own_case(meeting, drafterless) is None
    assert own_reflection(meeting, drafterless) is None
    assert run_of(meeting) is None


def test_rows_remembered_for_one_user_are_not_anothers(noted, participant, development_team):
    meeting = _panel_meeting(noted.meeting, participant)

    assert own_case(meeting, development_team) is None
    assert own_case(meeting, participant).pk == noted.case.pk


def _step(meeting: Meeting, presenter, text: str) -> NextStep:
    """A first small step of `presenter`, in a small group of its own."""
    number = SmallGroup.objects.filter(meeting=meeting).count() + 1
    group = SmallGroup.objects.create(meeting=meeting, number=number)
    note = PhaseNote.objects.create(
        meeting=meeting, group=group, field=NoteField.FIRST_STEP, text=text
    )
    return NextStep.objects.create(note=note, meeting=meeting, presenter=presenter)


def test_the_steps_here_are_the_orms_with_their_notes(noted, participant):
    _step(noted.meeting, participant, "Ask one pupil a day")
    _step(noted.meeting, noted.members[0], "Not mine")
    _step(noted.meeting, participant, "Call a parent")

    read = steps_here(noted.meeting, participant)
    expected = NextStep.objects.filter(meeting=noted.meeting, presenter=participant).order_by("pk")

    assert [_values(step) for step in read] == [_values(step) for step in expected]
    assert [_values(step.note) for step in read] == [_values(step.note) for step in expected]
    assert [step.note.text for step in read] == ["Ask one pupil a day", "Call a parent"]
    assert all(step.meeting is noted.meeting for step in read)


def test_the_steps_to_review_are_the_orms_with_their_notes_and_meetings(
    noted, meetings, participant, teacher_leader
):
    meetings[0].theme = None
    meetings[0].save(update_fields=["theme"])
    _step(meetings[0], participant, "From meeting 1")
    _step(noted.meeting, participant, "From meeting 2, first")
    _step(noted.meeting, participant, "From meeting 2, second")
    done = _step(noted.meeting, participant, "Already looked back on")
    done.status = StepStatus.DONE
    done.save(update_fields=["status"])
    _step(noted.meeting, noted.members[0], "Not mine")
    _step(meetings[3], participant, "A later meeting's")
    later = get_meeting_for(participant, meetings[2].pk)

    read = steps_to_review(later, participant)
    expected = list(
        _steps()
        .filter(
            presenter=participant,
            status=StepStatus.OPEN,
            meeting__community_id=later.community_id,
            meeting__number__lt=later.number,
        )
        .order_by("-meeting__number", "pk")
    )

    assert [_values(step) for step in read] == [_values(step) for step in expected]
    assert [_values(step.note) for step in read] == [_values(step.note) for step in expected]
    assert [_values(step.meeting) for step in read] == [_values(s.meeting) for s in expected]
    assert [_values(step.meeting.theme) for step in read] == [
        _values(s.meeting.theme) for s in expected
    ]
    assert [str(step.meeting) for step in read] == [str(s.meeting) for s in expected]
    assert [step.note.text for step in read] == [
        "From meeting 2, first",
        "From meeting 2, second",
        "From meeting 1",
    ]


def _report_read(meeting: Meeting, user) -> tuple[bool, int | None, str | None]:
    meeting = get_meeting_for(user, meeting.pk)
    counts = meeting_counts(meeting, user, casework_access(user, meeting))
    return counts.report_read, counts.report_id, counts.report_status


def test_the_report_is_read_with_the_numbers_by_whoever_sees_its_section(
    noted, teacher_leader, participant, development_team
):
    # No report yet: read as none for its writers (who then see the compile button).
    assert _report_read(noted.meeting, teacher_leader) == (True, None, None)
    report = report_compile(meeting=noted.meeting, actor=development_team)
    assert _report_read(noted.meeting, development_team) == (True, report.pk, report.status)
    report = report_finalise(report=report, actor=development_team)
    assert _report_read(noted.meeting, participant) == (True, report.pk, "final")


def test_the_report_section_shows_the_orms_report(noted, teacher_leader, development_team):
    report_compile(meeting=noted.meeting, actor=development_team)
    meeting = get_meeting_for(teacher_leader, noted.meeting.pk)
    access = casework_access(teacher_leader, meeting)
    with_counts = dataclasses.replace(
        access, counts=meeting_counts(meeting, teacher_leader, access)
    )
    read, alone = (
        report_panel(meeting, teacher_leader, with_counts),
        report_panel(meeting, teacher_leader, access),
    )
    orm = MeetingReport.objects.get(meeting=noted.meeting)
    for panel in (read, alone):
        shown = panel["report_current"]
        assert (shown.pk, shown.status, shown.meeting_id) == (orm.pk, orm.status, orm.meeting_id)
        assert panel["report_can_compile"] is False
