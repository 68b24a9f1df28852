"""Which reminders about work cases, reflections, first small steps and reports are due now.

Registered with `meetings.reminders` from CaseworkConfig.ready(): a collector per kind says what
is due at `now` and still applies; a check per kind drops, just before sending, a row that waited
(in the daily digest, or for a broker that was down) and no longer applies. Both run a fixed
number of queries whatever the number of PLGs or members: one read bounded by the longest lead
time of any school; the school's own moment is then checked in Python.

Everyone reminded must still be in the PLG's group (not a guest expert) with an active account.
A payload holds links and the meeting's start only: never a case's or a reflection's words.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef
from django.urls import reverse

from communities.models import Membership
from meetings import reminders
from meetings.collectors import UPCOMING_STATUSES, start_stamp
from meetings.models import (
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingPreparer,
    MeetingStatus,
    NotificationKind,
)
from meetings.reminders import Due, window_open

from .models import (
    CaseStatus,
    MeetingReport,
    NextStep,
    Reflection,
    ReportStatus,
    StepStatus,
    WorkCase,
)

if TYPE_CHECKING:
    from meetings.models import Notification
    from meetings.reminders import Schedules

SCHOOL = "community__team__school_id"
# Reads are bounded by the longest lead time plus this margin: a day-based reminder goes out
# early in the morning, so its meeting can be up to a day further away than the number of days.
MARGIN = dt.timedelta(days=2)
NOT_CANCELLED = [status for status in MeetingStatus.values if status != MeetingStatus.CANCELLED]


def _days(number: int) -> dt.timedelta:
    return dt.timedelta(days=number)


def _still_in_group(user: str, community: str) -> Exists:
    """The person (OuterRef `user`) is still in the group of the PLG (OuterRef `community`)."""
    return Exists(
        Membership.objects.group_members().filter(
            community_id=OuterRef(community), user_id=OuterRef(user)
        )
    )


def _before(now: dt.datetime, schedules: Schedules, field: str) -> dict[str, object]:
    """Filters for meetings still to come within the longest `field` lead time of any school."""
    return {
        "status__in": UPCOMING_STATUSES,
        "starts_at__gt": now,
        "starts_at__lte": now + _days(schedules.longest(field)) + MARGIN,
    }


def _after(now: dt.datetime, schedules: Schedules, field: str) -> dict[str, object]:
    """Filters for meetings that started within the longest `field` lead time of any school."""
    return {
        # A cancelled meeting has no reflection or report to ask for.
        "meeting__status__in": NOT_CANCELLED,
        "meeting__starts_at__lte": now,
        "meeting__starts_at__gt": now - _days(schedules.longest(field)) - MARGIN,
    }


def _with_prefix(filters: dict[str, object], prefix: str) -> dict[str, object]:
    return {f"{prefix}{name}": value for name, value in filters.items()}


# Collectors ---------------------------------------------------------------------------------


def case_deadlines(now: dt.datetime, schedules: Schedules) -> Iterator[Due]:
    """`case_days` before a meeting: members whose case for it is still a draft."""
    # Who and when only: a draft's words are its author's alone.
    drafts = (
        WorkCase.objects.filter(
            status=CaseStatus.DRAFT,
            presenter__is_active=True,
            **_with_prefix(_before(now, schedules, "case_days"), "meeting__"),
        )
        .filter(_still_in_group("presenter_id", "meeting__community_id"))
        .values_list("meeting_id", "presenter_id", "meeting__starts_at", f"meeting__{SCHOOL}")
    )
    for meeting_id, presenter_id, starts_at, school_id in drafts:
        days = schedules.for_school(school_id).case_days
        if window_open(now, reminders.days_before(starts_at, days), until=starts_at):
            yield Due(
                kind=NotificationKind.CASE_DEADLINE,
                event=f"case:{meeting_id}:{start_stamp(starts_at)}",
                recipient_id=presenter_id,
                meeting_id=meeting_id,
                payload={
                    "path": reverse("casework:my_case", args=[meeting_id]),
                    "starts_at": start_stamp(starts_at),
                },
            )


def reflection_prompts(now: dt.datetime, schedules: Schedules) -> Iterator[Due]:
    """`reflection_days` after a meeting: who was present and wrote no reflection on it."""
    written = Reflection.objects.filter(
        meeting_id=OuterRef("meeting_id"), author_id=OuterRef("member_id")
    )
    # Whether a reflection exists, never what it says.
    present = (
        Attendance.objects.filter(
            status=AttendanceStatus.PRESENT,
            member__is_active=True,
            **_after(now, schedules, "reflection_days"),
        )
        .filter(_still_in_group("member_id", "meeting__community_id"), ~Exists(written))
        .values_list("meeting_id", "member_id", "meeting__starts_at", f"meeting__{SCHOOL}")
    )
    for meeting_id, member_id, starts_at, school_id in present:
        days = schedules.for_school(school_id).reflection_days
        if window_open(now, reminders.days_after(starts_at, days)):
            yield Due(
                kind=NotificationKind.REFLECTION_PROMPT,
                event=f"reflection:{meeting_id}",
                recipient_id=member_id,
                meeting_id=meeting_id,
                payload={"path": reverse("casework:reflection", args=[meeting_id])},
            )


def _open_steps(community_ids: set[int]) -> dict[int, list[tuple[int, int]]]:
    """Per PLG, (presenter, meeting number) of every open first small step; one query."""
    steps: dict[int, list[tuple[int, int]]] = defaultdict(list)
    rows = (
        NextStep.objects.filter(
            status=StepStatus.OPEN,
            meeting__community_id__in=community_ids,
            presenter__is_active=True,
        )
        .filter(_still_in_group("presenter_id", "meeting__community_id"))
        .values_list("meeting__community_id", "presenter_id", "meeting__number")
    )
    for community_id, presenter_id, number in rows:
        steps[community_id].append((presenter_id, number))
    return steps


def _presenters_before(steps: list[tuple[int, int]], number: int) -> set[int]:
    """Presenters with an open step from a meeting before meeting `number` (as on its panel)."""
    return {presenter_id for presenter_id, step_number in steps if step_number < number}


def step_follow_ups(now: dt.datetime, schedules: Schedules) -> Iterator[Due]:
    """`step_days` before a PLG's next meeting: presenters with an open first small step."""
    upcoming = []
    for meeting_id, community_id, number, starts_at, school_id in Meeting.objects.filter(
        **_before(now, schedules, "step_days")
    ).values_list("pk", "community_id", "number", "starts_at", SCHOOL):
        days = schedules.for_school(school_id).step_days
        if window_open(now, reminders.days_before(starts_at, days), until=starts_at):
            upcoming.append((meeting_id, community_id, number, starts_at))
    if not upcoming:
        return
    steps = _open_steps({community_id for _pk, community_id, _number, _at in upcoming})
    path = reverse("casework:my_steps")
    for meeting_id, community_id, number, starts_at in upcoming:
        for presenter_id in sorted(_presenters_before(steps[community_id], number)):
            yield Due(
                kind=NotificationKind.STEP_FOLLOW_UP,
                event=f"step:{meeting_id}:{start_stamp(starts_at)}",
                recipient_id=presenter_id,
                meeting_id=meeting_id,
                payload={"path": path, "starts_at": start_stamp(starts_at)},
            )


