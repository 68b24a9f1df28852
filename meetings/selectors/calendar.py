"""Reads for the theme calendar: calendar subscriptions and the iCalendar files built from them."""

from __future__ import annotations

import datetime as dt
import functools
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, vDuration

from communities.models import Community, Membership, Team
from plg_platform.links import absolute_url
from plg_platform.sql import filter_with_related, select_with_related, table

from ..models import CalendarFeed, Meeting, MeetingChange, MeetingStatus

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.db.models import QuerySet

    from plg_platform.users.models import User

    from ..permissions import MeetingAccess

# Calendar apps are asked to look again every few hours (Google decides for itself).
REFRESH_INTERVAL = dt.timedelta(hours=4)


def _uid_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "plg.invalid"


def calendar_feed_of(user: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user).first()


def calendar_feed_for_token(token: str) -> CalendarFeed | None:
    """The subscription behind a secret address, if it is still on and its owner still active."""
    # Plain SQL (plg_platform.sql): calendar apps ask for every subscription every few hours.
    found = filter_with_related(CalendarFeed, "token", token, (), "user")
    return found[0] if found and found[0].user.is_active else None


def calendar_feed_url(feed: CalendarFeed) -> str:
    """The absolute subscription address to paste into a calendar app."""
    return absolute_url(reverse("meetings:calendar_feed", kwargs={"token": feed.token}))


def calendar_feed_meetings(user: User) -> QuerySet[Meeting]:
    """The meetings in a user's subscription, in date order.

    All meetings of the PLGs the user belongs to, and the meetings where the team leader is
    expected (1 and 6) of the PLGs of the teams the user leads.
    """
    member = Membership.objects.filter(community=OuterRef("community_id"), user=user)
    leads_team = Team.leaders.through.objects.filter(
        team_id=OuterRef("community__team_id"), user=user
    )
    last_changed = (
        MeetingChange.objects.filter(meeting=OuterRef("pk"))
        .order_by("-changed_at")
        .values("changed_at")[:1]
    )
    return (
        Meeting.objects.filter(Q(Exists(member)) | Q(Exists(leads_team), team_leader_expected=True))
        .select_related("community", "theme")
        .annotate(last_changed=Subquery(last_changed))
        .order_by("starts_at", "pk")
    )


def calendar_feed_events(user: User) -> list[Meeting]:
    """`calendar_feed_meetings(user)`, with its PLG, theme and `last_changed`, in one plain query
    built once per process (plg_platform.sql). The ORM took about 2 ms of CPU to build it, on a
    feed that calendar apps fetch for every subscriber every few hours.
    tests/meetings/test_calendar_feed_events.py holds it to `calendar_feed_meetings`."""
    changed_at = MeetingChange._meta.get_field("changed_at")
    return select_with_related(
        Meeting,
        f"EXISTS (SELECT 1 FROM {table(Membership)} m"  # noqa: S608
        " WHERE m.community_id = t0.community_id AND m.user_id = %(user)s)"
        " OR (t0.team_leader_expected"
        f" AND EXISTS (SELECT 1 FROM {table(Community)} c"
        f" JOIN {table(Team.leaders.through)} l ON l.team_id = c.team_id"
        " WHERE c.id = t0.community_id AND l.user_id = %(user)s))",
        {"user": user.pk},
        order=("starts_at", "id"),
        paths=("community", "theme"),
        extra=(
            (
                "last_changed",
                f"(SELECT MAX(h.changed_at) FROM {table(MeetingChange)} h"  # noqa: S608
                " WHERE h.meeting_id = t0.id)",
                changed_at,
            ),
        ),
    )


def subscription_page(user: User) -> dict[str, object]:
    """Context for the subscription page: the address (if any) and what it holds."""
    feed = calendar_feed_of(user)
    context: dict[str, object] = {
        "feed": feed,
        "leads_a_team": user.led_teams.exists(),
        "meeting_count": calendar_feed_meetings(user).count(),
    }
    if feed is not None:
        url = calendar_feed_url(feed)
        context["feed_url"] = url
        context["webcal_url"] = urlunsplit(urlsplit(url)._replace(scheme="webcal"))
    return context


