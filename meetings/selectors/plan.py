"""Reads for the year plan, the year view and the meeting page."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from communities.models import Holiday, Period
from plg_platform.sql import all_rows, filter_with_related, from_db, table

from ..models import Meeting, MeetingChange, MeetingPreparer

if TYPE_CHECKING:
    from django.db.models import Field

    from communities.models import Community


def year_plan_meetings(community: Community) -> list[Meeting]:
    """The PLG's meetings in order, with their themes, each one's `preparer_names` and `url`.

    The names come from one plain SQL query (plg_platform.sql) rather than a prefetch, whose
    building took 2.5 ms of CPU on every visit of the year view; ordered as the prefetch was
    (MeetingPreparer's ordering, by name), each name as `User.display_name` gives it.
    """
    # Plain SQL too: `community.meetings.select_related("theme")` took 0.5 ms to build.
    meetings = filter_with_related(Meeting, "community", community.pk, ("number",), "theme")
    for meeting in meetings:
        Meeting.community.field.set_cached_value(meeting, community)
    names: dict[int, list[str]] = {meeting.pk: [] for meeting in meetings}
    if meetings:
        sql, deleted_field = _preparers_sql()
        for meeting_id, name, email, deleted_at in all_rows(sql, {"community": community.pk}):
            person = get_user_model()(name=name, email=email)
            person.deleted_at = from_db(deleted_at, deleted_field)
            names[meeting_id].append(person.display_name)
    for meeting in meetings:
        meeting.preparer_names = names[meeting.pk]
        # Linked twice on the year view (timeline and table): reversed once.
        meeting.url = reverse("meetings:meeting", args=[meeting.pk])
    return meetings


@functools.cache
def _preparers_sql() -> tuple[str, Field]:
    preparers, meetings, users = table(MeetingPreparer), table(Meeting), table(get_user_model())
    sql = f"""
        SELECT p.meeting_id, u.name, u.email, u.deleted_at
        FROM {preparers} p
        JOIN {meetings} m ON m.id = p.meeting_id
        JOIN {users} u ON u.id = p.user_id
        WHERE m.community_id = %(community)s
        ORDER BY p.meeting_id, u.name, p.id
    """  # noqa: S608
    return sql, get_user_model()._meta.get_field("deleted_at")


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
        TimelineEntry(kind, first, last, label, *place(first, last))
        for kind, first, last, label in _periods_and_holidays(school_year.pk)
    ]
    for meeting in meetings:
        day = timezone.localtime(meeting.starts_at).date()
        entries.append(TimelineEntry("meeting", day, day, str(meeting), *place(day, day), meeting))
    order = {"period": 0, "holiday": 1, "meeting": 2}
    return sorted(entries, key=lambda entry: (entry.first, order[entry.kind]))


def _periods_and_holidays(school_year_id: int) -> list[tuple[str, dt.date, dt.date, str]]:
    """The school year's periods (by number) and holidays (by first day) in one plain SQL query.

    Two ORM queries took 3 ms of CPU to build on every visit of the year view;
    tests/meetings/test_year_plan_views.py holds this to `periods.all()` and `holidays.all()`.
    """
    sql, date_field = _periods_and_holidays_sql()
    return [
        (
            kind,
            from_db(first, date_field),
            from_db(last, date_field),
            str(Period(number=number)) if kind == "period" else name,
        )
        for kind, number, first, last, name, _pk in all_rows(sql, {"year": school_year_id})
    ]


@functools.cache
def _periods_and_holidays_sql() -> tuple[str, Field]:
    sql = f"""
        SELECT 'period', p.number, p.starts_on, p.ends_on, NULL, p.id
        FROM {table(Period)} p WHERE p.school_year_id = %(year)s
        UNION ALL
        SELECT 'holiday', NULL, h.first_day, h.last_day, h.name, h.id
        FROM {table(Holiday)} h WHERE h.school_year_id = %(year)s
        ORDER BY 1 DESC, 2, 3, 6
    """  # noqa: S608
    return sql, Period._meta.get_field("starts_on")


def meeting_history(meeting: Meeting) -> list[MeetingChange]:
    """The meeting's changes, newest first, each with its actor (None once erased).

    Plain SQL (plg_platform.sql) instead of `meeting.changes.select_related("actor")`, whose
    building cost about 1.5 ms on every planner's visit of the meeting page;
    tests/meetings/test_meeting_history_sql.py holds it to that query.
    """
    return filter_with_related(
        MeetingChange, "meeting", meeting.pk, ("-changed_at", "-id"), "actor"
    )
