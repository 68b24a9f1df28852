"""Retention: a school keeps cases, reflections and notes for a number of school years after the
year they belong to; then a daily task deletes them and reports keep only their numbers.

What is deleted comes from each app's registered retention steps (plg_platform.erasure).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from plg_platform import erasure

from .models import AuditAction, School, SchoolYear

if TYPE_CHECKING:
    from plg_platform.users.models import User

logger = logging.getLogger(__name__)


def _years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def deletion_date(school_year: SchoolYear, retention_years: int) -> dt.date:
    """The first day on which a school year's texts are past retention."""
    return _years_later(school_year.ends_on, retention_years) + dt.timedelta(days=1)


@dataclass
class YearRetention:
    school_year: SchoolYear
    deletes_on: dt.date
    due: bool
    counts: list[tuple[str, int]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(count for _label, count in self.counts)


def retention_plan(school: School, *, today: dt.date | None = None) -> list[YearRetention]:
    """Per school year of the school: when its texts go and how many rows that is now."""
    today = today or timezone.localdate()
    years = list(SchoolYear.objects.filter(school=school).order_by("-starts_on"))
    ids = [year.pk for year in years]
    per_step = [(step.label, step.count(ids)) for step in erasure.retention_steps()] if ids else []
    plan = []
    for year in years:
        deletes_on = deletion_date(year, school.retention_years)
        plan.append(
            YearRetention(
                school_year=year,
                deletes_on=deletes_on,
                due=deletes_on <= today,
                counts=[(str(label), counts.get(year.pk, 0)) for label, counts in per_step],
            )
        )
    return plan


@transaction.atomic
def school_retention_update(*, school: School, years: int, actor: User | None) -> School:
    """Change how many school years the school keeps cases, reflections and notes; log it."""
    from .audit import audit_school_setting

    before = School.objects.values_list("retention_years", flat=True).get(pk=school.pk)
    school.retention_years = years
    school.full_clean(exclude=["admins"])
    school.save(update_fields=["retention_years"])
    audit_school_setting(
        school=school, field="retention_years", before=before, after=years, actor=actor
    )
    return school


@transaction.atomic
def retention_apply(*, school: School, today: dt.date | None = None) -> dict[str, int]:
    """Delete the texts of the school's years past retention; numbers per step deleted."""
    plan = [row for row in retention_plan(school, today=today) if row.due and row.total]
    if not plan:
        return {}
    ids = [row.school_year.pk for row in plan]
    deleted = {step.key: step.delete(ids) for step in erasure.retention_steps()}
    _audit(school, plan)
    return deleted


def _audit(school: School, plan: list[YearRetention]) -> None:
    """Log, per school year, how many rows the retention run removed (numbers only)."""
    from .audit import audit_record

    for row in plan:
        counts = ", ".join(f"{count} {label}" for label, count in row.counts if count)
        audit_record(
            school=school,
            actor=None,
            action=AuditAction.RETENTION_DELETED,
            subject=f"{row.school_year.name}: {counts}",
        )


def retention_run(*, today: dt.date | None = None) -> int:
    """Apply retention in every school (the daily task); how many schools had something to delete."""
    touched = 0
    for school in School.objects.order_by("pk"):
        try:
            if retention_apply(school=school, today=today):
                touched += 1
        except Exception:
            # One school's failure must not keep the others' data past its time; retried tomorrow.
            logger.exception("Retention failed for school %s", school.pk)
    return touched
