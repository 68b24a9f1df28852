"""The meetings' own reminders: what is due now, and what no longer applies at sending time.

Registered from MeetingsConfig.ready(). Every collector and check runs a fixed number of queries
whatever the number of PLGs, meetings or members (the benchmark counts them).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from communities.models import Membership

from . import reminders
from .models import (
    AbsenceRequest,
    AbsenceStatus,
    Meeting,
    MeetingPreparer,
    MeetingStatus,
    NotificationKind,
)
from .reminders import Due, Schedules

if TYPE_CHECKING:
    from .models import Notification

# Only a meeting that is still to come gets reminders; a held (or cancelled) one does not.
UPCOMING_STATUSES = (MeetingStatus.PLANNED, MeetingStatus.PREPARED)
# The lead of a reminder is part of its event; the school may change the number of days.
FIRST, SECOND = "first", "second"


def start_stamp(starts_at: dt.datetime) -> str:
    """The start of a meeting as it is written into events and payloads (UTC, ISO 8601)."""
    return starts_at.astimezone(dt.UTC).isoformat()


def meeting_payload(meeting: Meeting) -> dict[str, object]:
    """What a meeting reminder links to and shows, as it was when the reminder was due."""
    return {
        "path": reverse("meetings:meeting", kwargs={"pk": meeting.pk}),
        "starts_at": start_stamp(meeting.starts_at),
    }


def _candidates(now: dt.datetime, days: int):
    """Meetings still to come within `days` (plus a margin for the reminder's early hour)."""
    return (
        Meeting.objects.filter(
            status__in=UPCOMING_STATUSES,
            starts_at__gt=now,
            starts_at__lte=now + dt.timedelta(days=days + 2),
        )
        .select_related("community__team")
        .order_by("starts_at", "pk")
    )


def _group_members(community_ids: set[int]) -> dict[int, list[int]]:
    """The user ids of each PLG's group members (guests and inactive accounts left out)."""
    members: dict[int, list[int]] = defaultdict(list)
    rows = (
        Membership.objects.group_members()
        .filter(community_id__in=community_ids, user__is_active=True)
        .values_list("community_id", "user_id")
    )
    for community_id, user_id in rows:
        members[community_id].append(user_id)
    return members


def meeting_upcoming(now: dt.datetime, schedules: Schedules) -> Iterator[Due]:
    """Every group member, the school's first and second lead time before a meeting."""
    longest = schedules.longest("meeting_first_days", "meeting_second_days")
    due: list[tuple[Meeting, str, int]] = []
    for meeting in _candidates(now, longest):
        schedule = schedules.for_school(meeting.community.team.school_id)
        for lead, days in (
            (FIRST, schedule.meeting_first_days),
            (SECOND, schedule.meeting_second_days),
        ):
            moment = reminders.days_before(meeting.starts_at, days)
            if reminders.window_open(now, moment, until=meeting.starts_at):
                due.append((meeting, lead, days))
    if not due:
        return
    members = _group_members({meeting.community_id for meeting, _lead, _days in due})
    # Someone the team leader excused is not reminded to come.
    excused = set(
        AbsenceRequest.objects.filter(
            meeting_id__in={meeting.pk for meeting, _lead, _days in due},
            status=AbsenceStatus.APPROVED,
        ).values_list("meeting_id", "member_id")
    )
    for meeting, lead, days in due:
        payload = {
            **meeting_payload(meeting),
            "absence_path": reverse("meetings:absence_request", kwargs={"pk": meeting.pk}),
            "lead": lead,
            "days": days,
        }
        event = f"meeting:{meeting.pk}:{start_stamp(meeting.starts_at)}:{lead}"
        for user_id in members.get(meeting.community_id, []):
            if (meeting.pk, user_id) in excused:
                continue
            yield Due(
                kind=NotificationKind.MEETING_UPCOMING,
                event=event,
                recipient_id=user_id,
                meeting_id=meeting.pk,
                payload=payload,
            )


def prepare_meeting(now: dt.datetime, schedules: Schedules) -> Iterator[Due]:
    """The meeting's preparers, the school's lead time before it (or when assigned later)."""
    longest = schedules.longest("prepare_days")
    due: dict[int, Meeting] = {}
    for meeting in _candidates(now, longest):
        days = schedules.for_school(meeting.community.team.school_id).prepare_days
        # Until the meeting starts, so a preparer assigned after the moment is still told.
        if reminders.days_before(meeting.starts_at, days) <= now < meeting.starts_at:
            due[meeting.pk] = meeting
    if not due:
        return
    still_member = Membership.objects.group_members().filter(
        community_id=OuterRef("meeting__community_id"), user_id=OuterRef("user_id")
    )
    preparers = MeetingPreparer.objects.filter(
        Exists(still_member), meeting_id__in=list(due), user__is_active=True
    ).values_list("meeting_id", "user_id")
    for meeting_id, user_id in preparers:
        meeting = due[meeting_id]
        # The local day, not the hour: a meeting moved within its day is not prepared again.
        day = timezone.localdate(meeting.starts_at).isoformat()
        yield Due(
            kind=NotificationKind.PREPARE_MEETING,
            event=f"meeting:{meeting_id}:{day}:prepare",
            recipient_id=user_id,
            meeting_id=meeting_id,
            payload={
                **meeting_payload(meeting),
                "phase0_path": reverse("meetings:meeting_phase0", kwargs={"pk": meeting_id}),
                "agenda_path": reverse("meetings:meeting_agenda", kwargs={"pk": meeting_id}),
            },
        )


def _moved(row: Notification, *, by_day: bool) -> bool:
    was = row.payload.get("starts_at")
    if not by_day:
        return was != start_stamp(row.meeting.starts_at)
    try:
        was_day = timezone.localdate(dt.datetime.fromisoformat(str(was)))
    except ValueError:
        return True
    return was_day != timezone.localdate(row.meeting.starts_at)


def _meeting_gone(rows: list[Notification], now: dt.datetime, *, by_day: bool) -> set[int]:
    """Rows whose meeting moved, is no longer upcoming, or whose recipient left the PLG."""
    gone = {
        row.pk
        for row in rows
        if row.meeting.status not in UPCOMING_STATUSES
        or row.meeting.starts_at <= now
        or _moved(row, by_day=by_day)
    }
    rest = [row for row in rows if row.pk not in gone]
    if rest:
        members = set(
            Membership.objects.group_members()
            .filter(
                community_id__in={row.meeting.community_id for row in rest},
                user_id__in={row.recipient_id for row in rest},
            )
            .values_list("community_id", "user_id")
        )
        gone |= {
            row.pk for row in rest if (row.meeting.community_id, row.recipient_id) not in members
        }
    return gone


def meeting_upcoming_gone(rows: list[Notification], now: dt.datetime) -> set[int]:
    """Also drop the reminder of someone excused after it was recorded (e.g. in a digest)."""
    gone = _meeting_gone(rows, now, by_day=False)
    rest = [row for row in rows if row.pk not in gone]
    if rest:
        excused = set(
            AbsenceRequest.objects.filter(
                meeting_id__in={row.meeting_id for row in rest},
                member_id__in={row.recipient_id for row in rest},
                status=AbsenceStatus.APPROVED,
            ).values_list("meeting_id", "member_id")
        )
        gone |= {row.pk for row in rest if (row.meeting_id, row.recipient_id) in excused}
    return gone


def prepare_meeting_gone(rows: list[Notification], now: dt.datetime) -> set[int]:
    gone = _meeting_gone(rows, now, by_day=True)
    rest = [row for row in rows if row.pk not in gone]
    if rest:
        preparers = set(
            MeetingPreparer.objects.filter(
                meeting_id__in={row.meeting_id for row in rest},
                user_id__in={row.recipient_id for row in rest},
            ).values_list("meeting_id", "user_id")
        )
        gone |= {row.pk for row in rest if (row.meeting_id, row.recipient_id) not in preparers}
    return gone


def absence_submitted_gone(rows: list[Notification], now: dt.datetime) -> set[int]:
    """A request withdrawn or decided before the team leader's notice went out."""
    pending = set(
        AbsenceRequest.objects.filter(
            pk__in={row.payload.get("absence_id") for row in rows},
            status=AbsenceStatus.PENDING,
        ).values_list("pk", flat=True)
    )
    return {row.pk for row in rows if row.payload.get("absence_id") not in pending}


def register_all() -> None:
    reminders.register(NotificationKind.MEETING_UPCOMING, meeting_upcoming)
    reminders.register(NotificationKind.PREPARE_MEETING, prepare_meeting)
    reminders.register_check(NotificationKind.MEETING_UPCOMING, meeting_upcoming_gone)
    reminders.register_check(NotificationKind.PREPARE_MEETING, prepare_meeting_gone)
    reminders.register_check(NotificationKind.ABSENCE_SUBMITTED, absence_submitted_gone)
