"""Thin views for the theme calendar: the subscription page, the feed and per-meeting .ics files."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, re_path
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST, require_safe

from communities.page_cache import kept_for

from ..forms.calendar import CalendarFeedRegenerateForm, CalendarFeedRevokeForm
from ..permissions import get_meeting_for
from ..selectors import calendar as selectors
from ..services import calendar as services

ICALENDAR = "text/calendar; charset=utf-8"


def _subscription_page(
    request: HttpRequest,
    *,
    regenerate_form: CalendarFeedRegenerateForm | None = None,
    revoke_form: CalendarFeedRevokeForm | None = None,
) -> HttpResponse:
    context = selectors.subscription_page(request.user)
    context["regenerate_form"] = regenerate_form or CalendarFeedRegenerateForm()
    context["revoke_form"] = revoke_form or CalendarFeedRevokeForm()
    response = render(request, "meetings/calendar/subscription.html", context)
    # The page shows a secret address: keep it out of shared caches and referrers.
    patch_cache_control(response, private=True, no_store=True)
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@login_required
@require_GET
def calendar_subscription(request: HttpRequest) -> HttpResponse:
    return _subscription_page(request)


@login_required
@require_POST
def calendar_feed_create(request: HttpRequest) -> HttpResponse:
    services.calendar_feed_create(user=request.user)
    messages.success(request, _("Your calendar address is ready. Add it to your calendar app."))
    return redirect("meetings:calendar_subscription")


@login_required
@require_POST
def calendar_feed_regenerate(request: HttpRequest) -> HttpResponse:
    form = CalendarFeedRegenerateForm(request.POST)
    if not form.is_valid():
        return _subscription_page(request, regenerate_form=form)
    services.calendar_feed_regenerate(user=request.user)
    messages.success(
        request,
        _(
            "You have a new calendar address. The old one no longer works: "
            "subscribe again with the new one."
        ),
    )
    return redirect("meetings:calendar_subscription")


@login_required
@require_POST
def calendar_feed_revoke(request: HttpRequest) -> HttpResponse:
    form = CalendarFeedRevokeForm(request.POST)
    if not form.is_valid():
        return _subscription_page(request, revoke_form=form)
    if services.calendar_feed_revoke(user=request.user):
        messages.success(request, _("Your calendar address has been switched off."))
    else:
        messages.info(request, _("You had no calendar address to switch off."))
    return redirect("meetings:calendar_subscription")


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The subscription itself: no sign-in, the secret token is the key."""
    feed = selectors.calendar_feed_for_token(token)
    if feed is None:
        raise Http404
    # Calendar apps ask for it again and again, mostly when nothing has changed: kept as long
    # as the answer says apps may keep it, while nothing in the owner's schools changes.
    body = kept_for(
        feed.user,
        ("calendar feed", feed.pk, feed.token, feed.user.language),
        lambda: selectors.calendar_feed_ical(feed),
        seconds=settings.CALENDAR_FEED_MAX_AGE,
    )
    response = HttpResponse(body, content_type=ICALENDAR)
    response.headers["Content-Language"] = feed.user.language
    response.headers["Content-Disposition"] = content_disposition_header(
        as_attachment=False, filename="plg.ics"
    )
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    patch_cache_control(response, private=True, max_age=settings.CALENDAR_FEED_MAX_AGE)
    return response


@login_required
@require_safe
def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """One meeting to add to a calendar by hand."""
    meeting = get_meeting_for(request.user, pk)
    response = HttpResponse(selectors.meeting_ical(meeting), content_type=ICALENDAR)
    response.headers["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=selectors.meeting_ical_filename(meeting)
    )
    patch_cache_control(response, private=True, no_cache=True)
    return response


urlpatterns: list[URLPattern] = [
    path("calendar/", calendar_subscription, name="calendar_subscription"),
    path("calendar/create/", calendar_feed_create, name="calendar_feed_create"),
    path("calendar/regenerate/", calendar_feed_regenerate, name="calendar_feed_regenerate"),
    path("calendar/revoke/", calendar_feed_revoke, name="calendar_feed_revoke"),
    # Only token-shaped addresses reach the database (secrets.token_urlsafe: A-Z a-z 0-9 - _).
    re_path(
        r"^calendar/(?P<token>[A-Za-z0-9_-]{16,64})\.ics$", calendar_feed, name="calendar_feed"
    ),
    path("meeting/<int:pk>/ics", meeting_ics, name="meeting_ics"),
]
