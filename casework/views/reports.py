"""Thin views for the phase-6 report: edit the draft, make it final, print it, team meetings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from communities.audit import audit_record
from communities.models import AuditAction
from communities.page_cache import page_cached
from communities.permissions import require
from meetings.permissions import get_meeting_for
from plg_platform.forms import attach_errors

from ..forms.reports import ReportCompileForm, ReportFinaliseForm, ReportForm
from ..models import MeetingReport
from ..pdf import PdfUnavailable, render_pdf
from ..permissions import can_read_report, casework_access
from ..selectors import reports as selectors
from ..services import reports as services


def _report_redirect(pk: int) -> HttpResponse:
    return redirect("casework:report", pk=pk)


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """Writers edit the draft; once final, every reader gets the read-only report."""
    meeting = get_meeting_for(request.user, pk)
    access = casework_access(request.user, meeting)
    current = selectors.report_of(meeting)
    context: dict[str, object] = {"meeting": meeting, "community": meeting.community}
    if current is None:
        require(access.writes_report)
        context["can_compile"] = meeting.has_taken_place
        return render(request, "casework/reports/report_start.html", context)
    require(can_read_report(current, access))
    context["report"] = current
    if current.is_final or not access.writes_report:
        if request.method == "POST":
            messages.error(request, _("This report is final, so it can no longer be changed."))
            return _report_redirect(meeting.pk)
        context["sections"] = selectors.report_sections_shown(current)
        return render(request, "casework/reports/report_detail.html", context)
    form = ReportForm.for_report(current, request.POST or None)
    conflict: MeetingReport | None = None
    if request.method == "POST" and form.is_valid():
        try:
            services.report_save(
                report=current,
                actor=request.user,
                data=form.sections,
                base_version=form.cleaned_data["version"],
            )
        except services.ReportConflict as error:
            # Keep the writer's text in the form, from the version saved now, next to theirs.
            conflict = error.current
            data = request.POST.copy()
            data["version"] = str(conflict.version)
            form = ReportForm(data)
            form.add_error(None, error)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The report has been saved."))
            return _report_redirect(meeting.pk)
    context.update(
        {
            "form": form,
            "fields": [
                (form[name], getattr(conflict, name) if conflict else None)
                for name in MeetingReport.SECTIONS
            ],
            "conflict": conflict,
            "compile_form": ReportCompileForm(),
            "finalise_form": ReportFinaliseForm(initial={"version": current.version}),
        }
    )
    return render(request, "casework/reports/report_form.html", context)


@require_POST
@login_required
def report_compile(request: HttpRequest, pk: int) -> HttpResponse:
    """Compile the draft from the notes; compiling an existing draft again needs a tick."""
    meeting = get_meeting_for(request.user, pk)
    require(casework_access(request.user, meeting).writes_report)
    existing = selectors.report_of(meeting)
    if existing is not None and not ReportCompileForm(request.POST).is_valid():
        messages.error(request, _("Tick the box to compile the report again."))
        return _report_redirect(meeting.pk)
    try:
        services.report_compile(meeting=meeting, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The report has been compiled again from the notes.")
            if existing
            else _("The report draft has been compiled from the notes."),
        )
    return _report_redirect(meeting.pk)


@require_POST
@login_required
def report_finalise(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for(request.user, pk)
    access = casework_access(request.user, meeting)
    require(access.writes_report)
    current = selectors.get_report_for(meeting, access)
    form = ReportFinaliseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tick the box to make the report final."))
        return _report_redirect(meeting.pk)
    try:
        services.report_finalise(
            report=current, actor=request.user, base_version=form.cleaned_data["version"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The report is final. The team leader will discuss it at the next team meeting."),
        )
    return _report_redirect(meeting.pk)


def _print_context(request: HttpRequest, pk: int, base_template: str) -> dict[str, object]:
    meeting = get_meeting_for(request.user, pk)
    current = selectors.get_report_for(meeting, casework_access(request.user, meeting))
    return selectors.print_context(meeting, current, base_template)


@require_GET
@login_required
def report_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The report as one printable A4 flow; the PDF is rendered from the same template."""
    return render(request, "casework/reports/print.html", _print_context(request, pk, "base.html"))


@require_GET
@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    context = _print_context(request, pk, "casework/reports/pdf_base.html")
    meeting = context["meeting"]
    try:
        pdf = render_pdf(request, "casework/reports/print.html", context)
    except PdfUnavailable:
        messages.error(
            request,
            _("A PDF cannot be made on this server right now. Print this page to PDF instead."),
        )
        return redirect("casework:report_print", pk=meeting.pk)
    name = "-".join(
        part
        for part in (
            slugify(_("phase-6 report")),
            slugify(meeting.community.name),
            str(meeting.number),
            timezone.localtime(meeting.starts_at).date().isoformat(),
        )
        if part
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


@login_required
def team_meetings(request: HttpRequest) -> HttpResponse:
    """The teams the user leads, with the final reports waiting for their team meeting."""
    teams = selectors.led_teams(request.user)
    require(bool(teams))
    return render(request, "casework/reports/team_meetings.html", {"teams": teams})


@login_required
@page_cached
def team_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    """The team meeting's fixed agenda item: final reports not yet discussed, oldest first."""
    team = selectors.get_led_team(request.user, pk)
    return render(
        request,
        "casework/reports/team_meeting.html",
        {"team": team, **selectors.team_meeting_rows(team)},
    )


@require_GET
@login_required
def team_packet(request: HttpRequest, pk: int) -> HttpResponse:
    """All final reports not yet discussed, as one PDF for the team meeting."""
    team = selectors.get_led_team(request.user, pk)
    waiting = selectors.team_meeting_reports(team)["waiting"]
    if not waiting:
        messages.info(request, _("No final reports are waiting to be discussed."))
        return redirect("casework:team_meeting", pk=team.pk)
    try:
        pdf = services.team_packet_pdf(reports=waiting)
    except PdfUnavailable:
        messages.error(
            request,
            _("A PDF cannot be made on this server right now. Print each report instead."),
        )
        return redirect("casework:team_meeting", pk=team.pk)
    name = "-".join(
        (slugify(_("team meeting")), slugify(team.name), timezone.localdate().isoformat())
    )
    audit_record(
        school=team.school,
        actor=request.user,
        action=AuditAction.PACKET_DOWNLOADED,
        subject=team.name,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


@require_POST
@login_required
def report_discussed(request: HttpRequest, pk: int) -> HttpResponse:
    current = selectors.get_report_for_discussion(request.user, pk)
    try:
        services.report_mark_discussed(report=current, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The report of %(meeting)s (%(plg)s) has been marked discussed.")
            % {"meeting": current.meeting, "plg": current.meeting.community.name},
        )
    return redirect("casework:team_meeting", pk=current.meeting.community.team_id)


urlpatterns: list[URLPattern] = [
    path("meeting/<int:pk>/report/", report, name="report"),
    path("meeting/<int:pk>/report/compile/", report_compile, name="report_compile"),
    path("meeting/<int:pk>/report/finalise/", report_finalise, name="report_finalise"),
    path("meeting/<int:pk>/report/print/", report_print, name="report_print"),
    path("meeting/<int:pk>/report/pdf/", report_pdf, name="report_pdf"),
    path("meeting/<int:pk>/report/discussed/", report_discussed, name="report_discussed"),
    path("team-meeting/", team_meetings, name="team_meetings"),
    path("team/<int:pk>/team-meeting/", team_meeting, name="team_meeting"),
    path("team/<int:pk>/team-meeting/packet/", team_packet, name="team_packet"),
]
