"""Background work for case sessions: report PDFs, yearly reports, and the sweep for both."""

from __future__ import annotations

import logging

from celery import shared_task

from plg_platform.queue import enqueue

from .pdf import PdfUnavailable
from .services.reports import report_pdf_render, reports_without_pdf
from .services.yearly import yearly_report_compile as compile_yearly_report
from .services.yearly import yearly_reports_waiting

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(OSError,), retry_backoff=30, retry_backoff_max=600, max_retries=5)
def report_render(*, report_id: int) -> bool:
    """Render one final report's PDF for the team-meeting packet; False when it does not apply."""
    try:
        return report_pdf_render(report_id=report_id)
    except PdfUnavailable:
        # No retry helps a server without Pango; the packet renders what it needs on the fly.
        logger.warning("PDF rendering is unavailable; report %s keeps no PDF", report_id)
        return False


@shared_task
def yearly_report_compile(*, report_id: int) -> bool:
    """Compile one yearly report; a failure is stored on the report, so there is no retry."""
    return compile_yearly_report(report_id=report_id)


@shared_task
def outbox_sweep() -> dict[str, int]:
    """Start what was left waiting while the broker was down (Celery beat, every 15 minutes)."""
    reports = reports_without_pdf()
    for report_id in reports:
        enqueue(report_render, report_id=report_id)
    jobs = yearly_reports_waiting()
    for report_id in jobs:
        enqueue(yearly_report_compile, report_id=report_id)
    return {"report_pdfs": len(reports), "yearly_reports": len(jobs)}
