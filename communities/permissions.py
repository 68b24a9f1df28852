"""Access helpers: each answers 404 for what does not exist and for what a user may not see."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from plg_platform.sql import get_with_related, one_row, select_with_related, table

from .models import Community, Membership, School, SchoolYear, Team
from .querysets import ViewerRelation, viewer_relation
from .selectors import other_schools_of_person

if TYPE_CHECKING:
    from plg_platform.users.models import User


def get_community_for(user: User, pk: int, *, manage: bool = False) -> Community:
    """Return the PLG if the user may see it (or change it, with manage=True); 404 otherwise."""
    return open_community(user, pk, manage=manage)[0]


def open_community(
    user: User, pk: int, *, manage: bool = False
) -> tuple[Community, ViewerRelation]:
    """`get_community_for`, with the relation it read: a page asks it once, not twice."""
    community = get_with_related(Community, pk, "team__school", "school_year")
    return community, opened_relation(user, community.pk, manage=manage)


def opened_relation(user: User, community_id: int, *, manage: bool = False) -> ViewerRelation:
    """The user's relation to a PLG they see (or, with manage=True, change); 404 otherwise."""
    relation = viewer_relation(user, community_id)
    require(relation.manages if manage else relation.sees)
    return relation


def can_manage_community(user: User, community: Community) -> bool:
    """The rule of `manageable_by` for one PLG, read through the viewer relation."""
    return viewer_relation(user, community.pk).manages


def get_membership_for(user: User, community: Community, pk: int) -> Membership:
    """A membership of a PLG the caller manages (check the PLG first)."""
    return get_object_or_404(
        Membership.objects.select_related("user", "community"), community=community, pk=pk
    )


def administered_schools(user: User):
    if not (user.is_authenticated and user.is_active):
        return School.objects.none()
    return School.objects.filter(admins=user)


def administered_schools_list(user: User) -> list[School]:
    """`administered_schools(user)` in name order, as a list, in one plain query built once per
    process (plg_platform.sql): the dashboard asks it on every visit, and the ORM took four times
    as long to build it as to run it. tests/communities/test_roles.py holds it to the ORM."""
    if not (user.is_authenticated and user.is_active):
        return []
    return select_with_related(
        School,
        f"EXISTS (SELECT 1 FROM {table(School.admins.through)} a"  # noqa: S608
        " WHERE a.school_id = t0.id AND a.user_id = %(user)s)",
        {"user": user.pk},
        order=("name", "id"),
    )


def is_school_admin(user: User) -> bool:
    return administered_schools(user).exists()


def is_group_member(user: User, community: Community) -> bool:
    """Members of the group itself: an external expert alone is a guest (no votes, no absence)."""
    if not (user.is_authenticated and user.is_active):
        return False
    return Membership.objects.filter(community=community, user=user).group_members().exists()


def leads_a_team(user: User) -> bool:
    """Team leaders decide absence requests for the PLGs of their teams."""
    return navigation_roles(user)["leads_team"]


def navigation_roles(user: User) -> dict[str, bool]:
    """In one query: does the user administer a school, lead a team, lead a PLG this year,
    decide absence requests?

    Every signed-in page asks this for its navigation, so it is written as SQL
    (plg_platform.sql): the ORM took 5-7 ms of CPU to build the four correlated EXISTS each
    time, the SQL text takes 0.3 ms.
    """
    if not (user.is_authenticated and user.is_active):
        return dict.fromkeys(NAVIGATION_ROLES, False)
    from django.utils import timezone

    from .models import CommunityKind

    is_school_admin, leads_team, leads_plg, decides_leaders_absence = one_row(
        _navigation_sql(),
        {
            "user": user.pk,
            "plg": CommunityKind.PLG.value,
            "leaders_plg": CommunityKind.TEACHER_LEADERS.value,
            "today": timezone.localdate(),
        },
    )
    return {
        "is_school_admin": bool(is_school_admin),
        "leads_team": bool(leads_team),
        # Teacher leader of an ordinary PLG in a school year that has not ended.
        "leads_plg": bool(leads_plg),
        # Team leaders decide their teams' absence requests; programme leads those of their
        # school's teacher leaders' PLG.
        "decides_absence": bool(leads_team or decides_leaders_absence),
    }


