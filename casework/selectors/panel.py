"""The case-session section of the meeting page: each area adds its part."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..permissions import casework_access
from . import cases, evaluations, groups, live, reflections, reports, steps

if TYPE_CHECKING:
    from meetings.models import Meeting
    from meetings.permissions import MeetingAccess
    from plg_platform.users.models import User

AREAS = (cases, groups, live, steps, reflections, evaluations, reports)


def meeting_panel(meeting: Meeting, user: User, access: MeetingAccess) -> dict[str, object]:
    """Context for templates/casework/meeting/_casework.html (one access check for all areas)."""
    casework = casework_access(user, meeting)
    context: dict[str, object] = {"casework": casework}
    for area in AREAS:
        context.update(area.meeting_panel(meeting, user, casework))
    return context
