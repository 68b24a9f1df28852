"""Reads for the theme calendar: themes."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from plg_platform.users.models import User

    from ..models import Meeting
    from ..permissions import MeetingAccess


def meeting_panel(meeting: Meeting, user: User, access: MeetingAccess) -> dict[str, object]:
    """Context for this area's section of the meeting page (templates/meetings/meeting/_themes.html)."""
    return {}
