"""Reads for the theme calendar: calendar subscriptions and the iCalendar files built from them."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vDuration

from communities.models import Membership, Team
from plg_platform.links import absolute_url

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
    return (
        CalendarFeed.objects.select_related("user")
        .filter(token=token, user__is_active=True)
        .first()
    )


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
        # A VTIMEZONE for the years around the meetings keeps the file small and exact.
        calendar.add_missing_timezones(
            first_date=dt.date(min(years) - 1, 1, 1), last_date=dt.date(max(years) + 2, 1, 1)
        )
    return calendar.to_ical()


def calendar_feed_ical(feed: CalendarFeed) -> bytes:
    """The whole subscription as an iCalendar file, in the language of its owner."""
    with translation.override(feed.user.language):
        return _calendar(calendar_feed_meetings(feed.user), name=_("PLG theme meetings"))


def meeting_ical(meeting: Meeting) -> bytes:
    """One meeting as an iCalendar file to download, in the active language."""
    return _calendar([meeting], name=None)


def meeting_ical_filename(meeting: Meeting) -> str:
    """E.g. "theme-meeting-3-feedback.ics" (in the active language)."""
    return f"{slugify(f'{meeting} {meeting.community.name}') or 'meeting'}.ics"


def meeting_panel(meeting: Meeting, user: User, access: MeetingAccess) -> dict[str, object]:
    """Context for this area's section of the meeting page: it only needs the meeting itself."""
    return {}
