"""Template context for the navigation bar."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .permissions import is_school_admin, leads_a_team


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: only the pages that render the navigation pay for the queries.
    return {
        "nav_is_school_admin": SimpleLazyObject(lambda: is_school_admin(user)),
        "nav_leads_team": SimpleLazyObject(lambda: leads_a_team(user)),
    }
