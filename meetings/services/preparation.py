"""Writes for preparing a meeting: preparers and their hours, phase 0, the agenda, the checklist.

A meeting moves from planned to prepared by itself once it has its two preparers and a phase-0
introduction (see `_meeting_mark_prepared_if_ready`).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plg_platform.uploads import (
    MAX_UPLOAD_BYTES,
    UPLOAD_EXTENSIONS,
    attachment_errors,
    delete_file_on_commit,
)

from ..models import (
    AgendaItem,
    ChangeKind,
    ChecklistItem,
    ChecklistTick,
    IntroductionKind,
    Meeting,
    MeetingChange,
    MeetingMaterial,
    MeetingPreparer,
    MeetingStatus,
    ThemeIntroduction,
)
from ..phases import Phase
from ..selectors.preparation import (
    PREPARERS_PER_MEETING,
    agenda_off_message,
    development_team_members,
    meeting_minutes,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from django.core.files.uploadedfile import UploadedFile

    from plg_platform.users.models import User

MAX_PREPARATION_HOURS = Decimal(40)
# One set of upload rules for the whole site (plg_platform.uploads).
MAX_MATERIAL_BYTES = MAX_UPLOAD_BYTES
MATERIAL_EXTENSIONS = UPLOAD_EXTENSIONS


def _meeting_lock(meeting: Meeting) -> None:
    """Hold the meeting's row until commit (two people saving take turns); refuse if cancelled."""
    meeting.lock_unless_cancelled()


# Preparers --------------------------------------------------------------------------------


@transaction.atomic
def meeting_preparers_set(*, meeting: Meeting, actor: User, users: Iterable[User]) -> Meeting:
    """Make exactly two development-team members the meeting's preparers.

    A preparer who stays keeps the hours they logged; the change goes into the history.
    """
    _meeting_lock(meeting)
    if meeting.status in (MeetingStatus.HELD, MeetingStatus.REPORTED):
        # Their logged hours count for the annual task load: a held meeting keeps its preparers.
        raise ValidationError(
            _("The preparers of a meeting that has been held cannot change."), code="held"
        )
    chosen = {user.pk: user for user in users}
    candidates = development_team_members(meeting)
    if candidates.count() < PREPARERS_PER_MEETING:
        raise ValidationError(
            _(
                "This PLG has fewer than two development-team members. Give two members the "
                "role of development-team member on the PLG page first."
            ),
            code="too_few_candidates",
        )
    if len(chosen) != PREPARERS_PER_MEETING:
        raise ValidationError(
            _("Choose exactly two different preparers (you chose %(count)d).")
            % {"count": len(chosen)},
            code="not_two",
        )
    allowed = set(candidates.filter(pk__in=chosen).values_list("pk", flat=True))
    outsiders = [chosen[pk] for pk in chosen if pk not in allowed]
    if outsiders:
        raise ValidationError(
            _("Only development-team members of this PLG can prepare a meeting: %(names)s.")
            % {"names": ", ".join(sorted(str(user) for user in outsiders))},
            code="not_development_team",
        )
    current = set(meeting.preparers.values_list("user_id", flat=True))
    if current == set(chosen):
        return meeting
    meeting.preparers.exclude(user_id__in=chosen).delete()
    MeetingPreparer.objects.bulk_create(
        MeetingPreparer(meeting=meeting, user=user)
        for pk, user in chosen.items()
        if pk not in current
    )
    MeetingChange.objects.create(
        meeting=meeting,
        actor=actor,
        kind=ChangeKind.PREPARERS,
        data={"names": sorted(str(user) for user in chosen.values())},
    )
    _meeting_mark_prepared_if_ready(meeting=meeting, actor=actor)
    return meeting


def _hours_clean(hours: object) -> Decimal:
    try:
        value = Decimal(str(hours))
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or not (0 <= value <= MAX_PREPARATION_HOURS) or (value * 2) % 1:
        raise ValidationError(
            _("Enter the preparation hours as a number from 0 to 40, in steps of half an hour."),
            code="hours",
        )
    return value


@transaction.atomic
def preparer_hours_set(*, meeting: Meeting, actor: User, hours: Decimal | float | str) -> Decimal:
    """Log a preparer's own preparation hours for a meeting (0 to 40, in half hours)."""
    value = _hours_clean(hours)
    updated = MeetingPreparer.objects.filter(meeting=meeting, user=actor).update(hours=value)
    if updated != 1:
        raise ValidationError(
            _("Only the preparers of this meeting log preparation hours for it."),
            code="not_preparer",
        )
    return value


# Phase 0 ----------------------------------------------------------------------------------


@transaction.atomic
def theme_introduction_save(
    *,
    meeting: Meeting,
    actor: User,
    kind: str,
    title: str = "",
    speaker_name: str = "",
    speaker_organisation: str = "",
    details: str = "",
) -> ThemeIntroduction:
    """Record how phase 0 introduces the meeting's theme; a guest speaker needs name and
    organisation."""
    _meeting_lock(meeting)
    title, speaker_name = title.strip(), speaker_name.strip()
    speaker_organisation, details = speaker_organisation.strip(), details.strip()
    errors: dict[str, str] = {}
    if kind not in IntroductionKind.values:
        errors["kind"] = _("Choose how phase 0 introduces the theme.")
    if kind == IntroductionKind.GUEST_SPEAKER:
        if not speaker_name:
            errors["speaker_name"] = _("Give the guest speaker's name.")
        if not speaker_organisation:
            errors["speaker_organisation"] = _("Give the guest speaker's organisation.")
    if errors:
        raise ValidationError(errors)
    introduction, _created = ThemeIntroduction.objects.update_or_create(
        meeting=meeting,
        defaults={
            "kind": kind,
            "title": title,
            "speaker_name": speaker_name,
            "speaker_organisation": speaker_organisation,
            "details": details,
            "updated_by": actor,
        },
    )
    _meeting_mark_prepared_if_ready(meeting=meeting, actor=actor)
    return introduction