def reports_overdue(now: dt.datetime, schedules: Schedules) -> Iterator[Due]:
    """`report_days` after a meeting whose phase-6 report is not final: its preparers."""
    final = MeetingReport.objects.filter(
        meeting_id=OuterRef("meeting_id"), status=ReportStatus.FINAL
    )
    preparers = (
        MeetingPreparer.objects.filter(
            user__is_active=True, **_after(now, schedules, "report_days")
        )
        .filter(_still_in_group("user_id", "meeting__community_id"), ~Exists(final))
        .values_list("meeting_id", "user_id", "meeting__starts_at", f"meeting__{SCHOOL}")
    )
    for meeting_id, user_id, starts_at, school_id in preparers:
        days = schedules.for_school(school_id).report_days
        if window_open(now, reminders.days_after(starts_at, days)):
            yield Due(
                kind=NotificationKind.REPORT_OVERDUE,
                event=f"report-overdue:{meeting_id}",
                recipient_id=user_id,
                meeting_id=meeting_id,
                payload={"path": reverse("casework:report", args=[meeting_id])},
            )


# Checks just before sending -----------------------------------------------------------------


def _left_or_moved(rows: list[Notification], now: dt.datetime, *, upcoming: bool) -> set[int]:
    """Rows whose recipient left the PLG's group, whose meeting was cancelled or, for
    `upcoming`, whose meeting moved, started or is no longer to come. One query."""
    gone = {row.pk for row in rows if row.meeting.status == MeetingStatus.CANCELLED}
    if upcoming:
        gone |= {
            row.pk
            for row in rows
            if row.meeting.status not in UPCOMING_STATUSES
            or row.meeting.starts_at <= now
            or row.payload.get("starts_at") != start_stamp(row.meeting.starts_at)
        }
    rest = [row for row in rows if row.pk not in gone]
    if rest:
        members = set(
            Membership.objects.group_members()
            .filter(
                community_id__in={row.meeting.community_id for row in rest},
                user_id__in={row.recipient_id for row in rest},
                user__is_active=True,
            )
            .values_list("community_id", "user_id")
        )
        gone |= {
            row.pk for row in rest if (row.meeting.community_id, row.recipient_id) not in members
        }
    return gone


