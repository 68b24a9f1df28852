"""A person's memberships, learning questions, products and health-check participation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from .models import HealthCheckParticipation, LearningQuestion, Membership, Product

if TYPE_CHECKING:
    from plg_platform.privacy import Rows
    from plg_platform.users.models import User


def memberships(user: User) -> Rows:
    return list(
        Membership.objects.filter(user=user)
        .order_by("community__school_year__starts_on", "community__name")
        .values(
            "community__name",
            "community__team__school__name",
            "community__school_year__name",
            "is_participant",
            "is_teacher_leader",
            "is_development_team",
            "is_expert",
            "added_at",
        )
    )


def learning_questions(user: User) -> Rows:
    return list(
        LearningQuestion.objects.filter(membership__user=user).values(
            "membership__community__name", "text", "updated_at"
        )
    )


def products(user: User) -> Rows:
    return list(
        Product.objects.filter(contributors=user).values(
            "community__name", "title", "goal", "status"
        )
    )


def health_checks_answered(user: User) -> Rows:
    return list(
        HealthCheckParticipation.objects.filter(user=user).values(
            "moment__community__name", "moment__number"
        )
    )


def register_all() -> None:
    from plg_platform import privacy

    privacy.register("memberships", _("Your PLGs and roles"), memberships)
    privacy.register("learning_questions", _("Your learning questions"), learning_questions)
    privacy.register("products", _("Products you contribute to"), products)
    privacy.register(
        "health_checks_answered", _("Health checks you answered"), health_checks_answered
    )
