"""A person's work cases, reflections (private ones too: they are theirs), first steps and notes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import MeetingEvaluationParticipation, NextStep, PhaseNote, Reflection, WorkCase

if TYPE_CHECKING:
    from plg_platform.privacy import Rows
    from plg_platform.users.models import User

MEETING = ("meeting__community__name", "meeting__number", "meeting__starts_at")


def work_cases(user: User) -> Rows:
    return list(
        WorkCase.objects.filter(presenter=user).values(
            *MEETING,
            "title",
            "situation",
            "question",
            "tried",
            "why_now",
            "status",
            "created_at",
            "submitted_at",
        )
    )


def reflections(user: User) -> Rows:
    return list(
        Reflection.objects.filter(author=user).values(
            *MEETING,
            "learned",
            "method",
            "bothers",
            "learning_question",
            "shared",
            "created_at",
            "updated_at",
        )
    )


def first_steps(user: User) -> Rows:
    return list(
        NextStep.objects.filter(presenter=user).values(*MEETING, "status", "outcome", "reviewed_at")
    )


def notes_written(user: User) -> Rows:
    """Group notes the person saved last; not a note about another member (that member's
    learning yield is theirs, whoever typed it)."""
    return list(
        PhaseNote.objects.filter(updated_by=user)
        .filter(Q(member__isnull=True) | Q(member=user))
        .values(*MEETING, "field", "text", "updated_at")
    )


def notes_about_me(user: User) -> Rows:
    """Notes kept per member (their learning yield), whoever wrote them down."""
    return list(
        PhaseNote.objects.filter(member=user).values(*MEETING, "field", "text", "updated_at")
    )


def evaluations_answered(user: User) -> Rows:
    return list(MeetingEvaluationParticipation.objects.filter(user=user).values(*MEETING))


def register_all() -> None:
    from plg_platform import privacy

    privacy.register("work_cases", _("Your work cases"), work_cases)
    privacy.register("reflections", _("Your reflections"), reflections)
    privacy.register("first_steps", _("Your first small steps"), first_steps)
    privacy.register(
        "notes_written",
        _("Case-session notes you saved last (shared group notes: others may have added to them)"),
        notes_written,
    )
    privacy.register("notes_about_me", _("Case-session notes about you"), notes_about_me)
    privacy.register("evaluations_answered", _("Meetings you evaluated"), evaluations_answered)
