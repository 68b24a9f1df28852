"""Site-wide views."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe

from .privacy import DEFAULT_RETENTION_YEARS
from .responses import json_response

# A load balancer polls often; a broker that takes longer than this counts as down.
BROKER_TIMEOUT = 2


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        return False
    return True


def _broker_ok() -> bool:
    # Imported here: the web process needs Celery only for this check and for enqueueing.
    from .celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT)
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        return False
    return True


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """Tell a load balancer whether the database and the broker answer, without any detail."""
    database_ok = _database_ok()
    status = {
        "database": "ok" if database_ok else "error",
        "broker": "ok" if _broker_ok() else "error",
    }
    # Only the database decides: requests still work without the broker (their work waits in
    # the outbox for the sweep, see plg_platform/queue.py), so a Redis outage must not take
    # every web server out of the load balancer. Monitoring reads "broker" from the JSON.
    return json_response(status, status=200 if database_ok else 503)


@require_safe
@cache_control(max_age=60 * 60 * 24)
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Ask search engines to stay out: every page is behind a sign-in or a secret link."""
    return HttpResponse("User-agent: *\nDisallow: /\n", content_type="text/plain")


def not_found(request: HttpRequest) -> HttpResponse:
    """Answer 404 for an allauth page this platform does not offer."""
    raise Http404


def privacy(request: HttpRequest) -> HttpResponse:
    """Say in plain words what is stored, who sees what, and for how long (open to everyone)."""
    return render(
        request,
        "privacy.html",
        {
            "default_years": DEFAULT_RETENTION_YEARS,
            "page_cache_seconds": settings.PAGE_CACHE_SECONDS,
            "feed_minutes": settings.CALENDAR_FEED_MAX_AGE // 60,
        },
    )
