"""Template context for the navigation bar: the signed-in person's unread notifications."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def notifications(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from .selectors.notifications import unread_count

    # Lazy: only pages that render the navigation pay, with one COUNT query.
    return {"nav_unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
