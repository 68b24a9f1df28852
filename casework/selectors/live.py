"""Reads for the live screen: the run, time boxes, the small groups and their phase notes.

Every screen loads its rows in a fixed number of queries, whatever the number of groups,
members or notes.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from communities.permissions import require
from meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Meeting,
    Theme,
    ThemeIntroduction,
)
from meetings.phases import GUIDES, SMALL_GROUP_PHASES, Phase, default_minutes
from meetings.selectors.preparation import meeting_minutes
from plg_platform.sql import all_rows, columns, filter_with_related, from_db, instance, table

from ..models import (
    NextStep,
    NoteField,
    NoteSpec,
    PhaseNote,
    SmallGroup,
    SmallGroupMember,
    note_specs_for,
)
from ..permissions import CaseworkAccess, can_read_case_text, run_of
from ..services.live import group_phase, group_phase_started_at, run_can_start

if TYPE_CHECKING:
    from plg_platform.users.models import User


# Time boxes ----------------------------------------------------------------------------------


def phase_minutes(meeting: Meeting) -> dict[int, int]:
    """Each phase's time box: the saved agenda, else the defaults scaled to the meeting."""
    minutes: dict[int, int] = {
        int(phase): value for phase, value in default_minutes(meeting_minutes(meeting)).items()
    }
    # One row per phase (agenda_unique_phase), read in plain SQL (plg_platform.sql).
    minutes.update(
        (item.phase, item.minutes)
        for item in filter_with_related(AgendaItem, "meeting", meeting.pk, ())
    )
    return minutes


@dataclass(frozen=True)
class Timer:
    """A phase's time box: the server says when it ends; live.js counts down to it."""

    started_at: dt.datetime
    minutes: int

    @property
    def ends_at(self) -> dt.datetime:
        return self.started_at + dt.timedelta(minutes=self.minutes)


def _timer(started_at: dt.datetime | None, phase: int, minutes: dict[int, int]) -> Timer | None:
    if started_at is None:
        return None
    return Timer(started_at=started_at, minutes=minutes.get(phase, 0))


def local_day(meeting: Meeting) -> dt.date:
    """The meeting's own day, in Amsterdam time."""
    return timezone.localtime(meeting.starts_at).date()


# Notes ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NoteFeedback:
    """What a no-JavaScript save brings back: the words typed, and why they were not saved."""

    key: str
    text: str
    base_version: int
    errors: list[str] = field(default_factory=list)
    conflict: PhaseNote | None = None


@dataclass(frozen=True)
class NoteRow:
    """One field on the screen: a group's note, one member's note, or the whole PLG's."""

    spec: NoteSpec
    group_id: int | None
    member: User | None
    note: PhaseNote | None
    editable: bool
    hint: str = ""
    feedback: NoteFeedback | None = None

    @property
    def key(self) -> str:
        """The stable part of the DOM ids: `note-<key>` and `status-<key>`."""
        return note_key(self.spec.field, self.member.pk if self.member else None)

    @property
    def label(self) -> str:
        label = str(self.spec.field.label)
        if self.member is not None:
            return f"{label}: {self.member.display_name}"
        return label

    @property
    def kind(self) -> str:
        return str(self.spec.kind)

    @property
    def value(self) -> str:
        """What the input shows: the words typed when they were not saved, else the note."""
        if self.feedback is not None:
            return self.feedback.text
        return self.note.text if self.note else ""

    @property
    def version(self) -> int:
        if self.feedback is not None:
            return self.feedback.base_version
        return self.note.version if self.note else 0


def note_key(field_name: str, member_id: int | None) -> str:
    return f"{field_name}-{member_id}" if member_id else str(field_name)


