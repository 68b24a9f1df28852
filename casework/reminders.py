"""Which reminders about work cases, reflections, first small steps and reports are due now.

The collectors are registered with `meetings.reminders` from CaseworkConfig.ready(). Each reads
what is due at `now` and still applies, in a fixed number of queries whatever the number of
PLGs or members: one for the range of the schools' lead times, then one or two reads bounded by
that range; the exact per-school moment is checked in Python with `window_open`.

Everyone reminded must still be in the PLG's group (not a guest expert) and have an active
account. The payload carries the link only: never a case's or a reflection's words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.db.models import Exists, Max, Min, OuterRef
from django.urls import reverse

from communities.models import Membership
from meetings.models import (
    MAX_DURATION,
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingPreparer,
    NotificationKind,
    ReminderSchedule,
)
from meetings.reminders import GRACE, Due, window_open

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
    from meetings.reminders import Schedules

DAY = dt.timedelta(days=1)
SCHOOL = "community__team__school_id"


def _lead_range(field: str) -> tuple[dt.timedelta, dt.timedelta]:
    """The shortest and longest lead time of `field` over all schools, the default included."""
    default = ReminderSchedule._meta.get_field(field).get_default()
    bounds = ReminderSchedule.objects.aggregate(low=Min(field), high=Max(field))
    low = min(default, bounds["low"]) if bounds["low"] is not None else default
    high = max(default, bounds["high"]) if bounds["high"] is not None else default
    return low * DAY, high * DAY


def _still_in_group(user: str, community: str) -> Exists:
    """The person (OuterRef `user`) is still in the group of the PLG (OuterRef `community`)."""
    return Exists(
        Membership.objects.group_members().filter(
            community_id=OuterRef(community), user_id=OuterRef(user)
        )
    )


def _stamp(moment: dt.datetime) -> str:
    """A meeting's start in an event key: a moved meeting is a new event, reminded again."""
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%MZ")


def _days(schedules: Schedules, school_id: int, field: str) -> dt.timedelta:
    return getattr(schedules.for_school(school_id), field) * DAY


def case_deadlines(now: dt.datetime, schedules: Schedules) -> Iterator[Due]:
    """`case_days` before a meeting: members whose case for it is still a draft."""
    low, high = _lead_range("case_days")
    # Who and when only: a draft's words are its author's alone.
    drafts = (
        WorkCase.objects.filter(
            status=CaseStatus.DRAFT,
            meeting__starts_at__gt=max(now, now + low - GRACE),
            meeting__starts_at__lte=now + high,
            presenter__is_active=True,
        )
        .filter(_still_in_group("presenter_id", "meeting__community_id"))
        .values_list("meeting_id", "presenter_id", "meeting__starts_at", f"meeting__{SCHOOL}")
    )
    for meeting_id, presenter_id, starts_at, school_id in drafts:
        moment = starts_at - _days(schedules, school_id, "case_days")
        if window_open(now, moment, until=starts_at):
            yield Due(
                kind=NotificationKind.CASE_DEADLINE,
                event=f"case:{meeting_id}:{_stamp(starts_at)}",
                recipient_id=presenter_id,
                meeting_id=meeting_id,
                payload={"path": reverse("casework:my_case", args=[meeting_id])},
            )


def _after_meeting_range(now: dt.datetime, field: str) -> dict[str, dt.datetime]:
    """Bounds on `starts_at` for a reminder `field` days after a meeting's end (plus GRACE)."""
    low, high = _lead_range(field)
    return {
        "meeting__starts_at__lte": now - low,
        "meeting__starts_at__gt": now - high - MAX_DURATION - GRACE,
    }


