"""Reads for the year plan, the year view and the meeting page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Prefetch
from django.utils import timezone

from ..models import Meeting, MeetingChange, MeetingPreparer

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from communities.models import Community


def year_plan_meetings(community: Community) -> QuerySet[Meeting]:
    return (
        community.meetings.select_related("theme")
        .prefetch_related(
            Prefetch("preparers", queryset=MeetingPreparer.objects.select_related("user"))
        )
        .order_by("number")
    )


@dataclass(frozen=True)
class TimelineEntry:
    """One thing on the year view: a period, a holiday or a meeting, with its place on the bar."""

    kind: str  # "period", "holiday" or "meeting"
    first: dt.date
    last: dt.date
    label: str
    offset: float  # percent of the school year from its first day
    width: float  # percent of the school year
    meeting: Meeting | None = None


def year_timeline(community: Community, meetings: list[Meeting]) -> list[TimelineEntry]:
    """The school year as a timeline, in date order (periods, holidays and the six meetings)."""
    school_year = community.school_year
    total = (school_year.ends_on - school_year.starts_on).days + 1

    def place(first: dt.date, last: dt.date) -> tuple[float, float]:
        first = max(first, school_year.starts_on)
        last = min(last, school_year.ends_on)
        offset = (first - school_year.starts_on).days / total * 100
        width = max(((last - first).days + 1) / total * 100, 0.6)
        return round(offset, 2), round(width, 2)

    entries = [
        TimelineEntry("period", p.starts_on, p.ends_on, str(p), *place(p.starts_on, p.ends_on))
        for p in school_year.periods.all()
    ]
    entries += [
        TimelineEntry("holiday", h.first_day, h.last_day, h.name, *place(h.first_day, h.last_day))
        for h in school_year.holidays.all()
    ]
    for meeting in meetings:
        day = timezone.localtime(meeting.starts_at).date()
        entries.append(TimelineEntry("meeting", day, day, str(meeting), *place(day, day), meeting))
    order = {"period": 0, "holiday": 1, "meeting": 2}
    return sorted(entries, key=lambda entry: (entry.first, order[entry.kind]))


def meeting_history(meeting: Meeting) -> QuerySet[MeetingChange]:
    return meeting.changes.select_related("actor").order_by("-changed_at", "-pk")
