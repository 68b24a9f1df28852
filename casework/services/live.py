"""Writes of the live screen: running a meeting through phases 0-6, a small group's own pace,
and the phase notes that save as you type."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.models import Meeting
from meetings.phases import SMALL_GROUP_PHASES, Phase

from ..models import (
    NOTE_SPECS,
    MeetingRun,
    NextStep,
    NoteField,
    NoteKind,
    NoteSpec,
    PhaseNote,
    SmallGroup,
    SmallGroupMember,
    StepStatus,
)
from ..permissions import casework_access

if TYPE_CHECKING:
    from plg_platform.users.models import User

NOTE_MAX_LENGTH = 10_000
SCORE_MIN, SCORE_MAX = 0, 10
FIRST_GROUP_PHASE, LAST_GROUP_PHASE = min(SMALL_GROUP_PHASES), max(SMALL_GROUP_PHASES)


class NoteGone(ValidationError):
    """The note or its small group no longer exists (the groups were made again meanwhile)."""


class NoteConflict(Exception):
    """A note was saved from a version someone else has already replaced; nothing was saved."""

    def __init__(self, note: PhaseNote) -> None:
        super().__init__(f"note {note.pk} is at version {note.version}")
        self.note = note


# Running the meeting -------------------------------------------------------------------------


def run_can_start(meeting: Meeting) -> bool:
    """A meeting is started on its own day only (Amsterdam time): starting opens the case
    texts to the small groups, so not before that day and not weeks later."""
    return timezone.localdate() == timezone.localtime(meeting.starts_at).date()


def _require_runner(meeting: Meeting, actor: User) -> None:
    if not casework_access(actor, meeting).runs_meeting:
        raise ValidationError(_("Only the PLG's teacher leaders run the meeting."))


@transaction.atomic
def run_start(*, meeting: Meeting, actor: User) -> MeetingRun:
    """Start the live run of a meeting at phase 0."""
    _require_runner(meeting, actor)
    if not run_can_start(meeting):
        raise ValidationError(_("A meeting can only be started on its own day."))
    try:
        # A savepoint, so a second click (unique meeting) is told instead of a 500.
        with transaction.atomic():
            return MeetingRun.objects.create(meeting=meeting, started_by=actor)
    except IntegrityError:
        raise ValidationError(_("The meeting has already been started.")) from None


def _step_phase(current: int, direction: int, low: int, high: int) -> int:
    if direction not in (-1, 1):
        raise ValidationError(_("Choose the next or the previous phase."))
    target = current + direction
    if not low <= target <= high:
        raise ValidationError(
            _("There is no next phase.") if direction > 0 else _("There is no previous phase.")
        )
    return target


@transaction.atomic
def run_phase_move(*, run: MeetingRun, actor: User, from_phase: int, direction: int) -> MeetingRun:
    """Move the whole meeting one phase on (direction 1) or back (-1) from the phase shown.

    Conditional on the phase the screen showed, so two teacher leaders clicking at once (or a
    double click) move one phase, not two.
    """
    _require_runner(run.meeting, actor)
    if not run.is_open:
        raise ValidationError(_("The meeting has been closed."))
    target = _step_phase(from_phase, direction, Phase.THEME, Phase.CLOSING)
    now = timezone.now()
    moved = MeetingRun.objects.filter(pk=run.pk, phase=from_phase, closed_at__isnull=True).update(
        phase=target, phase_started_at=now
    )
    if not moved:
        raise ValidationError(
            _("Someone else has moved the meeting to another phase meanwhile; nothing changed.")
        )
    run.phase, run.phase_started_at = target, now
    return run


@transaction.atomic
def run_close(*, run: MeetingRun, actor: User) -> MeetingRun:
    """Close the meeting after phase 6."""
    _require_runner(run.meeting, actor)
    now = timezone.now()
    closed = MeetingRun.objects.filter(
        pk=run.pk, phase=Phase.CLOSING, closed_at__isnull=True
    ).update(closed_at=now)
    if not closed:
        raise ValidationError(_("The meeting can be closed once it is in phase 6, and only once."))
    run.closed_at = now
    return run


def group_phase(group: SmallGroup, run: MeetingRun | None) -> int:
    """A small group's phase: its own when it set one, else the meeting's, kept within 1-5."""
    if group.phase is not None:
        return group.phase
    current = run.phase if run is not None else FIRST_GROUP_PHASE
    return min(max(current, FIRST_GROUP_PHASE), LAST_GROUP_PHASE)


def group_phase_started_at(group: SmallGroup, run: MeetingRun | None) -> dt.datetime | None:
    """When the group's phase started, or None when the group has no running clock."""
    if group.phase is not None:
        return group.phase_started_at
    if run is not None and run.phase in SMALL_GROUP_PHASES:
        return run.phase_started_at
    return None