def meeting_summary(meeting: Meeting) -> str:
    """The event title, e.g. "Theme meeting 3: Bullying (Feedback)", in the active language."""
    theme = _meeting_theme(meeting)
    if theme:
        return _("%(meeting)s: %(theme)s (%(plg)s)") % {
            "meeting": meeting,
            "theme": theme,
            "plg": meeting.community.name,
        }
    return _("%(meeting)s (%(plg)s)") % {"meeting": meeting, "plg": meeting.community.name}


def _meeting_theme(meeting: Meeting) -> str:
    if meeting.theme is not None:
        return meeting.theme.title
    if meeting.is_evaluation:
        return _("Evaluation of the year")
    return ""


def _meeting_description(meeting: Meeting, url: str) -> str:
    def line(label: str, value: str) -> str:
        return f"{label}: {value}"

    lines = [
        line(_("Theme"), _meeting_theme(meeting) or _("to be chosen at meeting 1")),
        line(_("PLG"), meeting.community.name),
    ]
    if meeting.location:
        lines.append(line(_("Room"), meeting.location))
    if meeting.team_leader_expected:
        lines.append(_("The team leader is present at this meeting."))
    lines += ["", line(_("Meeting page"), url)]
    return "\n".join(lines)


def meeting_event(meeting: Meeting, *, stamp: dt.datetime) -> Event:
    """One meeting as a VEVENT; its UID never changes, its SEQUENCE grows with every change."""
    amsterdam = ZoneInfo(settings.TIME_ZONE)
    url = absolute_url(reverse("meetings:meeting", kwargs={"pk": meeting.pk}))
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@{_uid_host()}")
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", stamp)
    last_changed = getattr(meeting, "last_changed", None)
    if last_changed is not None:
        event.add("last-modified", last_changed.astimezone(dt.UTC))
    event.add("dtstart", timezone.localtime(meeting.starts_at, amsterdam))
    event.add("dtend", timezone.localtime(meeting.ends_at, amsterdam))
    event.add("summary", meeting_summary(meeting))
    if meeting.location:
        event.add("location", meeting.location)
    event.add("description", _meeting_description(meeting, url))
    event.add("url", url)
    event.add("status", "CANCELLED" if meeting.status == MeetingStatus.CANCELLED else "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event


def _calendar(meetings: Iterable[Meeting], *, name: str | None) -> bytes:
    language = translation.get_language() or settings.LANGUAGE_CODE
    calendar = Calendar()
    calendar.add("prodid", f"-//PLG platform//Theme meetings//{language.upper()}")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("name", name)
        calendar.add("x-wr-timezone", settings.TIME_ZONE)
        calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(REFRESH_INTERVAL))
    stamp = timezone.now().astimezone(dt.UTC).replace(microsecond=0)
    years = []
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, stamp=stamp))
        years.append(timezone.localtime(meeting.starts_at).year)
    if years:
        # A VTIMEZONE for the years around the meetings keeps the file small and exact; every
        # time in the file but the UTC stamps is in this one zone.
        calendar.subcomponents.insert(
            0, _vtimezone(settings.TIME_ZONE, min(years) - 1, max(years) + 2)
        )
    return calendar.to_ical()


@functools.lru_cache(maxsize=16)
def _vtimezone(tzid: str, first_year: int, last_year: int) -> Timezone:
    """The zone's VTIMEZONE from 1 January of the first year to that of the last. Working it out
    took a tenth of the feed's time; icalendar asks for it to be cached. It is only read."""
    return Timezone.from_tzid(
        tzid, first_date=dt.date(first_year, 1, 1), last_date=dt.date(last_year, 1, 1)
    )


def calendar_feed_ical(feed: CalendarFeed) -> bytes:
    """The whole subscription as an iCalendar file, in the language of its owner."""
    with translation.override(feed.user.language):
        return _calendar(calendar_feed_events(feed.user), name=_("PLG theme meetings"))


def meeting_ical(meeting: Meeting) -> bytes:
    """One meeting as an iCalendar file to download, in the active language."""
    return _calendar([meeting], name=None)


def meeting_ical_filename(meeting: Meeting) -> str:
    """E.g. "theme-meeting-3-feedback.ics" (in the active language)."""
    return f"{slugify(f'{meeting} {meeting.community.name}') or 'meeting'}.ics"


def meeting_panel(meeting: Meeting, user: User, access: MeetingAccess) -> dict[str, object]:
    """Context for this area's section of the meeting page: it only needs the meeting itself."""
    return {}