def _rest(rows: list[Notification], gone: set[int]) -> list[Notification]:
    return [row for row in rows if row.pk not in gone]


def case_deadline_gone(rows: list[Notification], now: dt.datetime) -> set[int]:
    """The case was submitted or removed, the meeting moved or started, or the member left."""
    gone = _left_or_moved(rows, now, upcoming=True)
    rest = _rest(rows, gone)
    if rest:
        drafts = set(
            WorkCase.objects.filter(
                status=CaseStatus.DRAFT,
                meeting_id__in={row.meeting_id for row in rest},
                presenter_id__in={row.recipient_id for row in rest},
            ).values_list("meeting_id", "presenter_id")
        )
        gone |= {row.pk for row in rest if (row.meeting_id, row.recipient_id) not in drafts}
    return gone


def reflection_prompt_gone(rows: list[Notification], now: dt.datetime) -> set[int]:
    """The reflection was written meanwhile, the meeting was cancelled, or the member left."""
    gone = _left_or_moved(rows, now, upcoming=False)
    rest = _rest(rows, gone)
    if rest:
        written = set(
            Reflection.objects.filter(
                meeting_id__in={row.meeting_id for row in rest},
                author_id__in={row.recipient_id for row in rest},
            ).values_list("meeting_id", "author_id")
        )
        gone |= {row.pk for row in rest if (row.meeting_id, row.recipient_id) in written}
    return gone


def step_follow_up_gone(rows: list[Notification], now: dt.datetime) -> set[int]:
    """Every open step was looked back on, the next meeting moved or started, or they left."""
    gone = _left_or_moved(rows, now, upcoming=True)
    rest = _rest(rows, gone)
    if rest:
        steps = _open_steps({row.meeting.community_id for row in rest})
        gone |= {
            row.pk
            for row in rest
            if row.recipient_id
            not in _presenters_before(steps[row.meeting.community_id], row.meeting.number)
        }
    return gone


def report_overdue_gone(rows: list[Notification], now: dt.datetime) -> set[int]:
    """The report became final, the meeting was cancelled, or the recipient no longer prepares
    the meeting or left."""
    gone = _left_or_moved(rows, now, upcoming=False)
    rest = _rest(rows, gone)
    if rest:
        meeting_ids = {row.meeting_id for row in rest}
        final = set(
            MeetingReport.objects.filter(
                meeting_id__in=meeting_ids, status=ReportStatus.FINAL
            ).values_list("meeting_id", flat=True)
        )
        preparers = set(
            MeetingPreparer.objects.filter(meeting_id__in=meeting_ids).values_list(
                "meeting_id", "user_id"
            )
        )
        gone |= {
            row.pk
            for row in rest
            if row.meeting_id in final or (row.meeting_id, row.recipient_id) not in preparers
        }
    return gone


COLLECTORS = {
    NotificationKind.CASE_DEADLINE: case_deadlines,
    NotificationKind.REFLECTION_PROMPT: reflection_prompts,
    NotificationKind.STEP_FOLLOW_UP: step_follow_ups,
    NotificationKind.REPORT_OVERDUE: reports_overdue,
}
CHECKS = {
    NotificationKind.CASE_DEADLINE: case_deadline_gone,
    NotificationKind.REFLECTION_PROMPT: reflection_prompt_gone,
    NotificationKind.STEP_FOLLOW_UP: step_follow_up_gone,
    NotificationKind.REPORT_OVERDUE: report_overdue_gone,
}


def register_all() -> None:
    for kind, collector in COLLECTORS.items():
        reminders.register(kind, collector)
    for kind, check in CHECKS.items():
        reminders.register_check(kind, check)
