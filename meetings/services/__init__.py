"""Writes for the yearly theme calendar, one module per area.

The year-plan contract is importable from here: meetings.services.year_plan_create.
"""

from .plan import meeting_cancel, meeting_move, theme_library_ensure, year_plan_create

__all__ = ["meeting_cancel", "meeting_move", "theme_library_ensure", "year_plan_create"]
