"""Reads for a teacher leader's page and the programme lead's responsibilities page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Prefetch

from communities.models import Community, Membership

from ..models import (
    LeaderNeed,
    LeaderRole,
    Responsibility,
    ResponsibilityCheck,
    ResponsibilityStatus,
    SelfReflection,
    Training,
)
from ..permissions import LeaderYear, leaders_of

if TYPE_CHECKING:
    from communities.models import SchoolYear
    from plg_platform.users.models import User


@dataclass
class LedCommunity:
    """A PLG the teacher leader leads, with the other teacher leader(s) of it."""

    community: Community
    co_leaders: list[User]


@dataclass
class ResponsibilityRow:
    item: str
    label: str
    check: ResponsibilityCheck | None

    @property
    def status_label(self) -> str:
        if self.check is None:
            return str(ResponsibilityStatus.NOT_STARTED.label)
        return str(self.check.get_status_display())

    @property
    def status(self) -> str:
        return self.check.status if self.check else ResponsibilityStatus.NOT_STARTED


def responsibility_rows(checks: list[ResponsibilityCheck]) -> list[ResponsibilityRow]:
    """The five responsibilities in the glossary's order, each with its check (or None)."""
    by_item = {check.item: check for check in checks}
    return [
        ResponsibilityRow(item=item, label=str(label), check=by_item.get(item))
        for item, label in Responsibility.choices
    ]


def led_communities(user: User, school_year: SchoolYear) -> list[LedCommunity]:
    """The ordinary PLGs the user leads that year, each with its other teacher leaders."""
    co_leaders = Prefetch(
        "memberships",
        queryset=Membership.objects.filter(is_teacher_leader=True, user__deleted_at__isnull=True)
        .exclude(user=user)
        .select_related("user")
        .order_by("user__name", "user__email"),
        to_attr="co_leader_memberships",
    )
    communities = (
        Community.objects.filter(
            pk__in=leaders_of(school_year).filter(user=user).values("community_id")
        )
        .select_related("team")
        .prefetch_related(co_leaders)
        .order_by("name")
    )
    return [
        LedCommunity(community, [m.user for m in community.co_leader_memberships])
        for community in communities
    ]


def profile_page(user: User, leader_year: LeaderYear) -> dict[str, object]:
    """Everything on the teacher leader's own page, in a constant number of queries."""
    school_year = leader_year.school_year
    return {
        "trainings": list(Training.objects.filter(user=user, school=leader_year.school)),
        "led": led_communities(user, school_year),
        "reflection": own_self_reflection(user, school_year),
        "responsibilities": responsibility_rows(
            list(ResponsibilityCheck.objects.filter(user=user, school_year=school_year))
        ),
    }


def with_labels(reflection: SelfReflection | None) -> SelfReflection | None:
    """Attach the screen labels of the chosen style, roles and needs (stored as glossary keys)."""
    if reflection is None:
        return None
    roles = dict(LeaderRole.choices)
    needs = dict(LeaderNeed.choices)
    reflection.style_label = reflection.get_style_display() if reflection.style else ""
    reflection.roles_taken_labels = [roles[key] for key in reflection.roles_taken if key in roles]
    reflection.roles_to_grow_labels = [
        roles[key] for key in reflection.roles_to_grow if key in roles
    ]
    reflection.needs_labels = [needs[key] for key in reflection.needs if key in needs]
    return reflection


def own_self_reflection(user: User, school_year: SchoolYear) -> SelfReflection | None:
    return with_labels(SelfReflection.objects.filter(user=user, school_year=school_year).first())


def own_responsibility_checks(user: User, school_year: SchoolYear) -> list[ResponsibilityCheck]:
    return list(ResponsibilityCheck.objects.filter(user=user, school_year=school_year))


def shared_self_reflections(viewer: User, school_year: SchoolYear) -> list[SelfReflection]:
    """Self-reflections the school's other teacher leaders shared this year (never private ones)."""
    reflections = (
        SelfReflection.objects.filter(
            school_year=school_year,
            shared=True,
            user__in=leaders_of(school_year).values("user_id"),
        )
        .exclude(user=viewer)
        .select_related("user")
        .order_by("user__name", "user__email")
    )
    return [with_labels(reflection) for reflection in reflections]


@dataclass
class LeaderResponsibilities:
    """One teacher leader on the programme lead's page: their PLGs and five checks."""

    user: User
    communities: list[Community] = field(default_factory=list)
    rows: list[ResponsibilityRow] = field(default_factory=list)

    @property
    def done_count(self) -> int:
        return sum(1 for row in self.rows if row.status == ResponsibilityStatus.DONE)


def school_responsibilities(school_year: SchoolYear) -> list[LeaderResponsibilities]:
    """Every teacher leader of the school's PLGs that year with their checklist, in two queries."""
    leaders: dict[int, LeaderResponsibilities] = {}
    memberships = (
        leaders_of(school_year)
        .select_related("user", "community")
        .order_by("user__name", "user__email", "community__name")
    )
    for membership in memberships:
        entry = leaders.setdefault(membership.user_id, LeaderResponsibilities(membership.user))
        entry.communities.append(membership.community)
    checks: dict[int, list[ResponsibilityCheck]] = {}
    for check in ResponsibilityCheck.objects.filter(
        school_year=school_year, user_id__in=list(leaders)
    ):
        checks.setdefault(check.user_id, []).append(check)
    for user_id, entry in leaders.items():
        entry.rows = responsibility_rows(checks.get(user_id, []))
    return list(leaders.values())
