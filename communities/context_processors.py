"""Template context for the navigation bar."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .permissions import navigation_roles


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy and shared: only pages that render the navigation pay, and only one query.
    roles = SimpleLazyObject(lambda: navigation_roles(user))
    return {
        "nav_is_school_admin": SimpleLazyObject(lambda: roles["is_school_admin"]),
        "nav_leads_team": SimpleLazyObject(lambda: roles["leads_team"]),
        "nav_leads_plg": SimpleLazyObject(lambda: roles["leads_plg"]),
        "nav_decides_absence": SimpleLazyObject(lambda: roles["decides_absence"]),
    }
