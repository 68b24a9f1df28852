"""Reads for the phase-6 report: the report of a meeting, the meeting-page panel, team meetings."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst

from communities.models import Community, Team
from meetings.models import MEETINGS_PER_YEAR, Meeting, Theme
from plg_platform.sql import all_rows, fits_key, from_db, instance, select_with_related, table

from ..models import MeetingReport, ReportStatus
from ..permissions import MeetingCounts, can_read_report

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


def shows_panel(meeting: Meeting, access: CaseworkAccess) -> bool:
    """Whether the meeting page shows this user the report section (it then needs the report)."""
    return access.writes_report or reads_final_reports(meeting, access)


def _report_shown(meeting: Meeting, counts: MeetingCounts) -> MeetingReport | None:
    """The meeting's report with only its id and status, as read with the page's numbers (or,
    when they were not read, on its own)."""
    if not counts.report_read:
        return MeetingReport.objects.filter(meeting=meeting).only("pk", "status").first()
    if counts.report_id is None:
        return None
    fields = [MeetingReport._meta.get_field(name) for name in ("id", "meeting", "status")]
    return instance(MeetingReport, fields, [counts.report_id, meeting.pk, counts.report_status])


def meeting_panel(meeting: Meeting, user: User, access: CaseworkAccess) -> dict[str, object]:
    """Context for templates/casework/meeting/_reports.html; keys start with `report_`."""
    if not shows_panel(meeting, access):
        return {}
    writes = access.writes_report
    reads_final = reads_final_reports(meeting, access)
    report = _report_shown(meeting, access.counts)
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
    """A team the user leads, with its school; 404 for everyone else (school admins included).
    In one plain query built once per process (plg_platform.sql), as the team meeting page
    opens it on every visit."""
    found = fits_key(Team, pk) and select_with_related(
        Team,
        f"t0.id = %(team)s AND EXISTS (SELECT 1 FROM {table(Team.leaders.through)} l"  # noqa: S608
        " WHERE l.team_id = t0.id AND l.user_id = %(user)s)",
        {"team": pk, "user": user.pk},
        paths=("school",),
    )
    if not found:
        raise Http404
    return found[0]


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


@dataclass(frozen=True)
class TeamMeetingRow:
    """One final report on the team meeting's page, with what the page shows of it."""

    report_id: int
    meeting_id: int
    meeting: str
    plg: str
    starts_at: dt.datetime
    theme: str | None
    finalised_at: dt.datetime | None
    discussed_at: dt.datetime | None
    discussed_by: str | None
    read_url: str
    print_url: str
    pdf_url: str
    discussed_url: str


def team_meeting_rows(team: Team) -> dict[str, list[TeamMeetingRow]]:
    """`team_meeting_reports` as the team meeting's page shows it, in one plain SQL query.

    The two ORM lists cost some 12 ms of CPU in query building and model rows for a dozen
    reports; tests/casework/test_team_meeting_rows.py holds this to `team_meeting_reports`.
    """
    sql, fields = _team_meeting_sql()
    urls = {
        name: _pk_url(f"casework:{name}")
        for name in ("report", "report_print", "report_pdf", "report_discussed")
    }
    user_model = get_user_model()
    waiting, discussed = [], []
    rows = all_rows(
        sql, {"team": team.pk, "final": ReportStatus.FINAL.value, "recent": RECENTLY_DISCUSSED}
    )
    for raw in rows:
        values = [from_db(value, field) for value, field in zip(raw, fields, strict=True)]
        report_id, meeting_id, finalised_at, discussed_at, number, starts_at, plg, theme = values[
            :8
        ]
        by_id, by_name, by_email, by_deleted_at = values[8:]
        # The model's own rule for the name shown (a former member, else name or e-mail).
        by = user_model(pk=by_id, name=by_name, email=by_email, deleted_at=by_deleted_at)
        row = TeamMeetingRow(
            report_id=report_id,
            meeting_id=meeting_id,
            meeting=str(Meeting(number=number)),
            plg=plg,
            starts_at=starts_at,
            theme=theme,
            finalised_at=finalised_at,
            discussed_at=discussed_at,
            discussed_by=by.display_name if by_id is not None else None,
            read_url=urls["report"](meeting_id),
            print_url=urls["report_print"](meeting_id),
            pdf_url=urls["report_pdf"](meeting_id),
            discussed_url=urls["report_discussed"](meeting_id),
        )
        (waiting if discussed_at is None else discussed).append(row)
    # Rows come ordered as the waiting list is; the discussed ones newest first.
    discussed.sort(key=lambda row: (row.discussed_at, row.report_id), reverse=True)
    return {"waiting": waiting, "discussed": discussed}


def _pk_url(name: str) -> Callable[[int], str]:
    """The URL of a view taking one `pk`, for any pk, from a single `reverse`."""
    marker = 987654321
    before, found, after = reverse(name, kwargs={"pk": marker}).rpartition(str(marker))
    if not found:  # not expected: fall back to reversing each one
        return lambda pk: reverse(name, kwargs={"pk": pk})
    return lambda pk: f"{before}{pk}{after}"


@functools.cache
def _team_meeting_sql() -> tuple[str, list]:
    """The query text, and the model fields of its columns in order (for their conversion)."""
    user_model = get_user_model()
    report, meeting, community = table(MeetingReport), table(Meeting), table(Community)
    theme, user = table(Theme), table(user_model)
    field = MeetingReport._meta.get_field
    fields = [
        field("id"),
        field("meeting"),
        field("finalised_at"),
        field("discussed_at"),
        Meeting._meta.get_field("number"),
        Meeting._meta.get_field("starts_at"),
        Community._meta.get_field("name"),
        Theme._meta.get_field("title"),
        user_model._meta.get_field("id"),
        user_model._meta.get_field("name"),
        user_model._meta.get_field("email"),
        user_model._meta.get_field("deleted_at"),
    ]
    sql = f"""
        SELECT r.id, r.meeting_id, r.finalised_at, r.discussed_at, m.number, m.starts_at,
               c.name, th.title, u.id, u.name, u.email, u.deleted_at
        FROM {report} r
        JOIN {meeting} m ON m.id = r.meeting_id
        JOIN {community} c ON c.id = m.community_id
        LEFT JOIN {theme} th ON th.id = m.theme_id
        LEFT JOIN {user} u ON u.id = r.discussed_by_id
        WHERE c.team_id = %(team)s AND r.status = %(final)s AND (
          r.discussed_at IS NULL OR r.id IN (
            SELECT d.id FROM {report} d
            JOIN {meeting} dm ON dm.id = d.meeting_id
            JOIN {community} dc ON dc.id = dm.community_id
            WHERE dc.team_id = %(team)s AND d.status = %(final)s AND d.discussed_at IS NOT NULL
            ORDER BY d.discussed_at DESC, d.id DESC LIMIT %(recent)s
          )
        )
        ORDER BY r.finalised_at, r.id
    """  # noqa: S608
    return sql, fields


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