@transaction.atomic
def meeting_material_add(
    *,
    meeting: Meeting,
    actor: User,
    title: str,
    url: str = "",
    file: UploadedFile | None = None,
) -> MeetingMaterial:
    """Add a link or a file (never both) to the materials of a meeting's phase 0."""
    _meeting_lock(meeting)
    title, url = title.strip(), url.strip()
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [_("Give the material a title.")]
    errors.update(attachment_errors(url=url, file=file))
    if errors:
        raise ValidationError(errors)
    material = MeetingMaterial(meeting=meeting, title=title, url=url, added_by=actor)
    if file:
        material.file = file
    material.save()
    return material


@transaction.atomic
def meeting_material_remove(*, material: MeetingMaterial, actor: User) -> None:
    """Remove a material; its file leaves the storage once the removal is committed."""
    _meeting_lock(material.meeting)
    material.delete()
    delete_file_on_commit(material.file)


# Agenda -----------------------------------------------------------------------------------


def agenda_problems(*, meeting: Meeting, minutes: Mapping[Phase, object]) -> list[str]:
    """Everything wrong with a set of time boxes for this meeting, in the user's language."""
    total = meeting_minutes(meeting)
    problems: list[str] = []
    for phase in Phase:
        value = minutes.get(phase)
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(
                _("%(phase)s: give the time box in whole minutes.") % {"phase": phase.label}
            )
        elif value < 0:
            problems.append(_("%(phase)s: a time box cannot be negative.") % {"phase": phase.label})
        elif value > total:
            problems.append(
                _("%(phase)s: %(minutes)d minutes is longer than the whole meeting (%(total)d).")
                % {"phase": phase.label, "minutes": value, "total": total}
            )
    if problems:
        return problems
    given = sum(minutes[phase] for phase in Phase)  # type: ignore[misc]
    if given != total:
        problems.append(agenda_off_message(given=given, total=total))
    return problems


@transaction.atomic
def agenda_save(
    *,
    meeting: Meeting,
    actor: User,
    minutes: Mapping[Phase, int],
    notes: Mapping[Phase, str] | None = None,
) -> list[AgendaItem]:
    """Save the time boxes (and notes) of phases 0-6; they must add up to the meeting's length."""
    _meeting_lock(meeting)
    notes = notes or {}
    minutes = {Phase(phase): value for phase, value in minutes.items()}
    notes = {Phase(phase): (note or "").strip() for phase, note in notes.items()}
    problems = agenda_problems(meeting=meeting, minutes=minutes)
    too_long = [
        _("%(phase)s: keep the note under 300 characters.") % {"phase": phase.label}
        for phase, note in notes.items()
        if len(note) > AgendaItem._meta.get_field("note").max_length
    ]
    if problems or too_long:
        raise ValidationError(problems + too_long)
    existing = {item.phase: item for item in meeting.agenda_items.all()}
    items = []
    for phase in Phase:
        item = existing.get(phase) or AgendaItem(meeting=meeting, phase=phase)
        item.minutes = minutes[phase]
        item.note = notes.get(phase, "")
        items.append(item)
    AgendaItem.objects.bulk_create([item for item in items if item.pk is None])
    AgendaItem.objects.bulk_update([item for item in items if item.pk], ["minutes", "note"])
    return items


# Meeting 1's checklist --------------------------------------------------------------------


@transaction.atomic
def checklist_item_set(*, meeting: Meeting, actor: User, item: str, done: bool) -> None:
    """Tick or untick an item of meeting 1's checklist (idempotent: a repeated click is fine)."""
    if meeting.number != 1:
        raise ValidationError(_("Only meeting 1 has a checklist."), code="not_meeting_1")
    if item not in ChecklistItem.values:
        raise ValidationError(_("This is not an item of the checklist."), code="unknown_item")
    _meeting_lock(meeting)
    if done:
        ChecklistTick.objects.get_or_create(
            meeting=meeting, item=item, defaults={"done_by": actor, "done_at": timezone.now()}
        )
    else:
        ChecklistTick.objects.filter(meeting=meeting, item=item).delete()


# Status -----------------------------------------------------------------------------------


def _meeting_mark_prepared_if_ready(*, meeting: Meeting, actor: User) -> None:
    """Planned becomes prepared once two preparers and a phase-0 introduction are in place.

    The update is conditional on the status still being planned, so a meeting that was held
    or reported never moves back, and two requests at once record the change only once.
    """
    ready = (
        MeetingPreparer.objects.filter(meeting=meeting).count() >= PREPARERS_PER_MEETING
        and ThemeIntroduction.objects.filter(meeting=meeting).exists()
    )
    if not ready:
        return
    moved = Meeting.objects.filter(pk=meeting.pk, status=MeetingStatus.PLANNED).update(
        status=MeetingStatus.PREPARED
    )
    if moved == 1:
        meeting.status = MeetingStatus.PREPARED
        MeetingChange.objects.create(
            meeting=meeting,
            actor=actor,
            kind=ChangeKind.STATUS,
            data={"from": MeetingStatus.PLANNED.value, "to": MeetingStatus.PREPARED.value},
        )