def _note_rows(
    specs: list[NoteSpec],
    notes: list[PhaseNote],
    *,
    group_id: int | None,
    members: list[User],
    editable: bool,
    feedback: NoteFeedback | None,
    hints: dict[str, str] | None = None,
) -> list[NoteRow]:
    by_key = {note_key(note.field, note.member_id): note for note in notes}
    rows = []
    for spec in specs:
        for member in members if spec.per_member else [None]:
            key = note_key(spec.field, member.pk if member else None)
            rows.append(
                NoteRow(
                    spec=spec,
                    group_id=group_id,
                    member=member,
                    note=by_key.get(key),
                    editable=editable,
                    hint=(hints or {}).get(spec.field, ""),
                    feedback=feedback if feedback and feedback.key == key else None,
                )
            )
    return rows


def closing_notes(
    meeting: Meeting, access: CaseworkAccess, feedback: NoteFeedback | None = None
) -> list[NoteRow]:
    """The whole PLG's phase-6 notes, with hints from the next meeting in the year plan."""
    notes, following = closing_rows(meeting)
    return _note_rows(
        note_specs_for(Phase.CLOSING),
        notes,
        group_id=None,
        members=[],
        editable=access.writes_meeting_notes,
        feedback=feedback,
        hints=_next_meeting_hints(following),
    )


@dataclass(frozen=True)
class FollowingMeeting:
    """What the phase-6 hints show of the next meeting in the year plan."""

    starts_at: dt.datetime
    theme: str | None


def closing_rows(meeting: Meeting) -> tuple[list[PhaseNote], FollowingMeeting | None]:
    """The meeting's whole-PLG notes (group none, each with its `updated_by`) and the PLG's
    next meeting (number + 1), in one plain SQL query.

    As ORM querysets these were two queries and some 4 ms of CPU to build them;
    tests/casework/test_live_closing_rows.py holds this to them.
    """
    sql, note_fields, user_fields, meeting_fields = _closing_sql()
    rows = all_rows(sql, {"meeting": meeting.pk})
    following = None
    notes = []
    for row in rows:
        starts_at, theme = (
            from_db(value, field) for value, field in zip(row[:2], meeting_fields, strict=True)
        )
        if starts_at is not None:
            following = FollowingMeeting(starts_at=starts_at, theme=theme)
        values = row[2:]
        if values[0] is None:  # no note: the one row of the meeting alone
            continue
        note = instance(PhaseNote, note_fields, values[: len(note_fields)])
        user_values = values[len(note_fields) :]
        note.updated_by = (
            instance(get_user_model(), user_fields, user_values)
            if user_values[0] is not None
            else None
        )
        notes.append(note)
    return notes, following


@functools.cache
def _closing_sql() -> tuple[str, list, list, list]:
    """The query text, and the fields of its columns in order."""
    user_model = get_user_model()
    meeting, theme = table(Meeting), table(Theme)
    note_columns, note_fields = columns(PhaseNote, "n")
    user_columns, user_fields = columns(user_model, "u")
    sql = f"""
        SELECT nm.starts_at, th.title, {note_columns}, {user_columns}
        FROM {meeting} cur
        LEFT JOIN {meeting} nm ON nm.community_id = cur.community_id AND nm.number = cur.number + 1
        LEFT JOIN {theme} th ON th.id = nm.theme_id
        LEFT JOIN {table(PhaseNote)} n ON n.meeting_id = cur.id AND n.group_id IS NULL
        LEFT JOIN {table(user_model)} u ON u.id = n.updated_by_id
        WHERE cur.id = %(meeting)s
    """  # noqa: S608
    meeting_fields = [Meeting._meta.get_field("starts_at"), Theme._meta.get_field("title")]
    return sql, note_fields, user_fields, meeting_fields


def _next_meeting_hints(following: FollowingMeeting | None) -> dict[str, str]:
    if following is None:
        return {}
    starts_at = timezone.localtime(following.starts_at)
    hints = {
        NoteField.NEXT_DATE: _("In the year plan: %(date)s (%(iso)s).")
        % {
            "date": date_format(starts_at, "l j F Y, H:i"),
            "iso": starts_at.date().isoformat(),
        }
    }
    if following.theme is not None:
        hints[NoteField.NEXT_THEME] = _("In the year plan: %(theme)s.") % {"theme": following.theme}
    return hints


