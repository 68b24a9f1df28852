"""Reads for first small steps: one's own list, one step to look back on, the meeting-page panel.

A step is read by its presenter here; the presenter's small group reads it at the next meeting's
phase 4 (selectors.live.earlier_first_steps).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.shortcuts import get_object_or_404

from ..models import NextStep, StepStatus
from ..permissions import run_of

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from meetings.models import Meeting
    from plg_platform.users.models import User

    from ..permissions import CaseworkAccess


def _steps() -> QuerySet[NextStep]:
    return NextStep.objects.select_related("note", "meeting__community", "meeting__theme")


def own_steps(user: User) -> list[NextStep]:
    """The user's first small steps as a presenter, newest meeting first."""
    return list(_steps().filter(presenter=user).order_by("-meeting__starts_at", "-pk"))


def get_own_step(user: User, pk: int) -> NextStep:
    """A first small step of the user's own; 404 for anyone else's."""
    return get_object_or_404(_steps(), pk=pk, presenter=user)


def meeting_panel(meeting: Meeting, user: User, access: CaseworkAccess) -> dict[str, object]:
    """Before a meeting: the viewer's open steps from earlier meetings; after it: this one's."""
    context: dict[str, object] = {"steps_to_review": [], "steps_here": []}
    if not access.member:
        return context
    run = run_of(meeting)
    if run is None and not meeting.has_taken_place:
        context["steps_to_review"] = list(
            _steps()
            .filter(
                presenter=user,
                status=StepStatus.OPEN,
                meeting__community_id=meeting.community_id,
                meeting__number__lt=meeting.number,
            )
            .order_by("-meeting__number")
        )
    else:
        context["steps_here"] = list(_steps().filter(meeting=meeting, presenter=user))
    return context
