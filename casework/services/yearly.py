"""Writes for yearly reports: request a report (a job for Celery) and compile it.

A job moves queued -> running -> done (or failed). Every move is a conditional update, so a
retried task, a second worker or a double click never compiles one job twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import SchoolYear
from communities.retention import deletion_date
from plg_platform.queue import enqueue_on_commit

from ..models import YearlyReport, YearlyReportScope, YearlyReportStatus
from ..permissions import may_open_yearly
from ..selectors.yearly import yearly_report

if TYPE_CHECKING:
    from communities.models import Community, Team
    from plg_platform.users.models import User

logger = logging.getLogger(__name__)

# A job still "running" after this long lost its worker (a crash or a deploy); it may be taken again.
STALE_AFTER = dt.timedelta(minutes=15)
# A queued job older than this was never handed to a worker; the sweep starts it.
SWEEP_AFTER = dt.timedelta(minutes=2)


@transaction.atomic
def yearly_report_request(
    *,
    actor: User,
    school_year: SchoolYear,
    scope: str,
    community: Community | None = None,
    team: Team | None = None,
) -> YearlyReport:
    """Queue a yearly report for compiling, or return the one already waiting for it."""
    if scope not in YearlyReportScope.values or not may_open_yearly(
        actor, scope=scope, school_year=school_year, community=community, team=team
    ):
        raise ValidationError(_("You cannot compile this yearly report."))
    if scope == YearlyReportScope.PLG and community.school_year_id != school_year.pk:
        raise ValidationError(_("This PLG belongs to another school year."))
    if timezone.localdate() >= deletion_date(school_year, school_year.school.retention_years):
        # Its cases and notes are gone: compiling again would give wrong numbers.
        raise ValidationError(
            _(
                "This school year's cases and notes were deleted after the retention period, "
                "so its yearly report cannot be compiled again; the last one compiled stays."
            )
        )
    subject = {
        "scope": scope,
        "school_year": school_year,
        "community": community if scope == YearlyReportScope.PLG else None,
        "team": team if scope == YearlyReportScope.TEAM else None,
    }
    # Two requests at the same moment (two readers of one report, or a double click) take
    # turns here, so that the second finds the first one's job instead of making another.
    SchoolYear.objects.select_for_update().filter(pk=school_year.pk).exists()
    now = timezone.now()
    unfinished = YearlyReport.objects.filter(
        **subject, status__in=[YearlyReportStatus.QUEUED, YearlyReportStatus.RUNNING]
    )
    # A double click or a second reader asking at once: one job is enough.
    waiting = unfinished.exclude(_stalled(now)).order_by("-created_at").first()
    if waiting is not None:
        return waiting
    # A stalled job (never handed to a worker, or its worker died) gives way to a fresh one;
    # retiring it keeps the sweep from compiling the same report twice.
    unfinished.filter(_stalled(now)).update(
        status=YearlyReportStatus.FAILED,
        finished_at=now,
        error="Stalled: replaced by a new request.",
    )
    report = YearlyReport.objects.create(
        **subject, school_id=school_year.school_id, requested_by=actor
    )
    # Imported here: the task module imports this one.
    from ..tasks import yearly_report_compile as task

    enqueue_on_commit(task, report_id=report.pk)
    return report


def _stalled(now: dt.datetime) -> Q:
    """Unfinished jobs that waited (queued) or ran longer than STALE_AFTER."""
    cutoff = now - STALE_AFTER
    return Q(status=YearlyReportStatus.QUEUED, created_at__lt=cutoff) | Q(
        Q(started_at__lt=cutoff) | Q(started_at__isnull=True, created_at__lt=cutoff),
        status=YearlyReportStatus.RUNNING,
    )


def yearly_report_is_stalled(report: YearlyReport, *, now: dt.datetime | None = None) -> bool:
    """Has this unfinished job waited or run longer than STALE_AFTER (see `_stalled`)?"""
    if report.status == YearlyReportStatus.RUNNING:
        since = report.started_at or report.created_at
    elif report.status == YearlyReportStatus.QUEUED:
        since = report.created_at
    else:
        return False
    return since < (now or timezone.now()) - STALE_AFTER


def _claim(report_id: int) -> bool:
    """Move a queued (or abandoned running) job to running; False if another run has it."""
    now = timezone.now()
    claimable = YearlyReport.objects.filter(pk=report_id, status=YearlyReportStatus.QUEUED)
    if claimable.update(status=YearlyReportStatus.RUNNING, started_at=now, progress=0):
        return True
    return bool(
        YearlyReport.objects.filter(
            pk=report_id, status=YearlyReportStatus.RUNNING, started_at__lt=now - STALE_AFTER
        ).update(started_at=now, progress=0)
    )


def yearly_report_progress(*, report_id: int, percent: int) -> bool:
    """Record how far a running job is (only forward, only while running)."""
    percent = max(0, min(100, int(percent)))
    return bool(
        YearlyReport.objects.filter(
            pk=report_id, status=YearlyReportStatus.RUNNING, progress__lt=percent
        ).update(progress=percent)
    )


def yearly_report_compile(*, report_id: int) -> bool:
    """Compile one queued yearly report; False when it does not apply (done, taken, gone).

    Not one transaction on purpose: the progress has to be visible while the job runs.
    """
    # 1. Claim the job: only one run compiles it.
    if not _claim(report_id):
        return False
    report = YearlyReport.objects.select_related("school_year__school", "community", "team").get(
        pk=report_id
    )
    # 2. Compute, telling the page how far it is.
    try:
        data = yearly_report(
            school_year=report.school_year,
            scope=report.scope,
            community=report.community,
            team=report.team,
            on_progress=lambda percent: yearly_report_progress(
                report_id=report_id, percent=min(percent, 99)
            ),
        )
    except Exception as error:
        logger.exception("Yearly report %s failed", report_id)
        YearlyReport.objects.filter(pk=report_id, status=YearlyReportStatus.RUNNING).update(
            status=YearlyReportStatus.FAILED,
            finished_at=timezone.now(),
            error=f"{type(error).__name__}: {error}"[:2000],
        )
        return False
    # 3. Store the result, unless the job was taken from this run meanwhile.
    return bool(
        YearlyReport.objects.filter(pk=report_id, status=YearlyReportStatus.RUNNING).update(
            status=YearlyReportStatus.DONE, progress=100, data=data, finished_at=timezone.now()
        )
    )


def yearly_reports_waiting(*, now: dt.datetime | None = None) -> list[int]:
    """Ids of jobs a worker never got (broker down at request time) or lost (stalled run)."""
    now = now or timezone.now()
    return list(
        YearlyReport.objects.filter(
            Q(status=YearlyReportStatus.QUEUED, created_at__lt=now - SWEEP_AFTER)
            | Q(status=YearlyReportStatus.RUNNING, started_at__lt=now - STALE_AFTER)
        ).values_list("pk", flat=True)
    )