# The whole PLG's notes of phase 6 (none is per member, so a field name is also its key).
CLOSING_FIELDS = frozenset(str(spec.field) for spec in note_specs_for(Phase.CLOSING))


def _for_closing(feedback: NoteFeedback | None) -> bool:
    """Words typed into a phase-6 note that were not saved are shown again in any phase."""
    return feedback is not None and feedback.key in CLOSING_FIELDS


# The whole meeting ---------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupRow:
    group: SmallGroup
    phase: Phase
    size: int


def live_meeting(
    meeting: Meeting, access: CaseworkAccess, *, feedback: NoteFeedback | None = None
) -> dict[str, object]:
    """Context of the whole-meeting live screen: the teacher leaders run it; a preparer outside
    the small groups reads along and takes the phase-6 notes (no start, phase or close buttons)."""
    run = run_of(meeting)
    phase = Phase(run.phase) if run else None
    minutes = phase_minutes(meeting)
    context: dict[str, object] = {
        "meeting": meeting,
        "community": meeting.community,
        "casework": access,
        "run": run,
        "phase": phase,
        "guide": GUIDES[phase] if phase is not None else None,
        "timer": _timer(run.phase_started_at, run.phase, minutes) if run and run.is_open else None,
        "can_start": access.runs_meeting and run is None and run_can_start(meeting),
        "start_missed": run is None and timezone.localdate() > local_day(meeting),
        "groups": [],
        "introduction": None,
        "earlier_steps": [],
        "closing_notes": [],
    }
    if _for_closing(feedback) and phase != Phase.CLOSING:
        context["closing_notes"] = closing_notes(meeting, access, feedback)
    if phase is None:
        return context
    if phase == Phase.THEME:
        context["introduction"] = ThemeIntroduction.objects.filter(meeting=meeting).first()
    elif phase in SMALL_GROUP_PHASES:
        if phase == Phase.LOOKING_BACK and access.runs_meeting:
            context["earlier_steps"] = earlier_first_steps(meeting, present_or_seated(meeting))
        groups = (
            SmallGroup.objects.filter(meeting=meeting)
            .select_related("leader", "case__presenter")
            .annotate(size=Count("seats"))
            .order_by("number")
        )
        context["groups"] = [
            GroupRow(group=group, phase=Phase(group_phase(group, run)), size=group.size)
            for group in groups
        ]
    else:
        context["closing_notes"] = closing_notes(meeting, access, feedback)
    return context


# One small group -----------------------------------------------------------------------------


def get_group_for(meeting: Meeting, pk: int, access: CaseworkAccess) -> SmallGroup:
    """A small group of the meeting whose screen the user may open; 404 otherwise."""
    require(access.sees_group(pk))
    return get_object_or_404(
        SmallGroup.objects.select_related("leader", "case__presenter"), meeting=meeting, pk=pk
    )


def seated_member(group: SmallGroup | None, member_id: int) -> User | None:
    """A member who sits in the group, by user id; None for anyone else."""
    if group is None:
        return None
    seat = (
        SmallGroupMember.objects.filter(group=group, member_id=member_id)
        .select_related("member")
        .first()
    )
    return seat.member if seat else None


def earlier_first_steps(meeting: Meeting, presenters: Q) -> list[NextStep]:
    """The latest first small step of each member in `presenters` (a condition on the step's
    presenter) from an earlier meeting of this PLG, with its status and outcome.

    Presenters take turns, so the step comes back at a later meeting's phase 4 whoever presents
    then. One query, whatever the number of members or steps: the latest per person is picked
    by a window function in the database.
    """
    latest = Window(
        RowNumber(),
        partition_by=[F("presenter_id")],
        order_by=[F("meeting__number").desc(), F("pk").desc()],
    )
    return list(
        NextStep.objects.filter(
            presenters,
            meeting__community_id=meeting.community_id,
            meeting__number__lt=meeting.number,
        )
        .select_related("note", "meeting", "presenter")
        .annotate(latest=latest)
        .filter(latest=1)
        .order_by("presenter__name", "presenter__email")
    )