def reflection_prompts(now: dt.datetime, schedules: Schedules) -> Iterator[Due]:
    """`reflection_days` after a meeting: those marked present who wrote no reflection on it."""
    written = Reflection.objects.filter(
        meeting_id=OuterRef("meeting_id"), author_id=OuterRef("member_id")
    )
    # Only who and when: a reflection's words are never read here.
    present = (
        Attendance.objects.filter(
            status=AttendanceStatus.PRESENT,
            member__is_active=True,
            **_after_meeting_range(now, "reflection_days"),
        )
        .filter(_still_in_group("member_id", "meeting__community_id"), ~Exists(written))
        .values_list(
            "meeting_id",
            "member_id",
            "meeting__starts_at",
            "meeting__duration",
            f"meeting__{SCHOOL}",
        )
    )
    for meeting_id, member_id, starts_at, duration, school_id in present:
        moment = starts_at + duration + _days(schedules, school_id, "reflection_days")
        if window_open(now, moment):
            yield Due(
                kind=NotificationKind.REFLECTION_PROMPT,
                event=f"reflection:{meeting_id}",
                recipient_id=member_id,
                meeting_id=meeting_id,
                payload={"path": reverse("casework:reflection", args=[meeting_id])},
            )


def step_follow_ups(now: dt.datetime, schedules: Schedules) -> Iterator[Due]:
    """`step_days` before a PLG's next meeting: presenters with an open first small step."""
    low, high = _lead_range("step_days")
    upcoming = [
        (pk, community_id, number, starts_at)
        for pk, community_id, number, starts_at, school_id in Meeting.objects.filter(
            starts_at__gt=max(now, now + low - GRACE), starts_at__lte=now + high
        ).values_list("pk", "community_id", "number", "starts_at", SCHOOL)
        if window_open(now, starts_at - _days(schedules, school_id, "step_days"), until=starts_at)
    ]
    if not upcoming:
        return
    # Open steps of earlier meetings of the same PLGs, as on the meeting page's panel.
    open_steps: dict[int, list[tuple[int, int]]] = {}
    for presenter_id, community_id, number in (
        NextStep.objects.filter(
            status=StepStatus.OPEN,
            meeting__community_id__in={community_id for _, community_id, _, _ in upcoming},
            presenter__is_active=True,
        )
        .filter(_still_in_group("presenter_id", "meeting__community_id"))
        .values_list("presenter_id", "meeting__community_id", "meeting__number")
    ):
        open_steps.setdefault(community_id, []).append((presenter_id, number))
    path = reverse("casework:my_steps")
    for meeting_id, community_id, number, starts_at in upcoming:
        presenters = {
            presenter_id
            for presenter_id, step_number in open_steps.get(community_id, [])
            if step_number < number
        }
        for presenter_id in sorted(presenters):
            yield Due(
                kind=NotificationKind.STEP_FOLLOW_UP,
                event=f"step:{meeting_id}:{_stamp(starts_at)}",
                recipient_id=presenter_id,
                meeting_id=meeting_id,
                payload={"path": path},
            )


def reports_overdue(now: dt.datetime, schedules: Schedules) -> Iterator[Due]:
    """`report_days` after a meeting whose phase-6 report is not final: its preparers."""
    final = MeetingReport.objects.filter(
        meeting_id=OuterRef("meeting_id"), status=ReportStatus.FINAL
    )
    preparers = (
        MeetingPreparer.objects.filter(
            user__is_active=True, **_after_meeting_range(now, "report_days")
        )
        .filter(_still_in_group("user_id", "meeting__community_id"), ~Exists(final))
        .values_list(
            "meeting_id", "user_id", "meeting__starts_at", "meeting__duration", f"meeting__{SCHOOL}"
        )
    )
    for meeting_id, user_id, starts_at, duration, school_id in preparers:
        moment = starts_at + duration + _days(schedules, school_id, "report_days")
        if window_open(now, moment):
            yield Due(
                kind=NotificationKind.REPORT_OVERDUE,
                event=f"report-overdue:{meeting_id}",
                recipient_id=user_id,
                meeting_id=meeting_id,
                payload={"path": reverse("casework:report", args=[meeting_id])},
            )


COLLECTORS = {
    NotificationKind.CASE_DEADLINE: case_deadlines,
    NotificationKind.REFLECTION_PROMPT: reflection_prompts,
    NotificationKind.STEP_FOLLOW_UP: step_follow_ups,
    NotificationKind.REPORT_OVERDUE: reports_overdue,
}
