"""Template context for the navigation bar."""

from __future__ import annotations

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, object]:
    from communities.permissions import is_school_admin

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    # Lazy: only the pages that render the navigation pay for the query.
    class _Lazy:
        _value: bool | None = None

        def __bool__(self) -> bool:
            if self._value is None:
                self._value = is_school_admin(user)
            return self._value

    return {"nav_is_school_admin": _Lazy()}
