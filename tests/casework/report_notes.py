"""A meeting's notes and reflections for the phase-6 report tests (their fixtures are in
tests/casework/conftest.py)."""

from __future__ import annotations

from casework.models import MeetingReport, NoteField, PhaseNote, Reflection
from meetings.models import MeetingPreparer, Theme

THEME = "Feedback that lands"
REFLECTION_MARKER = "REFLECTION-MARKER"
GROUP_ONE_NOTES = {
    NoteField.CASE_QUESTION: "How do I calm the class?",
    NoteField.QUESTIONS_ASKED: "QUESTIONS-ASKED-ONE",
    NoteField.ADVICE: "ADVICE-ONE",
    NoteField.REFORMULATED: "REFORMULATED-ONE",
    NoteField.INSIGHTS: "INSIGHT-ONE",
    NoteField.QUESTION_CHANGED: "yes",
    NoteField.GROUP_THEME: "GROUP-THEME-ONE",
    NoteField.SCORE: "6",
    NoteField.STEP_HIGHER: "STEP-HIGHER-ONE",
    NoteField.FIRST_STEP: "FIRST-STEP-ONE",
    NoteField.USABLE: "USABLE-ONE",
}
GROUP_TWO_NOTES = {NoteField.SCORE: "8", NoteField.FIRST_STEP: "FIRST-STEP-TWO"}
CLOSING_NOTES = {
    NoteField.CLOSING: "CLOSING-ROUND",
    NoteField.WENT_WELL: "WENT-WELL",
    NoteField.DO_BETTER: "DO-BETTER",
    NoteField.NEXT_THEME: "NEXT-THEME",
    NoteField.NEXT_DATE: "2026-11-10",
}


def make_preparers(session, development_team) -> None:
    """The session's two development-team members prepare its meeting."""
    MeetingPreparer.objects.create(meeting=session.meeting, user=development_team)
    MeetingPreparer.objects.create(meeting=session.meeting, user=session.second_dev)


def give_theme(session) -> None:
    meeting = session.meeting
    meeting.theme = Theme.objects.create(school=meeting.community.team.school, title=THEME)
    meeting.save(update_fields=["theme"])


def write_notes(session) -> None:
    """Notes of both small groups and of phase 6, plus a personal learning yield."""
    first, second = session.groups
    for group, notes in ((first, GROUP_ONE_NOTES), (second, GROUP_TWO_NOTES)):
        for field, text in notes.items():
            PhaseNote.objects.create(meeting=session.meeting, group=group, field=field, text=text)
    PhaseNote.objects.create(
        meeting=session.meeting,
        group=first,
        field=NoteField.LEARNING_YIELD,
        member=session.members[0],
        text="PERSONAL-YIELD",
    )
    for field, text in CLOSING_NOTES.items():
        PhaseNote.objects.create(meeting=session.meeting, field=field, text=text)


def write_reflections(session, participant) -> None:
    """A private and a shared reflection: neither may ever reach the report."""
    Reflection.objects.create(
        meeting=session.meeting,
        author=participant,
        learned=f"{REFLECTION_MARKER} private learned",
        bothers=f"{REFLECTION_MARKER} private bothers",
    )
    Reflection.objects.create(
        meeting=session.meeting,
        author=session.members[0],
        learned=f"{REFLECTION_MARKER} shared learned",
        shared=True,
    )


def report_text(report: MeetingReport) -> str:
    return "\n".join(getattr(report, name) for name in MeetingReport.SECTIONS)