@transaction.atomic
def group_phase_move(
    *, group: SmallGroup, actor: User, from_phase: int, direction: int
) -> SmallGroup:
    """Move a small group one phase on or back within phases 1-5, at its own pace."""
    meeting = group.meeting
    if not casework_access(actor, meeting).writes_group_notes(group.pk):
        raise ValidationError(_("Only the group leader and the teacher leaders move a group on."))
    # 1. Lock the group first, then read the run: the run and the group's phase are read
    #    together, so a meeting moved on or closed meanwhile is seen.
    locked = SmallGroup.objects.select_for_update().filter(pk=group.pk).first()
    if locked is None:
        raise ValidationError(_("This small group no longer exists; reload the page."))
    run = MeetingRun.objects.filter(meeting=meeting).first()
    if run is None or not run.is_open:
        raise ValidationError(_("The meeting is not running."))
    # 2. Refuse when the screen showed another phase than the group is in now.
    if group_phase(locked, run) != from_phase:
        raise ValidationError(
            _("Someone else has moved this group to another phase meanwhile; nothing changed.")
        )
    target = _step_phase(from_phase, direction, FIRST_GROUP_PHASE, LAST_GROUP_PHASE)
    now = timezone.now()
    SmallGroup.objects.filter(pk=group.pk).update(phase=target, phase_started_at=now)
    group.phase, group.phase_started_at = target, now
    return group


# Notes ---------------------------------------------------------------------------------------


def _spec_of(field: str) -> NoteSpec:
    try:
        return NOTE_SPECS[NoteField(field)]
    except ValueError:
        raise ValidationError({"field": _("This is not a field of the live notes.")}) from None


def _clean_text(spec: NoteSpec, text: str) -> str:
    text = text or ""
    if spec.kind == NoteKind.SCORE:
        text = text.strip()
        if text and not (text.isascii() and text.isdigit() and SCORE_MIN <= int(text) <= SCORE_MAX):
            raise ValidationError(
                {"text": _("Give the scale score as a whole number from 0 to 10.")}
            )
        return str(int(text)) if text else ""
    if spec.kind == NoteKind.YES_NO:
        text = text.strip()
        if text not in ("", "yes", "no"):
            raise ValidationError({"text": _("Answer yes or no.")})
        return text
    if spec.kind == NoteKind.DATE:
        text = text.strip()
        if text and not _is_iso_date(text):
            raise ValidationError(
                {"text": _("Give the date as year-month-day, for example 2026-10-27.")}
            )
        return text
    if len(text) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {"text": _("Keep a note to at most %(max)d characters.") % {"max": NOTE_MAX_LENGTH}}
        )
    return text


