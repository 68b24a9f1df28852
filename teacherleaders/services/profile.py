"""Writes on a teacher leader's own page: training, the yearly self-reflection, responsibilities."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    LeaderNeed,
    LeaderRole,
    LeadershipStyle,
    Responsibility,
    ResponsibilityCheck,
    ResponsibilityStatus,
    SelfReflection,
    Training,
    TrainingStatus,
)
from ..permissions import leaders_of

if TYPE_CHECKING:
    from communities.models import School, SchoolYear
    from plg_platform.users.models import User

# Courses before this year are not worth recording; a typo like 202 is caught.
EARLIEST_TRAINING_YEAR = 1980
TEXT_MAX_LENGTH = 2000
EVIDENCE_MAX_LENGTH = 300


def _require_leader(user: User, school_year: SchoolYear) -> None:
    if not leaders_of(school_year).filter(user=user).exists():
        raise ValidationError(_("Only a teacher leader of a PLG in this school year can do this."))


def _clean_training(data: Mapping[str, object]) -> dict[str, object]:
    errors: dict[str, str] = {}
    course = str(data.get("course") or "").strip()
    if not course:
        errors["course"] = _("Give the name of the course.")
    elif len(course) > Training._meta.get_field("course").max_length:
        errors["course"] = _("Keep the name of the course under 200 characters.")
    this_year = timezone.localdate().year
    try:
        year = int(data.get("year"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        year = None
        errors["year"] = _("Give the year as a number, for example %(year)d.") % {"year": this_year}
    status = data.get("status") or TrainingStatus.IN_PROGRESS
    if status not in TrainingStatus.values:
        errors["status"] = _("Choose in progress or completed.")
    if year is not None:
        if not EARLIEST_TRAINING_YEAR <= year <= this_year + 1:
            errors["year"] = _("Give a year between %(first)d and %(last)d.") % {
                "first": EARLIEST_TRAINING_YEAR,
                "last": this_year + 1,
            }
        elif status == TrainingStatus.COMPLETED and year > this_year:
            errors["year"] = _("A completed course cannot be in a future year.")
    if errors:
        raise ValidationError(errors)
    return {"course": course, "year": year, "status": status}


@transaction.atomic
def training_create(*, user: User, school: School, data: Mapping[str, object]) -> Training:
    """Record a course the teacher leader took or is taking."""
    return Training.objects.create(user=user, school=school, **_clean_training(data))


@transaction.atomic
def training_update(*, training: Training, data: Mapping[str, object]) -> Training:
    """Change a recorded course (name, year, in progress or completed)."""
    for field, value in _clean_training(data).items():
        setattr(training, field, value)
    training.save()
    return training


@transaction.atomic
def training_delete(*, training: Training) -> None:
    """Remove a recorded course."""
    training.delete()


def _choices(values: Iterable[object], allowed: type, field: str, errors: dict) -> list[str]:
    """Keep known values once, in the glossary's order; unknown ones are an error, not dropped."""
    if isinstance(values, str):
        values = [values]
    given = {str(value) for value in values or []}
    unknown = given - set(allowed.values)
    if unknown:
        errors[field] = _("Choose only from the options shown.")
    return [value for value in allowed.values if value in given]


def _text(data: Mapping[str, object], field: str, errors: dict) -> str:
    text = str(data.get(field) or "").strip()
    if len(text) > TEXT_MAX_LENGTH:
        errors[field] = _("Keep this under %(max)d characters.") % {"max": TEXT_MAX_LENGTH}
    return text


@transaction.atomic
def self_reflection_save(
    *, user: User, school_year: SchoolYear, data: Mapping[str, object]
) -> SelfReflection:
    """Write or update the teacher leader's one self-reflection of the school year."""
    _require_leader(user, school_year)
    errors: dict[str, str] = {}
    style = str(data.get("style") or "")
    if style and style not in LeadershipStyle.values:
        errors["style"] = _("Choose one of the four styles.")
    values = {
        "style": style,
        "style_fit": _text(data, "style_fit", errors),
        "roles_taken": _choices(data.get("roles_taken"), LeaderRole, "roles_taken", errors),
        "roles_to_grow": _choices(data.get("roles_to_grow"), LeaderRole, "roles_to_grow", errors),
        "skills": _text(data, "skills", errors),
        "needs": _choices(data.get("needs"), LeaderNeed, "needs", errors),
        "needs_note": _text(data, "needs_note", errors),
        "shared": bool(data.get("shared")),
    }
    if errors:
        raise ValidationError(errors)
    # One per person per year (a unique constraint): saving again edits the same reflection.
    reflection, _created = SelfReflection.objects.update_or_create(
        user=user, school_year=school_year, defaults=values
    )
    return reflection


def responsibility_field(item: str, part: str) -> str:
    """The form field name of one part (status, evidence) of one responsibility."""
    return f"{item}_{part}"


@transaction.atomic
def responsibilities_save(
    *, user: User, school_year: SchoolYear, data: Mapping[str, object]
) -> list[ResponsibilityCheck]:
    """Save the status and a line of evidence of each of the five responsibilities this year."""
    _require_leader(user, school_year)
    errors: dict[str, str] = {}
    values: dict[str, dict[str, str]] = {}
    for item in Responsibility.values:
        status_field = responsibility_field(item, "status")
        evidence_field = responsibility_field(item, "evidence")
        status = str(data.get(status_field) or ResponsibilityStatus.NOT_STARTED)
        evidence = " ".join(str(data.get(evidence_field) or "").split())
        if status not in ResponsibilityStatus.values:
            errors[status_field] = _("Choose not started, under way or done.")
        if len(evidence) > EVIDENCE_MAX_LENGTH:
            errors[evidence_field] = _(
                "Keep the evidence to one line of at most %(max)d characters."
            ) % {"max": EVIDENCE_MAX_LENGTH}
        elif status == ResponsibilityStatus.DONE and not evidence:
            errors[evidence_field] = _("Say in one line what shows that this is done.")
        values[item] = {"status": status, "evidence": evidence}
    if errors:
        raise ValidationError(errors)
    return [
        ResponsibilityCheck.objects.update_or_create(
            user=user, school_year=school_year, item=item, defaults=fields
        )[0]
        for item, fields in values.items()
    ]
