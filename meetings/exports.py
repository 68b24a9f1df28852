"""A person's absence requests, attendance, preparation, theme proposals and votes, notifications."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from .models import (
    AbsenceRequest,
    Attendance,
    MeetingPreparer,
    Notification,
    ThemeProposal,
    ThemeVote,
)

if TYPE_CHECKING:
    from plg_platform.privacy import Rows
    from plg_platform.users.models import User

MEETING = ("meeting__community__name", "meeting__number", "meeting__starts_at")


def absence_requests(user: User) -> Rows:
    return list(
        AbsenceRequest.objects.filter(member=user).values(
            *MEETING, "reason", "status", "created_at", "decided_at"
        )
    )


def attendance(user: User) -> Rows:
    return list(Attendance.objects.filter(member=user).values(*MEETING, "status", "recorded_at"))


def preparation(user: User) -> Rows:
    return list(MeetingPreparer.objects.filter(user=user).values(*MEETING, "hours", "assigned_at"))


def theme_proposals(user: User) -> Rows:
    return list(
        ThemeProposal.objects.filter(author=user).values(
            "community__name", "title", "why", "example", "created_at"
        )
    )


def theme_votes(user: User) -> Rows:
    return list(
        ThemeVote.objects.filter(voter=user).values(
            "proposal__community__name", "proposal__title", "created_at"
        )
    )


def notifications(user: User) -> Rows:
    return list(
        Notification.objects.filter(recipient=user).values(
            *MEETING, "kind", "created_at", "sent_at", "read_at"
        )
    )


def register_all() -> None:
    from plg_platform import privacy

    privacy.register("absence_requests", _("Your absence requests"), absence_requests)
    privacy.register("attendance", _("Your attendance"), attendance)
    privacy.register("preparation", _("Meetings you prepared"), preparation)
    privacy.register("theme_proposals", _("Themes you proposed"), theme_proposals)
    privacy.register("theme_votes", _("Your theme votes"), theme_votes)
    privacy.register("notifications", _("Your notifications"), notifications)
