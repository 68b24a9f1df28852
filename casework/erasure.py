"""What casework removes when an account is deleted, and its texts past retention.

Account: the person's draft cases and private reflections are deleted. Submitted cases,
shared reflections, phase notes, first small steps and phase-6 reports stay in the PLG's
history under "former member", so reports keep their counts.

Retention: a school year's cases, reflections, phase notes (with the first small steps
written in them) and meeting-evaluation answers are deleted, phase-6 reports lose their texts
and PDF, and stored yearly reports lose their highlights (quoted report text); every number in
them stays.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plg_platform.erasure import MEETING_YEAR, count_per_year

from .models import (
    CaseStatus,
    MeetingEvaluation,
    MeetingReport,
    PhaseNote,
    Reflection,
    WorkCase,
    YearlyReport,
)

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from plg_platform.users.models import User


def erase_account(user: User, actor: User | None) -> None:
    WorkCase.objects.filter(presenter=user, status=CaseStatus.DRAFT).delete()
    Reflection.objects.filter(author=user, shared=False).delete()


_REPORT_HAS_TEXT = reduce(
    or_, (~Q(**{section: ""}) for section in MeetingReport.SECTIONS), ~Q(pdf="")
)


def _reports_with_text(school_year_ids: Iterable[int]) -> QuerySet[MeetingReport]:
    return MeetingReport.objects.filter(
        _REPORT_HAS_TEXT, **{f"{MEETING_YEAR}__in": list(school_year_ids)}
    )


def report_texts_count(school_year_ids: Iterable[int]) -> dict[int, int]:
    return count_per_year(_reports_with_text(school_year_ids))


def report_texts_delete(school_year_ids: Iterable[int]) -> int:
    reports = _reports_with_text(school_year_ids)
    files = [name for name in reports.exclude(pdf="").values_list("pdf", flat=True)]
    emptied = reports.update(
        pdf="",
        # Marked as rendered, so the outbox sweep never makes a PDF of the emptied report.
        pdf_rendered_at=Coalesce(F("pdf_rendered_at"), Value(timezone.now())),
        **dict.fromkeys(MeetingReport.SECTIONS, ""),
    )
    if files:
        storage = MeetingReport._meta.get_field("pdf").storage

        def remove_files() -> None:
            for name in files:
                storage.delete(name)

        # Only once the rows are committed: a rolled-back run must not lose the files.
        transaction.on_commit(remove_files)
    return emptied


def _yearly_with_highlights(school_year_ids: Iterable[int]) -> list[YearlyReport]:
    return [
        report
        for report in YearlyReport.objects.filter(school_year_id__in=list(school_year_ids)).only(
            "pk", "school_year_id", "data"
        )
        if (report.data or {}).get("highlights")
    ]


def yearly_highlights_count(school_year_ids: Iterable[int]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for report in _yearly_with_highlights(school_year_ids):
        counts[report.school_year_id] = counts.get(report.school_year_id, 0) + 1
    return counts


def yearly_highlights_delete(school_year_ids: Iterable[int]) -> int:
    reports = _yearly_with_highlights(school_year_ids)
    for report in reports:
        report.data = {**report.data, "highlights": []}
    YearlyReport.objects.bulk_update(reports, ["data"])
    return len(reports)


def register_all() -> None:
    from plg_platform import erasure

    erasure.register_account_eraser("casework", erase_account)
    for key, label, model in (
        ("work_cases", _("work cases"), WorkCase),
        ("reflections", _("reflections"), Reflection),
        ("phase_notes", _("phase notes (with first small steps)"), PhaseNote),
        # Who evaluated (MeetingEvaluationParticipation) stays, like attendance: no text in it.
        ("meeting_evaluations", _("meeting evaluation answers"), MeetingEvaluation),
    ):
        erasure.register_rows_retention(key, label, model)
    erasure.register_retention(
        "report_texts",
        _("phase-6 report texts"),
        count=report_texts_count,
        delete=report_texts_delete,
    )
    erasure.register_retention(
        "yearly_highlights",
        _("highlights quoted in yearly reports"),
        count=yearly_highlights_count,
        delete=yearly_highlights_delete,
    )
