"""Thin views for yearly reports: what a reader may open, compile, follow, read, download."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from communities.audit import audit_record
from communities.models import AuditAction
from communities.page_cache import page_cached
from communities.permissions import require
from plg_platform.responses import json_response

from ..models import YearlyReport, YearlyReportScope
from ..pdf import PdfUnavailable, render_pdf
from ..permissions import (
    get_yearly_community_for,
    get_yearly_report_for,
    get_yearly_school_year_for,
    get_yearly_team_for,
    yearly_shows_names,
)
from ..selectors import yearly_pages as selectors
from ..services.yearly import STALE_AFTER, yearly_report_is_stalled, yearly_report_request


@dataclass(frozen=True)
class Subject:
    """Whose yearly report a page is about, and where its own page and compile button are."""

    scope: str
    title: str
    school_year: Any
    community: Any = None
    team: Any = None

    @property
    def url(self) -> str:
        if self.scope == YearlyReportScope.PLG:
            return reverse("casework:yearly_plg", args=[self.community.pk])
        if self.scope == YearlyReportScope.TEAM:
            return reverse("casework:yearly_team", args=[self.team.pk, self.school_year.pk])
        return reverse("casework:yearly_school", args=[self.school_year.pk])

    @property
    def compile_url(self) -> str:
        if self.scope == YearlyReportScope.PLG:
            return reverse("casework:yearly_plg_compile", args=[self.community.pk])
        if self.scope == YearlyReportScope.TEAM:
            return reverse("casework:yearly_team_compile", args=[self.team.pk, self.school_year.pk])
        return reverse("casework:yearly_school_compile", args=[self.school_year.pk])


def _plg(community) -> Subject:
    return Subject(
        YearlyReportScope.PLG, community.name, community.school_year, community=community
    )


def _team(team, school_year) -> Subject:
    return Subject(YearlyReportScope.TEAM, team.name, school_year, team=team)


def _school(school_year) -> Subject:
    return Subject(YearlyReportScope.SCHOOL, school_year.school.name, school_year)


def _subject_of(report: YearlyReport) -> Subject:
    if report.scope == YearlyReportScope.PLG:
        community = report.community
        if community.school_year_id == report.school_year_id:
            community.school_year = report.school_year  # the row already read: spares a query
        return _plg(community)
    if report.scope == YearlyReportScope.TEAM:
        return _team(report.team, report.school_year)
    return _school(report.school_year)


def _audit_subject(report: YearlyReport, subject: Subject, kind: str = "") -> str:
    return " · ".join(part for part in (subject.title, report.school_year.name, kind) if part)


def _render(request: HttpRequest, subject: Subject, report: YearlyReport | None) -> HttpResponse:
    context: dict[str, Any] = {
        "subject": subject,
        "stalled": report is not None and yearly_report_is_stalled(report),
        # yearly.js stops asking once a job could have stalled; the page then says so.
        "poll_seconds": int(STALE_AFTER.total_seconds()) + 60,
    }
    # A newer job that failed or is still running does not hide the last good report.
    compiled = selectors.last_compiled(report) if report is not None else None
    body = None
    if compiled is not None:
        body = selectors.report_body(
            compiled, show_names=yearly_shows_names(request.user, compiled)
        )
    context.update({"report": report, "compiled": compiled, "body": body})
    # Logged once its contents are on screen, not while it is being compiled.
    if body is not None:
        context["compiled_at"] = selectors.compiled_at(compiled)
        event = audit_record(
            school=compiled.school,
            actor=request.user,
            action=AuditAction.YEARLY_REPORT_OPENED,
            subject=_audit_subject(compiled, subject),
        )
    response = render(request, "casework/yearly/report.html", context)
    if body is not None:
        # A kept copy of this page is logged again each time it is shown (page_cache).
        response.audit_on_repeat = (event.school_id, event.action, event.subject)
    return response


@require_GET
@login_required
def yearly_index(request: HttpRequest) -> HttpResponse:
    """The school years, teams and PLGs whose yearly report the user may open."""
    index = selectors.yearly_index(request.user)
    require(not index.is_empty)
    return render(request, "casework/yearly/index.html", {"index": index})


@require_GET
@login_required
def yearly_plg(request: HttpRequest, pk: int) -> HttpResponse:
    community = get_yearly_community_for(request.user, pk)
    report = selectors.latest_report(
        scope=YearlyReportScope.PLG, school_year=community.school_year, community=community
    )
    return _render(request, _plg(community), report)


@require_GET
@login_required
def yearly_team(request: HttpRequest, pk: int, year_pk: int) -> HttpResponse:
    team, school_year = get_yearly_team_for(request.user, pk, year_pk)
    report = selectors.latest_report(
        scope=YearlyReportScope.TEAM, school_year=school_year, team=team
    )
    return _render(request, _team(team, school_year), report)


@require_GET
@login_required
def yearly_school(request: HttpRequest, year_pk: int) -> HttpResponse:
    school_year = get_yearly_school_year_for(request.user, year_pk)
    report = selectors.latest_report(scope=YearlyReportScope.SCHOOL, school_year=school_year)
    return _render(request, _school(school_year), report)


def _request(request: HttpRequest, subject: Subject) -> HttpResponse:
    try:
        report = yearly_report_request(
            actor=request.user,
            school_year=subject.school_year,
            scope=subject.scope,
            community=subject.community,
            team=subject.team,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(subject.url)
    messages.info(request, _("The yearly report is being compiled."))
    return redirect("casework:yearly_report", pk=report.pk)


@require_POST
@login_required
def yearly_plg_compile(request: HttpRequest, pk: int) -> HttpResponse:
    return _request(request, _plg(get_yearly_community_for(request.user, pk)))


@require_POST
@login_required
def yearly_team_compile(request: HttpRequest, pk: int, year_pk: int) -> HttpResponse:
    return _request(request, _team(*get_yearly_team_for(request.user, pk, year_pk)))


@require_POST
@login_required
def yearly_school_compile(request: HttpRequest, year_pk: int) -> HttpResponse:
    return _request(request, _school(get_yearly_school_year_for(request.user, year_pk)))


@require_GET
@login_required
@page_cached
def yearly_report(request: HttpRequest, pk: int) -> HttpResponse:
    """One compiled report, or its progress while it is being compiled."""
    report = get_yearly_report_for(request.user, pk)
    return _render(request, _subject_of(report), report)


@require_GET
@login_required
def yearly_status(request: HttpRequest, pk: int) -> JsonResponse:
    """How far the report is, for yearly.js to show while the task runs."""
    report = get_yearly_report_for(request.user, pk)
    return json_response(
        {
            "status": report.status,
            "label": str(report.get_status_display()),
            "progress": report.progress,
            "finished": report.is_finished,
            "stalled": yearly_report_is_stalled(report),
        }
    )


def _done_context(request: HttpRequest, pk: int) -> tuple[YearlyReport, dict[str, Any]] | None:
    report = get_yearly_report_for(request.user, pk)
    context = selectors.page_context(report, show_names=yearly_shows_names(request.user, report))
    if "data" not in context:
        return None
    context["subject"] = _subject_of(report)
    return report, context


def _file_name(report: YearlyReport, subject: Subject, extension: str) -> str:
    parts = (slugify(_("yearly report")), slugify(subject.title), slugify(report.school_year.name))
    return "-".join(part for part in parts if part) + f".{extension}"


def _not_ready(request: HttpRequest, pk: int) -> HttpResponse:
    messages.error(request, _("This yearly report is not ready yet."))
    return redirect("casework:yearly_report", pk=pk)


@require_GET
@login_required
def yearly_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    found = _done_context(request, pk)
    if found is None:
        return _not_ready(request, pk)
    report, context = found
    context.update(
        {"base_template": "casework/reports/pdf_base.html", "printed_at": timezone.now()}
    )
    try:
        pdf = render_pdf(request, "casework/yearly/print.html", context)
    except PdfUnavailable:
        messages.error(
            request,
            _("A PDF cannot be made on this server right now. Print this page to PDF instead."),
        )
        return redirect("casework:yearly_report", pk=pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = _file_name(report, context["subject"], "pdf")
    audit_record(
        school=report.school,
        actor=request.user,
        action=AuditAction.YEARLY_REPORT_DOWNLOADED,
        subject=_audit_subject(report, context["subject"], "PDF"),
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
@login_required
def yearly_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """One row per meeting and per member; UTF-8 with a BOM so Excel reads it right."""
    found = _done_context(request, pk)
    if found is None:
        return _not_ready(request, pk)
    report, context = found
    out = io.StringIO()
    # Semicolons: a Dutch Excel reads commas as the decimal sign.
    csv.writer(out, delimiter=";").writerows(selectors.csv_rows(context["data"]))
    response = HttpResponse(
        ("\ufeff" + out.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    name = _file_name(report, context["subject"], "csv")
    audit_record(
        school=report.school,
        actor=request.user,
        action=AuditAction.YEARLY_REPORT_DOWNLOADED,
        subject=_audit_subject(report, context["subject"], "CSV"),
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


urlpatterns: list[URLPattern] = [
    path("yearly/", yearly_index, name="yearly_index"),
    path("yearly/plg/<int:pk>/", yearly_plg, name="yearly_plg"),
    path("yearly/plg/<int:pk>/compile/", yearly_plg_compile, name="yearly_plg_compile"),
    path("yearly/team/<int:pk>/<int:year_pk>/", yearly_team, name="yearly_team"),
    path(
        "yearly/team/<int:pk>/<int:year_pk>/compile/",
        yearly_team_compile,
        name="yearly_team_compile",
    ),
    path("yearly/school/<int:year_pk>/", yearly_school, name="yearly_school"),
    path(
        "yearly/school/<int:year_pk>/compile/", yearly_school_compile, name="yearly_school_compile"
    ),
    path("yearly/<int:pk>/", yearly_report, name="yearly_report"),
    path("yearly/<int:pk>/status/", yearly_status, name="yearly_status"),
    path("yearly/<int:pk>/pdf/", yearly_pdf, name="yearly_pdf"),
    path("yearly/<int:pk>/csv/", yearly_csv, name="yearly_csv"),
]