def present_or_seated(meeting: Meeting) -> Q:
    """Steps of the members present at this meeting, or seated in one of its small groups."""
    present = Attendance.objects.filter(meeting=meeting, status=AttendanceStatus.PRESENT)
    seated = SmallGroupMember.objects.filter(meeting=meeting)
    return Q(presenter_id__in=present.values("member_id")) | Q(
        presenter_id__in=seated.values("member_id")
    )


def live_group(
    meeting: Meeting,
    group: SmallGroup,
    user: User,
    access: CaseworkAccess,
    *,
    shown: int | None = None,
    feedback: NoteFeedback | None = None,
) -> dict[str, object]:
    """Context of a small group's live screen, showing the notes of one phase (1-5)."""
    run = run_of(meeting)
    current = Phase(group_phase(group, run))
    shown_phase = Phase(shown) if shown in SMALL_GROUP_PHASES else current
    members = [
        seat.member
        for seat in SmallGroupMember.objects.filter(group=group)
        .select_related("member")
        .order_by("member__name", "member__email")
    ]
    specs = note_specs_for(shown_phase)
    notes = list(
        PhaseNote.objects.filter(group=group, field__in=[spec.field for spec in specs])
        .select_related("updated_by")
        .order_by("pk")
    )
    case = group.case
    if case is not None:
        case.meeting = meeting  # the same row: spares a query in the privacy check
    editable = access.writes_group_notes(group.pk)
    running = run is not None and run.is_open
    started_at = group_phase_started_at(group, run) if running else None
    context: dict[str, object] = {
        "meeting": meeting,
        "community": meeting.community,
        "casework": access,
        "run": run,
        "group": group,
        "members": members,
        "case": case,
        "case_readable": case is not None and can_read_case_text(case, user, access),
        "current_phase": current,
        "shown_phase": shown_phase,
        "guide": GUIDES[shown_phase],
        "tabs": [Phase(phase) for phase in SMALL_GROUP_PHASES],
        "timer": _timer(started_at, current, phase_minutes(meeting))
        if shown_phase == current
        else None,
        "notes": _note_rows(
            specs,
            notes,
            group_id=group.pk,
            members=members,
            editable=editable,
            feedback=feedback,
        ),
        "editable": editable,
        "can_move": editable and running,
        "earlier_steps": [],
        "closing_notes": [],
    }
    if shown_phase == Phase.LOOKING_BACK and members:
        seated = Q(presenter_id__in=[member.pk for member in members])
        context["earlier_steps"] = earlier_first_steps(meeting, seated)
    if (running and run.phase == Phase.CLOSING) or _for_closing(feedback):
        context["closing_notes"] = closing_notes(meeting, access, feedback)
    return context


# The meeting page ----------------------------------------------------------------------------


def own_group_id(access: CaseworkAccess) -> int | None:
    """The small group whose screen is the user's: the one they sit in, else the first they lead."""
    return access.own_group_id or min(access.led_group_ids, default=None)


def sees_whole_meeting(access: CaseworkAccess) -> bool:
    """Opens the whole-meeting screen: the teacher leaders run it; a preparer who sits in no
    small group reads along there and takes the phase-6 notes."""
    return access.runs_meeting or (access.writes_meeting_notes and own_group_id(access) is None)


def meeting_panel(meeting: Meeting, user: User, access: CaseworkAccess) -> dict[str, object]:
    """Links to the live screens on the meeting page."""
    return {
        "live_runs": sees_whole_meeting(access),
        "live_group_id": own_group_id(access),
    }