def _is_iso_date(text: str) -> bool:
    # fromisoformat also takes 20261027; the date input and the report want yyyy-mm-dd.
    if len(text) != len("yyyy-mm-dd") or text[4] != "-":
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _check_place(
    *, meeting: Meeting, group: SmallGroup | None, spec: NoteSpec, member: User | None, actor: User
) -> None:
    access = casework_access(actor, meeting)
    if group is not None:
        if group.meeting_id != meeting.pk:
            raise ValidationError(_("This small group belongs to another meeting."))
        if spec.phase not in SMALL_GROUP_PHASES:
            raise ValidationError({"field": _("This note is for the whole PLG, not a group.")})
        if not access.writes_group_notes(group.pk):
            raise ValidationError(
                _("Only the group leader and the teacher leaders take this group's notes.")
            )
    else:
        if spec.phase != Phase.CLOSING:
            raise ValidationError({"field": _("This note belongs to a small group.")})
        if not access.writes_meeting_notes:
            raise ValidationError(
                _("Only the teacher leaders and the preparers take the notes of phase 6.")
            )
    if spec.per_member:
        seated = (
            group is not None
            and member is not None
            and SmallGroupMember.objects.filter(group=group, member=member).exists()
        )
        if not seated:
            raise ValidationError({"member": _("Choose a member of this small group.")})
    elif member is not None:
        raise ValidationError({"member": _("This note is for the group, not for one member.")})


def _lock_meeting(meeting: Meeting) -> None:
    """Lock the meeting row until the end of the transaction."""
    list(
        Meeting.objects.select_for_update(of=("self",))
        .filter(pk=meeting.pk)
        .values_list("pk", flat=True)
    )


def _current(meeting: Meeting, group: SmallGroup | None, field: str, member: User | None):
    notes = PhaseNote.objects.select_related("updated_by")
    if group is None:
        return notes.filter(meeting=meeting, group__isnull=True, field=field).first()
    return notes.filter(group=group, field=field, member=member).first()


@transaction.atomic
def note_save(
    *,
    meeting: Meeting,
    group: SmallGroup | None,
    field: str,
    member: User | None,
    text: str,
    base_version: int,
    actor: User,
) -> PhaseNote:
    """Save one live note, made from `base_version` (0 for a new note).

    Raises NoteConflict, carrying the note as it is now, when someone else saved it since the
    editor loaded that version: the later save never silently overwrites the earlier one.
    """
    spec = _spec_of(field)
    # 1. Lock the meeting row, as making the small groups does (services/groups.py): a new split
    #    cannot delete this group while the note is checked and written, and a split that
    #    waited for this note sees it and refuses.
    _lock_meeting(meeting)
    if group is not None and not SmallGroup.objects.filter(pk=group.pk).exists():
        raise NoteGone(_("This small group no longer exists: the groups may have been made again."))
    _check_place(meeting=meeting, group=group, spec=spec, member=member, actor=actor)
    text = _clean_text(spec, text)
    now = timezone.now()
    existing = _current(meeting, group, spec.field, member)
    if existing is None:
        if base_version != 0:
            raise NoteGone(_("This note no longer exists; reload the page."))
        try:
            # 2. A savepoint: a concurrent first save hits a unique constraint, not a 500.
            with transaction.atomic():
                note = PhaseNote.objects.create(
                    meeting=meeting,
                    group=group,
                    field=spec.field,
                    member=member,
                    text=text,
                    version=1,
                    updated_by=actor,
                    updated_at=now,
                )
        except IntegrityError:
            raise NoteConflict(_current(meeting, group, spec.field, member)) from None
    else:
        # 3. Conditional on the version the editor started from: the database is the guard.
        saved = PhaseNote.objects.filter(pk=existing.pk, version=base_version).update(
            text=text, version=base_version + 1, updated_by=actor, updated_at=now
        )
        if saved != 1:
            raise NoteConflict(_current(meeting, group, spec.field, member) or existing)
        note = existing
        note.text, note.version, note.updated_by, note.updated_at = (
            text,
            base_version + 1,
            actor,
            now,
        )
    if spec.field == NoteField.FIRST_STEP and group is not None:
        _next_step_sync(note=note, group=group)
    return note


def _next_step_sync(*, note: PhaseNote, group: SmallGroup) -> None:
    """The first small step comes back at the next meeting: keep its follow-up row in step."""
    case = group.case
    if note.text.strip() and case is not None:
        NextStep.objects.update_or_create(
            note=note, defaults={"meeting_id": note.meeting_id, "presenter_id": case.presenter_id}
        )
    else:
        # A step the presenter has already looked back on keeps its follow-up.
        NextStep.objects.filter(note=note, status=StepStatus.OPEN).delete()