NAVIGATION_ROLES = ("is_school_admin", "leads_team", "leads_plg", "decides_absence")


@functools.cache
def _navigation_sql() -> str:
    admins, leaders = table(School.admins.through), table(Team.leaders.through)
    membership, community = table(Membership), table(Community)
    year, team = table(SchoolYear), table(Team)
    return f"""
        SELECT
          EXISTS (SELECT 1 FROM {admins} a WHERE a.user_id = %(user)s),
          EXISTS (SELECT 1 FROM {leaders} l WHERE l.user_id = %(user)s),
          EXISTS (
            SELECT 1 FROM {membership} m
            JOIN {community} c ON c.id = m.community_id
            JOIN {year} y ON y.id = c.school_year_id
            WHERE m.user_id = %(user)s AND m.is_teacher_leader
              AND c.kind = %(plg)s AND y.ends_on >= %(today)s
          ),
          EXISTS (
            SELECT 1 FROM {community} c
            JOIN {team} t ON t.id = c.team_id
            JOIN {admins} a ON a.school_id = t.school_id
            WHERE a.user_id = %(user)s AND c.kind = %(leaders_plg)s
          )
    """  # noqa: S608


def get_school_for(user: User, pk: int) -> School:
    """A school the user administers; 404 otherwise."""
    return get_object_or_404(administered_schools(user), pk=pk)


def get_school_year_for(user: User, pk: int) -> SchoolYear:
    return get_object_or_404(
        SchoolYear.objects.select_related("school").filter(school__in=administered_schools(user)),
        pk=pk,
    )


def get_team_for(user: User, pk: int) -> Team:
    return get_object_or_404(
        Team.objects.select_related("school").filter(school__in=administered_schools(user)), pk=pk
    )


def require(condition: bool) -> None:
    """Raise 404 unless the condition holds (we never reveal that something exists)."""
    if not condition:
        raise Http404


def get_own_participation(user: User, community: Community) -> Membership:
    """The user's own participant membership of a PLG; 404 when they do not take part."""
    return get_object_or_404(
        Membership.objects.select_related("learning_question"),
        community=community,
        user=user,
        is_participant=True,
    )


def can_see_learning_questions(membership: Membership | None) -> bool:
    """Learning questions are personal: their author and the PLG's teacher leaders see them."""
    return bool(membership and membership.is_teacher_leader)


def leads_community(user: User, community: Community) -> bool:
    """Is the user one of the PLG's own teacher leaders?"""
    if not (user.is_authenticated and user.is_active):
        return False
    return Membership.objects.filter(
        community=community, user=user, is_teacher_leader=True
    ).exists()


def refusal_for(
    *, school: School, person: User, actor: User, in_other_school: bool | None = None
) -> str | None:
    """Why this programme lead may not delete this account, or None when they may.

    `in_other_school` is `other_schools_of_person` read already (for a page of people at
    once); without it, it is read here.
    """
    if person.pk == actor.pk:
        return _("To delete your own account, use the page under My account.")
    if person.is_staff or person.is_superuser:
        return _(
            "This account manages the platform itself; only a platform administrator can delete it."
        )
    if in_other_school is None:
        in_other_school = other_schools_of_person(person, school).exists()
    if in_other_school:
        # Another school's data is not this school's to delete.
        return _(
            "This person also belongs to another school. Only they themselves can delete "
            "their account; you can remove them from your school's PLGs and teams."
        )
    return None


def own_deletion_refusal(user: User) -> str | None:
    """Why the person may not delete their own account: a school would lose its last programme
    lead; None when they may."""
    last = (
        # A subquery, not filter(admins=user): that join would also narrow the count to them.
        School.objects.filter(
            pk__in=School.admins.through.objects.filter(user=user).values("school")
        )
        .annotate(lead_count=Count("admins", filter=Q(admins__deleted_at__isnull=True)))
        .filter(lead_count=1)
        .order_by("name")
        .first()
    )
    if last is None:
        return None
    return _(
        "You are the only programme lead of %(school)s. Ask the platform administrator to add "
        "another programme lead first; then you can delete your account."
    ) % {"school": last.name}
