"""Who may see or change which PLG: the one place in the code that decides."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Count, Exists, OuterRef, Prefetch, Q

from plg_platform.sql import columns, instance, one_row, table

if TYPE_CHECKING:
    from django.db.models import Field

    from plg_platform.users.models import User

    from .models import Membership


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


@dataclass(frozen=True)
class ViewerRelation:
    """How one user stands to one PLG: their membership row (if any), and whether they lead its
    team or administer its school. The rules of `visible_to` and `manageable_by` for a single
    PLG, read in one plain SQL query (every page that opens one PLG or meeting asks this)."""

    membership: Membership | None
    leads_team: bool
    administers_school: bool

    @property
    def member(self) -> bool:
        return self.membership is not None

    @property
    def teacher_leader(self) -> bool:
        return bool(self.membership and self.membership.is_teacher_leader)

    @property
    def sees(self) -> bool:
        return self.member or self.leads_team or self.administers_school

    @property
    def manages(self) -> bool:
        return self.teacher_leader or self.administers_school


NO_RELATION = ViewerRelation(membership=None, leads_team=False, administers_school=False)


def viewer_relation(user: User, community_id: int) -> ViewerRelation:
    """Read the user's relation to one PLG: the same rules as `visible_to`/`manageable_by`.

    Written as SQL (plg_platform.sql): the ORM spent 5-7 ms of CPU building the correlated
    EXISTS of those querysets for a single row; this takes well under one.
    tests/communities/test_viewer_relation.py holds it to the querysets for every persona.
    """
    if _anonymous(user):
        return NO_RELATION
    sql, fields = _relation_sql()
    row = one_row(sql, {"user": user.pk, "community": community_id})
    if row is None:
        return NO_RELATION
    from .models import Membership

    *values, leads_team, administers_school = row
    membership = None
    if values[0] is not None:  # the primary key: a membership row was joined
        membership = instance(Membership, fields, values)
    return ViewerRelation(
        membership=membership,
        leads_team=bool(leads_team),
        administers_school=bool(administers_school),
    )


def remember_relation(obj: object, user: User, relation: ViewerRelation) -> None:
    """Keep the relation read to open `obj` (a meeting, a report) for the rest of the request."""
    obj.viewer_relation = (user.pk, relation)  # type: ignore[attr-defined]


def relation_for(user: User, obj: object, community_id: int) -> ViewerRelation:
    """The relation remembered with `obj` for this user, or a fresh read: not read twice."""
    remembered = getattr(obj, "viewer_relation", None)
    if remembered is not None and remembered[0] == user.pk:
        return remembered[1]
    return viewer_relation(user, community_id)


@functools.cache
def _relation_sql() -> tuple[str, list[Field]]:
    """The query text, and the membership's fields in the order it selects them."""
    from .models import Community, Membership, School, Team

    community, membership, team = table(Community), table(Membership), table(Team)
    leaders, admins = table(Team.leaders.through), table(School.admins.through)
    selected, fields = columns(Membership, "m")
    sql = f"""
        SELECT
          {selected},
          EXISTS (SELECT 1 FROM {leaders} l WHERE l.team_id = c.team_id AND l.user_id = %(user)s),
          EXISTS (SELECT 1 FROM {admins} a WHERE a.school_id = t.school_id AND a.user_id = %(user)s)
        FROM {community} c
        JOIN {team} t ON t.id = c.team_id
        LEFT JOIN {membership} m ON m.community_id = c.id AND m.user_id = %(user)s
        WHERE c.id = %(community)s
    """  # noqa: S608
    return sql, fields


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
