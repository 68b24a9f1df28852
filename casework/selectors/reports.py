"""Reads for the phase-6 report: the report of a meeting, the meeting-page panel, team meetings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import capfirst

from communities.models import Team
from meetings.models import MEETINGS_PER_YEAR, Meeting

from ..models import MeetingReport, ReportStatus
from ..permissions import can_read_report

if TYPE_CHECKING:
    from plg_platform.users.models import User

    from ..permissions import CaseworkAccess

RECENTLY_DISCUSSED = 10


def report_of(meeting: Meeting) -> MeetingReport | None:
    return (
        MeetingReport.objects.select_related("updated_by", "finalised_by", "discussed_by")
        .filter(meeting=meeting)
        .first()
    )


def get_report_for(meeting: Meeting, access: CaseworkAccess) -> MeetingReport:
    """The meeting's report if the user may read it (a draft: its writers only); 404 otherwise."""
    report = report_of(meeting)
    if report is None or not can_read_report(report, access):
        raise Http404
    return report


def reads_final_reports(meeting: Meeting, access: CaseworkAccess) -> bool:
    """Would the user read this PLG's reports once final? Asked of the one rule in permissions."""
    return can_read_report(MeetingReport(meeting=meeting, status=ReportStatus.FINAL), access)


@dataclass(frozen=True)
class YearRow:
    """One of meetings 1-5 on meeting 6's list of the year's reports."""

    meeting: Meeting
    report: MeetingReport | None
    readable: bool


def year_reports(meeting: Meeting, access: CaseworkAccess) -> list[YearRow]:
    """Meetings 1-5 of the PLG's year with their report; final ones readable. One query."""
    rows = []
    for earlier in (
        Meeting.objects.filter(community_id=meeting.community_id, number__lt=MEETINGS_PER_YEAR)
        .select_related("theme", "report")
        .order_by("number")
    ):
        report = getattr(earlier, "report", None)
        readable = bool(report and report.is_final and can_read_report(report, access))
        rows.append(YearRow(meeting=earlier, report=report, readable=readable))
    return rows


def meeting_panel(meeting: Meeting, user: User, access: CaseworkAccess) -> dict[str, object]:
    """Context for templates/casework/meeting/_reports.html; keys start with `report_`."""
    writes = access.writes_report
    reads_final = reads_final_reports(meeting, access)
    if not (writes or reads_final):
        return {}
    report = MeetingReport.objects.filter(meeting=meeting).only("pk", "status").first()
    context: dict[str, object] = {
        "report_writes": writes,
        "report_current": report if report and can_read_report(report, access) else None,
        "report_can_compile": writes and report is None and meeting.has_taken_place,
    }
    if meeting.is_evaluation and reads_final:
        context["report_year"] = year_reports(meeting, access)
    return context


# Team meetings ------------------------------------------------------------------------------


def led_teams(user: User) -> list[Team]:
    """The teams the user leads, each with `reports_waiting`: final reports not yet discussed."""
    return list(
        Team.objects.filter(leaders=user)
        .select_related("school")
        .annotate(
            reports_waiting=Count(
                "communities__meetings__report",
                filter=Q(
                    communities__meetings__report__status=ReportStatus.FINAL,
                    communities__meetings__report__discussed_at__isnull=True,
                ),
            )
        )
        .order_by("school__name", "name")
    )


def get_led_team(user: User, pk: int) -> Team:
    """A team the user leads; 404 for everyone else (school admins included)."""
    return get_object_or_404(Team.objects.select_related("school").filter(leaders=user), pk=pk)


def team_meeting_reports(team: Team) -> dict[str, list[MeetingReport]]:
    """Final reports of the team's PLGs: not yet discussed (oldest first) and recently discussed."""
    reports = MeetingReport.objects.filter(
        meeting__community__team=team, status=ReportStatus.FINAL
    ).select_related("meeting__community", "meeting__theme", "finalised_by", "discussed_by")
    return {
        "waiting": list(reports.filter(discussed_at__isnull=True).order_by("finalised_at", "pk")),
        "discussed": list(
            reports.filter(discussed_at__isnull=False).order_by("-discussed_at", "-pk")[
                :RECENTLY_DISCUSSED
            ]
        ),
    }


def get_report_for_discussion(user: User, pk: int) -> MeetingReport:
    """The final report of a meeting of a team the user leads; 404 otherwise."""
    return get_object_or_404(
        MeetingReport.objects.select_related("meeting__community__team").filter(
            meeting__community__team__leaders=user, status=ReportStatus.FINAL
        ),
        meeting_id=pk,
    )


@dataclass(frozen=True)
class ReportSection:
    name: str
    label: str
    text: str


def print_context(meeting: Meeting, report: MeetingReport, base_template: str) -> dict[str, object]:
    """What the printable page and the PDF (same template) show of one report."""
    return {
        "base_template": base_template,
        "meeting": meeting,
        "community": meeting.community,
        "report": report,
        "sections": report_sections_shown(report),
        "printed_at": timezone.now(),
    }


def report_sections_shown(report: MeetingReport) -> list[ReportSection]:
    """The six sections with their labels, in order, for the read-only, print and PDF pages."""
    return [
        ReportSection(
            name=name,
            label=capfirst(MeetingReport._meta.get_field(name).verbose_name),
            text=getattr(report, name),
        )
        for name in MeetingReport.SECTIONS
    ]
