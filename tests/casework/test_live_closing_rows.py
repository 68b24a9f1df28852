"""The live screen reads the whole PLG's phase-6 notes and the next meeting in one plain SQL
query (casework.selectors.live.closing_rows): held here to the ORM querysets it stands for."""

from __future__ import annotations

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from casework.models import NoteField, PhaseNote
from casework.permissions import casework_access
from casework.selectors.live import closing_notes, closing_rows
from meetings.models import Meeting, Theme

pytestmark = pytest.mark.django_db


def _orm(meeting: Meeting):
    notes = PhaseNote.objects.filter(meeting=meeting, group__isnull=True).select_related(
        "updated_by"
    )
    following = (
        Meeting.objects.filter(community_id=meeting.community_id, number=meeting.number + 1)
        .select_related("theme")
        .first()
    )
    return (
        sorted(
            (note.pk, note.field, note.text, note.version, note.updated_at, note.updated_by)
            for note in notes
        ),
        None
        if following is None
        else (following.starts_at, following.theme.title if following.theme else None),
    )


def _sql(meeting: Meeting):
    notes, following = closing_rows(meeting)
    return (
        sorted(
            (note.pk, note.field, note.text, note.version, note.updated_at, note.updated_by)
            for note in notes
        ),
        None if following is None else (following.starts_at, following.theme),
    )


@pytest.fixture
def written(noted, meetings, development_team, participant):
    """Whole-PLG notes of meeting 2 (one without a writer); a theme for meeting 3, none for 4."""
    meeting = noted.meeting
    PhaseNote.objects.filter(meeting=meeting, group__isnull=True).delete()
    PhaseNote.objects.create(
        meeting=meeting, field=NoteField.CLOSING, text="Closed well", updated_by=development_team
    )
    PhaseNote.objects.create(meeting=meeting, field=NoteField.WENT_WELL, text="All spoke")
    PhaseNote.objects.create(
        meeting=meetings[2], field=NoteField.CLOSING, text="Another meeting's", updated_by=None
    )
    theme = Theme.objects.create(school=meeting.community.team.school, title="Differentiëren")
    Meeting.objects.filter(pk=meetings[2].pk).update(theme=theme)
    Meeting.objects.filter(pk=meetings[3].pk).update(theme=None)
    return noted


@pytest.mark.parametrize("index", range(6))
def test_rows_are_the_orm_querysets(written, meetings, index):
    meeting = Meeting.objects.get(pk=meetings[index].pk)

    assert _sql(meeting) == _orm(meeting)


def test_rows_keep_group_notes_out(written):
    notes, _following = closing_rows(written.meeting)
    assert sorted(note.text for note in notes) == ["All spoke", "Closed well"]
    assert PhaseNote.objects.filter(meeting=written.meeting, group__isnull=False).exists()


def test_the_last_meeting_has_no_next_one(written, meetings):
    assert closing_rows(meetings[5])[1] is None


def test_hints_name_the_next_meetings_date_and_theme(written, meetings, teacher_leader):
    access = casework_access(teacher_leader, written.meeting)

    hints = {row.spec.field: row.hint for row in closing_notes(written.meeting, access)}

    starts_at = timezone.localtime(Meeting.objects.get(pk=meetings[2].pk).starts_at)
    assert hints[NoteField.NEXT_DATE] == gettext("In the year plan: %(date)s (%(iso)s).") % {
        "date": date_format(starts_at, "l j F Y, H:i"),
        "iso": starts_at.date().isoformat(),
    }
    assert hints[NoteField.NEXT_THEME] == gettext("In the year plan: %(theme)s.") % {
        "theme": "Differentiëren"
    }
    assert hints[NoteField.CLOSING] == ""


def test_no_theme_hint_when_the_next_meeting_has_none(written, meetings, teacher_leader):
    meeting = Meeting.objects.get(pk=meetings[2].pk)
    access = casework_access(teacher_leader, meeting)

    hints = {row.spec.field: row.hint for row in closing_notes(meeting, access)}

    assert hints[NoteField.NEXT_THEME] == ""
    assert hints[NoteField.NEXT_DATE]
