"""The viewer's own rows of one meeting, kept with the meeting when the meeting page read them
together with its small numbers (selectors.panel), so the areas do not read them again."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from meetings.models import Meeting
    from plg_platform.users.models import User

_ATTRIBUTE = "casework_own_rows"


def remember(meeting: Meeting, user: User, rows: dict[str, Any]) -> None:
    """Keep the user's rows (None where they have none) for this meeting object only."""
    setattr(meeting, _ATTRIBUTE, (user.pk, rows))


def remembered(meeting: Meeting, user: User, name: str) -> tuple[bool, Any]:
    """Return (True, row) when the row was read for this user, else (False, None)."""
    stored = getattr(meeting, _ATTRIBUTE, None)
    if stored is None or stored[0] != user.pk or name not in stored[1]:
        return False, None
    return True, stored[1][name]
