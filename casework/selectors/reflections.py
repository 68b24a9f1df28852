"""Reads for reflections. A private reflection is read by its author only: every read here
either filters on the author or on `shared`, and passes casework.permissions before it is shown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from communities.models import LearningQuestion

from ..models import Reflection
from ..permissions import CaseworkAccess, can_read_reflection
from ..services.reflections import reflection_can_be_written
from . import own

if TYPE_CHECKING:
    from meetings.models import Meeting
    from plg_platform.users.models import User


def own_reflection(meeting: Meeting, user: User) -> Reflection | None:
    found, reflection = own.remembered(meeting, user, "reflection")
    if found:
        return reflection
    return Reflection.objects.filter(meeting=meeting, author=user).first()


def own_learning_question(meeting: Meeting, user: User) -> LearningQuestion | None:
    """The user's own learning question in the meeting's PLG, shown beside their reflection."""
    return LearningQuestion.objects.filter(
        membership__community_id=meeting.community_id, membership__user=user
    ).first()


def shared_reflections(meeting: Meeting, user: User, access: CaseworkAccess) -> list[Reflection]:
    """The reflections on a meeting their authors shared with the PLG, oldest first."""
    reflections = (
        Reflection.objects.filter(meeting=meeting, shared=True)
        .select_related("author")
        .order_by("created_at", "pk")
    )
    return [r for r in reflections if can_read_reflection(r, user, access)]


def my_reflections(user: User) -> list[Reflection]:
    """The user's own reflections across meetings, newest meeting first."""
    return list(
        Reflection.objects.filter(author=user)
        .select_related("meeting__community__school_year")
        .order_by("-meeting__starts_at", "-pk")
    )


def meeting_panel(meeting: Meeting, user: User, access: CaseworkAccess) -> dict[str, object]:
    """Context for templates/casework/meeting/_reflections.html, in a fixed number of queries."""
    context: dict[str, object] = {
        "reflections_open": False,
        "reflections_own": None,
        "reflections_shared_count": 0,
    }
    if access.member and reflection_can_be_written(meeting):
        context["reflections_open"] = True
        context["reflections_own"] = own_reflection(meeting, user)
        context["reflections_shared_count"] = (
            access.counts.shared_reflections
            if access.counts.shared_reflections is not None
            else Reflection.objects.filter(meeting=meeting, shared=True).count()
        )
    return context
