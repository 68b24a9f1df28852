"""Who may see or change which PLG: the one place in the code that decides."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Count, Exists, OuterRef, Prefetch, Q

if TYPE_CHECKING:
    from plg_platform.users.models import User


def _anonymous(user: User) -> bool:
    return not (user and user.is_authenticated and user.is_active)


def _leads_team(user: User) -> Exists:
    from .models import Team

    return Exists(Team.leaders.through.objects.filter(team_id=OuterRef("team_id"), user=user))


def _administers_school(user: User) -> Exists:
    from .models import School

    return Exists(
        School.admins.through.objects.filter(school_id=OuterRef("team__school_id"), user=user)
    )


class CommunityQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> CommunityQuerySet:
        """Members see their PLGs, team leaders their teams' PLGs, school admins their school's."""
        if _anonymous(user):
            return self.none()
        from .models import Membership

        is_member = Membership.objects.filter(community=OuterRef("pk"), user=user)
        return self.filter(Exists(is_member) | _leads_team(user) | _administers_school(user))

    def manageable_by(self, user: User) -> CommunityQuerySet:
        """Only the school's admins and the PLG's own teacher leaders change a PLG."""
        if _anonymous(user):
            return self.none()
        from .models import Membership

        leads = Membership.objects.filter(
            community=OuterRef("pk"), user=user, is_teacher_leader=True
        )
        return self.filter(Exists(leads) | _administers_school(user))

    def with_viewer_flags(self, user: User) -> CommunityQuerySet:
        """Annotate why the user sees each PLG: as team leader and/or as school admin."""
        return self.annotate(
            viewer_leads_team=_leads_team(user), viewer_is_school_admin=_administers_school(user)
        )

    def with_my_membership(self, user: User) -> CommunityQuerySet:
        """Prefetch the user's own membership row as `my_memberships` (a list of 0 or 1)."""
        from .models import Membership

        return self.prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(user=user),
                to_attr="my_memberships",
            )
        )

    def with_counts(self) -> CommunityQuerySet:
        return self.annotate(
            # A deleted account keeps its membership for the year's history, not for the size.
            group_size=Count(
                "memberships",
                filter=(
                    Q(memberships__is_participant=True)
                    | Q(memberships__is_teacher_leader=True)
                    | Q(memberships__is_development_team=True)
                )
                & Q(memberships__user__deleted_at__isnull=True),
                distinct=True,
            ),
            teacher_leader_count=Count(
                "memberships",
                filter=Q(memberships__is_teacher_leader=True)
                & Q(memberships__user__deleted_at__isnull=True),
                distinct=True,
            ),
        )


class MembershipQuerySet(models.QuerySet):
    def group_members(self) -> MembershipQuerySet:
        """Everyone in the group itself, leaving out people who are only a guest expert."""
        return self.filter(
            Q(is_participant=True) | Q(is_teacher_leader=True) | Q(is_development_team=True)
        )
