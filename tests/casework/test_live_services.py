"""Running a meeting through phases 0-6, and small groups at their own pace in phases 1-5."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext

from casework.models import (
    MeetingRun,
    NextStep,
    NoteField,
    PhaseNote,
    SmallGroup,
    SmallGroupMember,
    note_specs_for,
)
from casework.permissions import casework_access, run_of
from casework.selectors.live import (
    CLOSING_FIELDS,
    earlier_first_steps,
    live_meeting,
    own_group_id,
    phase_minutes,
)
from casework.services.live import (
    group_phase,
    group_phase_move,
    run_close,
    run_phase_move,
    run_start,
)
from meetings.models import AgendaItem, Meeting
from meetings.phases import Phase


def _run(session, phase: int = Phase.THEME) -> MeetingRun:
    return MeetingRun.objects.create(meeting=session.meeting, phase=phase)


# Starting and moving the whole meeting -------------------------------------------------------


def test_teacher_leader_starts_the_meeting_at_phase_zero(in_the_meeting, teacher_leader) -> None:
    run = run_start(meeting=in_the_meeting.meeting, actor=teacher_leader)

    assert (run.phase, run.started_by, run.closed_at) == (Phase.THEME, teacher_leader, None)


@pytest.mark.parametrize("persona", ["development_team", "participant", "school_admin"])
def test_only_a_teacher_leader_starts_the_meeting(in_the_meeting, persona_user, persona) -> None:
    with pytest.raises(ValidationError):
        run_start(meeting=in_the_meeting.meeting, actor=persona_user(persona))

    assert not MeetingRun.objects.exists()


def test_a_meeting_is_started_once(in_the_meeting, teacher_leader) -> None:
    run_start(meeting=in_the_meeting.meeting, actor=teacher_leader)

    with pytest.raises(ValidationError):
        run_start(meeting=in_the_meeting.meeting, actor=teacher_leader)

    assert MeetingRun.objects.count() == 1


def test_a_meeting_is_not_started_before_its_day(session, teacher_leader) -> None:
    with pytest.raises(ValidationError):
        run_start(meeting=session.meeting, actor=teacher_leader)


@pytest.mark.parametrize("days_later", [1, 21])
def test_a_meeting_is_not_started_after_its_day(
    in_the_meeting, teacher_leader, before_the_year, days_later
) -> None:
    before_the_year.move_to(in_the_meeting.meeting.starts_at + dt.timedelta(days=days_later))

    with pytest.raises(ValidationError) as refused:
        run_start(meeting=in_the_meeting.meeting, actor=teacher_leader)

    assert refused.value.messages == [gettext("A meeting can only be started on its own day.")]
    assert not MeetingRun.objects.exists()


def test_next_phase_moves_on_and_restarts_the_clock(
    in_the_meeting, teacher_leader, before_the_year
) -> None:
    run = _run(in_the_meeting)
    before_the_year.shift(dt.timedelta(minutes=25))

    run_phase_move(run=run, actor=teacher_leader, from_phase=Phase.THEME, direction=1)

    run.refresh_from_db()
    assert run.phase == Phase.CASE
    assert run.phase_started_at == in_the_meeting.meeting.starts_at + dt.timedelta(minutes=55)


def test_previous_phase_goes_back(in_the_meeting, teacher_leader) -> None:
    run = _run(in_the_meeting, Phase.INSIGHTS)

    run_phase_move(run=run, actor=teacher_leader, from_phase=Phase.INSIGHTS, direction=-1)

    assert MeetingRun.objects.get().phase == Phase.UNDERSTANDING


def test_a_double_click_moves_one_phase_not_two(in_the_meeting, teacher_leader) -> None:
    run = _run(in_the_meeting)
    run_phase_move(run=run, actor=teacher_leader, from_phase=Phase.THEME, direction=1)

    with pytest.raises(ValidationError):
        run_phase_move(run=run, actor=teacher_leader, from_phase=Phase.THEME, direction=1)

    assert MeetingRun.objects.get().phase == Phase.CASE


@pytest.mark.parametrize(("phase", "direction"), [(Phase.THEME, -1), (Phase.CLOSING, 1)])
def test_there_is_no_phase_before_0_or_after_6(
    in_the_meeting, teacher_leader, phase, direction
) -> None:
    run = _run(in_the_meeting, phase)

    with pytest.raises(ValidationError):
        run_phase_move(run=run, actor=teacher_leader, from_phase=phase, direction=direction)

    assert MeetingRun.objects.get().phase == phase


def test_a_group_leader_does_not_move_the_whole_meeting(in_the_meeting, development_team) -> None:
    run = _run(in_the_meeting)

    with pytest.raises(ValidationError):
        run_phase_move(run=run, actor=development_team, from_phase=Phase.THEME, direction=1)


def test_the_meeting_closes_after_phase_six(in_the_meeting, teacher_leader) -> None:
    run = _run(in_the_meeting, Phase.CLOSING)

    run_close(run=run, actor=teacher_leader)

    assert MeetingRun.objects.get().closed_at is not None


def test_the_meeting_does_not_close_before_phase_six(in_the_meeting, teacher_leader) -> None:
    run = _run(in_the_meeting, Phase.NEXT_STEPS)

    with pytest.raises(ValidationError):
        run_close(run=run, actor=teacher_leader)

    assert MeetingRun.objects.get().closed_at is None


def test_a_closed_meeting_does_not_move(in_the_meeting, teacher_leader) -> None:
    run = _run(in_the_meeting, Phase.CLOSING)
    run_close(run=run, actor=teacher_leader)

    with pytest.raises(ValidationError):
        run_phase_move(run=run, actor=teacher_leader, from_phase=Phase.CLOSING, direction=-1)


# Small groups at their own pace --------------------------------------------------------------


@pytest.mark.parametrize(
    ("meeting_phase", "expected"),
    [
        (Phase.THEME, Phase.CASE),
        (Phase.INSIGHTS, Phase.INSIGHTS),
        (Phase.CLOSING, Phase.NEXT_STEPS),
    ],
)
def test_a_group_follows_the_meeting_within_phases_1_to_5(
    in_the_meeting, meeting_phase, expected
) -> None:
    run = _run(in_the_meeting, meeting_phase)

    assert group_phase(in_the_meeting.groups[0], run) == expected


def test_the_group_leader_moves_their_group_on(in_the_meeting, development_team) -> None:
    _run(in_the_meeting, Phase.CASE)
    group = in_the_meeting.groups[0]

    group_phase_move(group=group, actor=development_team, from_phase=Phase.CASE, direction=1)

    group.refresh_from_db()
    assert (group.phase, group.phase_started_at) == (Phase.UNDERSTANDING, in_the_meeting.meeting.starts_at + dt.timedelta(minutes=30))  # fmt: skip
    assert SmallGroup.objects.get(pk=in_the_meeting.groups[1].pk).phase is None


def test_a_group_that_moved_keeps_its_own_phase(in_the_meeting, development_team) -> None:
    run = _run(in_the_meeting, Phase.CASE)
    group = in_the_meeting.groups[0]
    group_phase_move(group=group, actor=development_team, from_phase=Phase.CASE, direction=1)
    MeetingRun.objects.update(phase=Phase.LOOKING_BACK)
    run.refresh_from_db()

    assert group_phase(SmallGroup.objects.get(pk=group.pk), run) == Phase.UNDERSTANDING


def test_a_teacher_leader_moves_any_group(in_the_meeting, teacher_leader) -> None:
    _run(in_the_meeting, Phase.INSIGHTS)
    group = in_the_meeting.groups[1]

    group_phase_move(group=group, actor=teacher_leader, from_phase=Phase.INSIGHTS, direction=-1)

    assert SmallGroup.objects.get(pk=group.pk).phase == Phase.UNDERSTANDING


@pytest.mark.parametrize("who", ["participant", "second_dev"])
def test_members_and_other_leaders_do_not_move_a_group(in_the_meeting, persona_user, who) -> None:
    _run(in_the_meeting, Phase.CASE)
    actor = in_the_meeting.second_dev if who == "second_dev" else persona_user(who)

    with pytest.raises(ValidationError):
        group_phase_move(
            group=in_the_meeting.groups[0], actor=actor, from_phase=Phase.CASE, direction=1
        )

    assert SmallGroup.objects.get(pk=in_the_meeting.groups[0].pk).phase is None


def test_a_group_moved_meanwhile_is_not_moved_twice(in_the_meeting, development_team) -> None:
    _run(in_the_meeting, Phase.CASE)
    group = in_the_meeting.groups[0]
    group_phase_move(group=group, actor=development_team, from_phase=Phase.CASE, direction=1)

    with pytest.raises(ValidationError):
        group_phase_move(group=group, actor=development_team, from_phase=Phase.CASE, direction=1)

    assert SmallGroup.objects.get(pk=group.pk).phase == Phase.UNDERSTANDING


def test_a_group_move_locks_the_group_before_it_reads_the_run(
    in_the_meeting, development_team
) -> None:
    _run(in_the_meeting, Phase.CASE)
    group = in_the_meeting.groups[0]

    with CaptureQueriesContext(connection) as queries:
        group_phase_move(group=group, actor=development_team, from_phase=1, direction=1)

    sqls = [query["sql"] for query in queries.captured_queries]
    locked = next(
        index
        for index, sql in enumerate(sqls)
        if 'FROM "casework_smallgroup"' in sql and f'"id" = {group.pk}' in sql
    )
    run_read = next(index for index, sql in enumerate(sqls) if 'FROM "casework_meetingrun"' in sql)
    assert locked < run_read


def test_a_group_removed_meanwhile_is_not_moved(in_the_meeting, development_team) -> None:
    _run(in_the_meeting, Phase.CASE)
    group = in_the_meeting.groups[0]
    SmallGroup.objects.filter(pk=group.pk).delete()

    with pytest.raises(ValidationError):
        group_phase_move(group=group, actor=development_team, from_phase=1, direction=1)


@pytest.mark.parametrize(("phase", "direction"), [(Phase.CASE, -1), (Phase.NEXT_STEPS, 1)])
def test_a_group_stays_within_phases_1_to_5(
    in_the_meeting, development_team, phase, direction
) -> None:
    _run(in_the_meeting, phase)

    with pytest.raises(ValidationError):
        group_phase_move(
            group=in_the_meeting.groups[0],
            actor=development_team,
            from_phase=phase,
            direction=direction,
        )


def test_a_group_does_not_move_before_the_meeting_runs(in_the_meeting, development_team) -> None:
    with pytest.raises(ValidationError):
        group_phase_move(
            group=in_the_meeting.groups[0],
            actor=development_team,
            from_phase=Phase.CASE,
            direction=1,
        )


# Time boxes ----------------------------------------------------------------------------------


def test_time_boxes_come_from_the_agenda(session) -> None:
    AgendaItem.objects.create(meeting=session.meeting, phase=Phase.INSIGHTS, minutes=42)

    minutes = phase_minutes(session.meeting)

    assert minutes[Phase.INSIGHTS] == 42
    assert minutes[Phase.THEME] == 25  # a default for the phases the agenda leaves out


def test_the_time_boxes_are_the_agendas_rows_as_the_orm_reads_them(session) -> None:
    for phase, length in ((Phase.INSIGHTS, 42), (Phase.THEME, 10)):
        AgendaItem.objects.create(meeting=session.meeting, phase=phase, minutes=length)
    saved = dict(AgendaItem.objects.filter(meeting=session.meeting).values_list("phase", "minutes"))

    minutes = phase_minutes(session.meeting)

    assert (
        {phase: minutes[phase] for phase in saved} == saved == {Phase.INSIGHTS: 42, Phase.THEME: 10}
    )
    assert set(minutes) == {int(phase) for phase in Phase}


def test_the_run_is_the_orms_read_once_and_kept_with_the_meeting(session) -> None:
    fresh = Meeting.objects.get(pk=session.meeting.pk)
    with CaptureQueriesContext(connection) as queries:
        assert run_of(fresh) is None
        assert run_of(fresh) is None
    assert len(queries) == 1

    run = _run(session, Phase.CASE)
    fresh = Meeting.objects.get(pk=session.meeting.pk)
    with CaptureQueriesContext(connection) as queries:
        read = run_of(fresh)
        assert run_of(fresh) is read
        assert read.meeting is fresh
    assert len(queries) == 1
    orm = MeetingRun.objects.get(meeting=session.meeting)
    fields = [field.attname for field in MeetingRun._meta.concrete_fields]
    assert [getattr(read, f) for f in fields] == [getattr(orm, f) for f in fields]
    assert read.pk == run.pk


def test_the_timer_ends_a_time_box_after_the_phase_started(in_the_meeting, teacher_leader) -> None:
    run = _run(in_the_meeting, Phase.UNDERSTANDING)

    context = live_meeting(in_the_meeting.meeting, casework_access(teacher_leader, run.meeting))

    assert context["timer"].ends_at == run.phase_started_at + dt.timedelta(minutes=20)


# First small steps from earlier meetings -----------------------------------------------------


def _step(meeting, presenter, text) -> NextStep:
    number = SmallGroup.objects.filter(meeting=meeting).count() + 1
    group = SmallGroup.objects.create(meeting=meeting, number=number)
    note = PhaseNote.objects.create(
        meeting=meeting, group=group, field=NoteField.FIRST_STEP, text=text
    )
    return NextStep.objects.create(note=note, meeting=meeting, presenter=presenter)


def test_earlier_first_steps_are_the_latest_per_person_before_this_meeting(
    meetings, participant, development_team, django_assert_num_queries
) -> None:
    _step(meetings[0], participant, "first")
    latest = _step(meetings[1], participant, "second")
    _step(meetings[3], participant, "a later one")
    only = _step(meetings[0], development_team, "theirs")

    with django_assert_num_queries(1):
        steps = earlier_first_steps(
            meetings[2], Q(presenter_id__in=[participant.pk, development_team.pk])
        )
        texts = [step.note.text for step in steps]

    assert {step.pk for step in steps} == {latest.pk, only.pk}
    assert sorted(texts) == ["second", "theirs"]


# One definition each: the user's own group, the phase-6 fields ------------------------------


def test_own_group_is_the_seat_else_the_first_group_led(in_the_meeting, development_team) -> None:
    meeting = in_the_meeting.meeting
    first, second = in_the_meeting.groups
    SmallGroup.objects.filter(pk=second.pk).update(leader=development_team)

    seated = own_group_id(casework_access(development_team, meeting))
    SmallGroupMember.objects.filter(member=development_team).delete()
    leading = own_group_id(casework_access(development_team, meeting))

    assert seated == first.pk
    assert leading == min(first.pk, second.pk)


def test_closing_fields_are_the_phase_six_note_specs() -> None:
    assert {str(spec.field) for spec in note_specs_for(Phase.CLOSING)} == CLOSING_FIELDS
    assert CLOSING_FIELDS == {"closing", "went_well", "do_better", "next_theme", "next_date"}
