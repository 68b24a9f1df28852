"""Reads for pages: each picks its related rows once, so page queries stay constant."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import (
    FIRST_YEAR_MAX_MEMBERS,
    FIRST_YEAR_MIN_MEMBERS,
    MAX_GROUP_SIZE,
    TEACHER_LEADERS_PER_PLG,
    Community,
    Membership,
    School,
    SchoolYear,
    Team,
)

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from plg_platform.users.models import User

    from .querysets import ViewerRelation


def dashboard_communities(user: User) -> QuerySet[Community]:
    """The PLGs on "My PLGs", with why the user sees each and the user's own roles."""
    return (
        Community.objects.visible_to(user)
        .select_related("team__school", "school_year")
        .with_my_membership(user)
        .with_viewer_flags(user)
        .with_counts()
        .order_by("-school_year__starts_on", "team__name", "name")
    )


def community_members(community: Community) -> QuerySet[Membership]:
    # A deleted account stays in the PLG's history (counts, hours) but is no longer listed.
    return (
        community.memberships.filter(user__deleted_at__isnull=True)
        .select_related("user", "learning_question")
        .order_by("-is_teacher_leader", "user__name", "user__email")
    )


def group_member_users(community: Community) -> QuerySet[User]:
    """The people of a PLG's group who can still act: active, not deleted, not only a guest."""
    from django.contrib.auth import get_user_model

    member_ids = community.memberships.group_members().values("user_id")
    return (
        get_user_model()
        .objects.filter(pk__in=member_ids, is_active=True, deleted_at__isnull=True)
        .order_by("name", "email")
    )


def _warnings_for(community: Community) -> list[str]:
    """Warnings for a PLG annotated by CommunityQuerySet.with_counts()."""
    return community_warnings(
        group_size=community.group_size,
        teacher_leader_count=community.teacher_leader_count,
        is_first_year=community.is_first_year,
    )


def dashboard_entries(user: User) -> list[Community]:
    """List the PLGs for "My PLGs", each with `my_membership` (or None) and its `warnings`."""
    communities = list(dashboard_communities(user))
    for community in communities:
        community.my_membership = community.my_memberships[0] if community.my_memberships else None
        community.warnings = _warnings_for(community)
    return communities


def community_page(user: User, community: Community, relation: ViewerRelation) -> dict[str, object]:
    """What the PLG page shows this user: members, own membership, rights and warnings.

    `relation` is the one `permissions.open_community` read to let the user in. The warnings'
    counts come from the listed members (the same rule as `with_counts`: deleted accounts are
    not listed and not counted), not from a second query.
    """
    from .health_selectors import moment_to_answer
    from .permissions import can_see_learning_questions

    members = list(community_members(community))
    my_membership = next((m for m in members if m.user_id == user.pk), None)
    can_manage = relation.manages
    return {
        "community": community,
        "members": members,
        "my_membership": my_membership,
        "can_manage": can_manage,
        # Who may open the PLG's yearly report: its teacher leaders, its team's leaders and
        # the school's programme leads (casework's yearly_communities says the same).
        "may_open_yearly_report": can_manage or relation.leads_team,
        "show_learning_questions": can_see_learning_questions(my_membership),
        "warnings": community_warnings(
            group_size=sum(m.counts_as_group_member for m in members),
            teacher_leader_count=sum(m.is_teacher_leader for m in members),
            is_first_year=community.is_first_year,
        ),
        "health_prompt": moment_to_answer(user, community, my_membership),
    }


def community_warnings(
    *, group_size: int, teacher_leader_count: int, is_first_year: bool
) -> list[str]:
    """Warn (never forbid) when a PLG's size or leadership is outside the handbook's advice."""
    warnings: list[str] = []
    if group_size > MAX_GROUP_SIZE:
        warnings.append(
            _(
                "This PLG has %(size)d people. At most %(max)d, teacher leaders included, "
                "is advised."
            )
            % {"size": group_size, "max": MAX_GROUP_SIZE}
        )
    if teacher_leader_count != TEACHER_LEADERS_PER_PLG:
        warnings.append(
            ngettext(
                "This PLG has %(count)d teacher leader; each PLG should have two.",
                "This PLG has %(count)d teacher leaders; each PLG should have two.",
                teacher_leader_count,
            )
            % {"count": teacher_leader_count}
        )
    if is_first_year and not FIRST_YEAR_MIN_MEMBERS <= group_size <= FIRST_YEAR_MAX_MEMBERS:
        warnings.append(
            ngettext(
                "This PLG is in its first year and has %(size)d member; "
                "%(min)d to %(max)d is advised for a starting PLG.",
                "This PLG is in its first year and has %(size)d members; "
                "%(min)d to %(max)d is advised for a starting PLG.",
                group_size,
            )
            % {"size": group_size, "min": FIRST_YEAR_MIN_MEMBERS, "max": FIRST_YEAR_MAX_MEMBERS}
        )
    return warnings


def school_overview(school: School) -> School:
    """A school with its years (periods, holidays), teams (leaders) and PLGs, prefetched."""
    return School.objects.prefetch_related(
        Prefetch(
            "school_years",
            queryset=SchoolYear.objects.prefetch_related("periods", "holidays"),
        ),
        Prefetch("teams", queryset=Team.objects.prefetch_related("leaders")),
    ).get(pk=school.pk)


def school_communities(school: School) -> QuerySet[Community]:
    return (
        Community.objects.filter(team__school=school)
        .select_related("team", "school_year")
        .with_counts()
        .order_by("-school_year__starts_on", "team__name", "name")
    )


def school_people(school: School) -> QuerySet[User]:
    """People known to a school: its admins, team leaders and PLG members."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            Q(administered_schools=school)
            | Q(led_teams__school=school)
            | Q(memberships__community__team__school=school),
            deleted_at__isnull=True,
        )
        .distinct()
        .order_by("name", "email")
    )


def schools_of_person(user: User) -> QuerySet[School]:
    """Every school the person takes part in: as a PLG member, team leader or programme lead."""
    # Subqueries rather than joins: a join across three relations would repeat each school.
    return School.objects.filter(
        Q(pk__in=Membership.objects.filter(user=user).values("community__team__school"))
        | Q(pk__in=Team.objects.filter(leaders=user).values("school"))
        | Q(pk__in=School.admins.through.objects.filter(user=user).values("school"))
    ).order_by("pk")
