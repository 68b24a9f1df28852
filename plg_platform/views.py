"""Site-wide views."""

from __future__ import annotations

from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """Tell a load balancer whether the database answers, without any detail."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        ok = True
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        ok = False
    return JsonResponse({"database": "ok" if ok else "error"}, status=200 if ok else 503)


def not_found(request: HttpRequest) -> HttpResponse:
    """Answer 404 for an allauth page this platform does not offer."""
    raise Http404
