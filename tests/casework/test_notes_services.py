"""The live notes: saving, versions and conflicts, validation per kind, first small steps."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext

from casework.models import NextStep, NoteField, PhaseNote, SmallGroup, StepStatus
from casework.services.live import NoteConflict, NoteGone, note_save
from meetings.models import Meeting, MeetingPreparer


def _save(session, actor, field=NoteField.ASPECT, text="Why the class is restless", *, base=0,
          group="first", member=None):  # fmt: skip
    groups = {"first": session.groups[0], "second": session.groups[1], None: None}
    return note_save(
        meeting=session.meeting,
        group=groups[group],
        field=field,
        member=member,
        text=text,
        base_version=base,
        actor=actor,
    )


# Saving and versions -------------------------------------------------------------------------


def test_first_save_creates_the_note_at_version_one(session, development_team) -> None:
    note = _save(session, development_team)

    assert (note.version, note.text, note.updated_by) == (1, "Why the class is restless",
                                                          development_team)  # fmt: skip
    assert PhaseNote.objects.get().group == session.groups[0]


def test_save_from_the_current_version_updates_it(session, development_team) -> None:
    _save(session, development_team, text="first words")

    note = _save(session, development_team, text="better words", base=1)

    stored = PhaseNote.objects.get()
    assert (note.version, stored.version, stored.text) == (2, 2, "better words")


def test_save_from_an_old_version_raises_a_conflict_with_their_text(
    session, development_team, teacher_leader
) -> None:
    _save(session, development_team, text="first words")
    _save(session, teacher_leader, text="the teacher leader's words", base=1)

    with pytest.raises(NoteConflict) as raised:
        _save(session, development_team, text="my late words", base=1)

    theirs = raised.value.note
    assert (theirs.text, theirs.version, theirs.updated_by) == (
        "the teacher leader's words",
        2,
        teacher_leader,
    )
    assert PhaseNote.objects.get().text == "the teacher leader's words"


def test_two_users_saving_from_the_same_base_keep_the_first_and_tell_the_second(
    session, development_team, teacher_leader
) -> None:
    _save(session, development_team, text="start")

    _save(session, teacher_leader, text="leader's version", base=1)
    with pytest.raises(NoteConflict):
        _save(session, development_team, text="dev team's version", base=1)

    note = PhaseNote.objects.get()
    assert (note.text, note.version, note.updated_by) == ("leader's version", 2, teacher_leader)


def test_two_first_saves_of_a_new_note_conflict_instead_of_doubling(
    session, development_team, teacher_leader
) -> None:
    _save(session, teacher_leader, text="the leader was first")

    with pytest.raises(NoteConflict) as raised:
        _save(session, development_team, text="me too", base=0)

    assert raised.value.note.text == "the leader was first"
    assert PhaseNote.objects.count() == 1


def test_saving_a_version_of_a_note_that_does_not_exist_is_refused(
    session, development_team
) -> None:
    with pytest.raises(ValidationError):
        _save(session, development_team, base=3)

    assert not PhaseNote.objects.exists()


def test_a_version_of_a_note_that_does_not_exist_is_a_note_gone(session, development_team) -> None:
    with pytest.raises(NoteGone):
        _save(session, development_team, base=3)


# Locking against a new split of the small groups ---------------------------------------------


def test_saving_locks_the_meeting_row_before_it_looks_at_the_note(
    session, development_team, monkeypatch
) -> None:
    locked = []
    select_for_update = QuerySet.select_for_update

    def spy(self, *args, **kwargs):
        locked.append(self.model)
        return select_for_update(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "select_for_update", spy)

    with CaptureQueriesContext(connection) as queries:
        _save(session, development_team)

    assert locked == [Meeting]
    sqls = [query["sql"] for query in queries.captured_queries]
    meeting_read = next(i for i, sql in enumerate(sqls) if 'FROM "meetings_meeting"' in sql)
    first_other = next(
        i
        for i, sql in enumerate(sqls)
        if '"casework_phasenote"' in sql or '"casework_smallgroupmember"' in sql
    )
    assert meeting_read < first_other


def test_a_group_removed_by_a_new_split_takes_no_note(session, development_team) -> None:
    group = session.groups[0]
    SmallGroup.objects.filter(pk=group.pk).delete()  # the split ran while the note was typed

    with pytest.raises(NoteGone):
        note_save(meeting=session.meeting, group=group, field=NoteField.ASPECT, member=None,
                  text="lost?", base_version=0, actor=development_team)  # fmt: skip

    assert not PhaseNote.objects.exists()


def test_phase_six_notes_are_one_per_meeting(session, teacher_leader) -> None:
    _save(session, teacher_leader, NoteField.WENT_WELL, "the rounds", group=None)

    note = _save(session, teacher_leader, NoteField.WENT_WELL, "the rounds, twice", group=None,
                 base=1)  # fmt: skip

    assert note.group is None
    assert list(PhaseNote.objects.values_list("text", flat=True)) == ["the rounds, twice"]


# Validation per kind -------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "stored"), [("0", "0"), ("10", "10"), (" 7 ", "7"),
                                               ("07", "7"), ("", "")])  # fmt: skip
def test_a_scale_score_is_a_whole_number_from_0_to_10(
    session, development_team, typed, stored
) -> None:
    note = _save(session, development_team, NoteField.SCORE, typed)

    assert note.text == stored


@pytest.mark.parametrize("typed", ["11", "-1", "7.5", "seven", "٣", "1e1"])
def test_a_scale_score_outside_0_to_10_is_refused(session, development_team, typed) -> None:
    with pytest.raises(ValidationError) as raised:
        _save(session, development_team, NoteField.SCORE, typed)

    assert "text" in raised.value.error_dict
    assert not PhaseNote.objects.exists()


@pytest.mark.parametrize("typed", ["yes", "no", ""])
def test_yes_or_no_takes_yes_no_or_nothing(session, development_team, typed) -> None:
    assert _save(session, development_team, NoteField.QUESTION_CHANGED, typed).text == typed


@pytest.mark.parametrize("typed", ["ja", "Yes", "maybe"])
def test_yes_or_no_refuses_anything_else(session, development_team, typed) -> None:
    with pytest.raises(ValidationError):
        _save(session, development_team, NoteField.QUESTION_CHANGED, typed)


@pytest.mark.parametrize("typed", ["2026-10-27", ""])
def test_a_date_is_year_month_day(session, teacher_leader, typed) -> None:
    assert _save(session, teacher_leader, NoteField.NEXT_DATE, typed, group=None).text == typed


@pytest.mark.parametrize("typed", ["27-10-2026", "2026-13-01", "20261027", "next week"])
def test_a_date_in_another_shape_is_refused(session, teacher_leader, typed) -> None:
    with pytest.raises(ValidationError):
        _save(session, teacher_leader, NoteField.NEXT_DATE, typed, group=None)


def test_a_text_note_keeps_its_words_exactly(session, development_team) -> None:
    typed = "  two lines\nwith spaces  "

    assert _save(session, development_team, text=typed).text == typed


def test_a_very_long_note_is_refused(session, development_team) -> None:
    with pytest.raises(ValidationError):
        _save(session, development_team, text="x" * 10_001)


def test_an_unknown_field_is_refused(session, development_team) -> None:
    with pytest.raises(ValidationError):
        _save(session, development_team, "password")


def test_a_phase_six_field_is_not_saved_for_a_small_group(session, teacher_leader) -> None:
    with pytest.raises(ValidationError):
        _save(session, teacher_leader, NoteField.WENT_WELL, "x")


def test_a_small_group_field_is_not_saved_for_the_whole_plg(session, teacher_leader) -> None:
    with pytest.raises(ValidationError):
        _save(session, teacher_leader, NoteField.ASPECT, "x", group=None)


def test_a_group_of_another_meeting_is_refused(session, development_team, meetings) -> None:
    elsewhere = SmallGroup.objects.create(meeting=meetings[2], number=1, leader=development_team)

    with pytest.raises(ValidationError):
        note_save(meeting=session.meeting, group=elsewhere, field=NoteField.ASPECT, member=None,
                  text="x", base_version=0, actor=development_team)  # fmt: skip


def test_a_learning_yield_is_saved_per_member_of_the_group(
    session, development_team, participant
) -> None:
    _save(session, development_team, NoteField.LEARNING_YIELD, "mine", member=development_team)
    _save(session, development_team, NoteField.LEARNING_YIELD, "hers", member=participant)

    assert PhaseNote.objects.filter(field=NoteField.LEARNING_YIELD).count() == 2


def test_a_learning_yield_needs_a_member(session, development_team) -> None:
    with pytest.raises(ValidationError) as raised:
        _save(session, development_team, NoteField.LEARNING_YIELD, "whose?")

    assert "member" in raised.value.error_dict


def test_a_learning_yield_of_someone_outside_the_group_is_refused(
    session, development_team
) -> None:
    outsider = session.members[2]  # sits in group 2

    with pytest.raises(ValidationError):
        _save(session, development_team, NoteField.LEARNING_YIELD, "x", member=outsider)


def test_a_group_note_takes_no_member(session, development_team, participant) -> None:
    with pytest.raises(ValidationError):
        _save(session, development_team, NoteField.ASPECT, "x", member=participant)


# Who takes notes -----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["participant", "team_leader", "school_admin", "expert"])
def test_only_leaders_take_a_groups_notes(session, persona_user, persona) -> None:
    with pytest.raises(ValidationError):
        _save(session, persona_user(persona))

    assert not PhaseNote.objects.exists()


def test_the_leader_of_another_group_takes_no_notes_here(session) -> None:
    with pytest.raises(ValidationError):
        _save(session, session.second_dev, group="first")


def test_a_preparer_takes_phase_six_notes(session, development_team) -> None:
    MeetingPreparer.objects.create(meeting=session.meeting, user=development_team)

    note = _save(session, development_team, NoteField.DO_BETTER, "start on time", group=None)

    assert note.text == "start on time"


def test_a_participant_takes_no_phase_six_notes(session, participant) -> None:
    with pytest.raises(ValidationError):
        _save(session, participant, NoteField.DO_BETTER, "x", group=None)


# First small steps ---------------------------------------------------------------------------


def test_a_first_small_step_becomes_a_step_of_the_presenter(
    session, development_team, participant
) -> None:
    note = _save(session, development_team, NoteField.FIRST_STEP, "Greet every pupil at the door")

    step = NextStep.objects.get()
    assert (step.note, step.presenter, step.meeting, step.status) == (
        note,
        participant,
        session.meeting,
        StepStatus.OPEN,
    )
    assert step.text == "Greet every pupil at the door"


def test_changing_the_first_small_step_keeps_one_step(session, development_team) -> None:
    _save(session, development_team, NoteField.FIRST_STEP, "Greet pupils")

    _save(session, development_team, NoteField.FIRST_STEP, "Greet every pupil", base=1)

    assert NextStep.objects.get().text == "Greet every pupil"


def test_emptying_the_first_small_step_removes_the_step(session, development_team) -> None:
    _save(session, development_team, NoteField.FIRST_STEP, "Greet pupils")

    _save(session, development_team, NoteField.FIRST_STEP, "  ", base=1)

    assert not NextStep.objects.exists()


def test_emptying_keeps_a_step_the_presenter_already_looked_back_on(
    session, development_team
) -> None:
    _save(session, development_team, NoteField.FIRST_STEP, "Greet pupils")
    NextStep.objects.update(status=StepStatus.DONE, outcome="It worked")

    _save(session, development_team, NoteField.FIRST_STEP, "", base=1)

    assert NextStep.objects.get().outcome == "It worked"


def test_a_group_without_a_case_makes_no_step(session, development_team) -> None:
    SmallGroup.objects.filter(pk=session.groups[0].pk).update(case=None)
    session.groups[0].refresh_from_db()

    _save(session, development_team, NoteField.FIRST_STEP, "Greet pupils")

    assert not NextStep.objects.exists()


def test_other_notes_make_no_step(session, development_team) -> None:
    _save(session, development_team, NoteField.USABLE, "the idea of a seating plan")

    assert not NextStep.objects.exists()


# Two threads, one note -----------------------------------------------------------------------


def _save_in_thread(session, actor, text, barrier, outcomes) -> None:
    """Save from version 1 once both threads are ready; retry when SQLite is busy.

    On PostgreSQL the two UPDATEs really overlap and the second waits for the first's row lock,
    then finds the version changed. SQLite lets one writer in at a time and may answer "database
    is locked" to the other, which (like the autosave) simply tries again.
    """
    try:
        barrier.wait(timeout=10)
        for _attempt in range(200):
            try:
                _save(session, actor, text=text, base=1)
            except NoteConflict as conflict:
                outcomes.append(("conflict", text, conflict.note.text))
                return
            except OperationalError:
                continue
            outcomes.append(("saved", text, None))
            return
        outcomes.append(("gave up", text, None))
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_two_threads_saving_from_the_same_base_never_both_win(
    session, development_team, teacher_leader
) -> None:
    _save(session, development_team, text="start")
    barrier = threading.Barrier(2)
    outcomes: list[tuple[str, str, str | None]] = []
    threads = [
        threading.Thread(target=_save_in_thread, args=(session, actor, text, barrier, outcomes))
        for actor, text in [
            (development_team, "from the leader"),
            (teacher_leader, "from the teacher leader"),
        ]  # fmt: skip
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    kinds = sorted(kind for kind, _text, _theirs in outcomes)
    assert kinds == ["conflict", "saved"]
    winner = next(text for kind, text, _theirs in outcomes if kind == "saved")
    told = next(theirs for kind, _text, theirs in outcomes if kind == "conflict")
    note = PhaseNote.objects.get()
    assert (note.text, note.version) == (winner, 2)
    assert told == winner  # the loser is shown the winner's words
