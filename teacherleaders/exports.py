"""A teacher leader's training, self-reflections, responsibilities and meeting notes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from .models import (
    SELF_REFLECTION_FIELDS,
    LeaderMeetingNotes,
    ResponsibilityCheck,
    SelfReflection,
    Training,
)

if TYPE_CHECKING:
    from plg_platform.privacy import Rows
    from plg_platform.users.models import User


def trainings(user: User) -> Rows:
    return list(Training.objects.filter(user=user).values("course", "year", "status"))


def self_reflections(user: User) -> Rows:
    return list(
        SelfReflection.objects.filter(user=user).values(
            "school_year__name", *SELF_REFLECTION_FIELDS, "updated_at"
        )
    )


def responsibilities(user: User) -> Rows:
    return list(
        ResponsibilityCheck.objects.filter(user=user).values(
            "school_year__name", "item", "status", "evidence", "updated_at"
        )
    )


def meeting_notes(user: User) -> Rows:
    return list(
        LeaderMeetingNotes.objects.filter(writer=user).values(
            "meeting__community__name", "meeting__number", "text", "submitted_at"
        )
    )


def register_all() -> None:
    from plg_platform import privacy

    privacy.register("trainings", _("Your training"), trainings)
    privacy.register(
        "self_reflections", _("Your self-reflections as a teacher leader"), self_reflections
    )
    privacy.register(
        "responsibilities", _("Your responsibilities as a teacher leader"), responsibilities
    )
    privacy.register("meeting_notes", _("Teacher-leader meeting notes you wrote"), meeting_notes)
