"""Reads for pages: each picks its related rows once, so page queries stay constant."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from plg_platform.sql import all_rows, columns, instance, table

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
    from django.db.models import Field, Model, QuerySet

    from plg_platform.users.models import User

    from .querysets import ViewerRelation


def dashboard_communities(user: User) -> QuerySet[Community]:
    """The PLGs on "My PLGs", with why the user sees each and the user's own roles.

    The rule in the ORM; the page reads it through `dashboard_entries`, held to this by a test.
    """
    return (
        Community.objects.visible_to(user)
        .select_related("team__school", "school_year")
        .with_my_membership(user)
        .with_viewer_flags(user)
        .with_counts()
        .order_by("-school_year__starts_on", "team__name", "name")
    )


def community_members(community: Community) -> QuerySet[Membership]:
    """The PLG's listed members: teacher leaders first, then by name, with user and learning
    question. A deleted account stays in the PLG's history (counts, hours) but is not listed.

    The rule in the ORM; the PLG page reads it through `listed_members`, held to this by a test.
    """
    return (
        community.memberships.filter(user__deleted_at__isnull=True)
        .select_related("user", "learning_question")
        .order_by("-is_teacher_leader", "user__name", "user__email")
    )


def listed_members(community: Community) -> list[Membership]:
    """`community_members` in one plain SQL query (plg_platform.sql): building the ORM's query
    and its three objects per row cost about 3.5 ms on every visit of the PLG page."""
    from .models import LearningQuestion

    sql, parts = _members_sql()
    (membership_fields, user_fields, question_fields) = parts
    members = []
    for values in all_rows(sql, {"community": community.pk}):
        values = list(values)
        membership = instance(Membership, membership_fields, values[: len(membership_fields)])
        values = values[len(membership_fields) :]
        user = instance(get_user_model(), user_fields, values[: len(user_fields)])
        values = values[len(user_fields) :]
        question = None
        if values[0] is not None:  # a learning question was joined
            question = instance(LearningQuestion, question_fields, values)
        Membership.user.field.set_cached_value(membership, user)
        Membership.learning_question.related.set_cached_value(membership, question)
        if question is not None:
            LearningQuestion.membership.field.set_cached_value(question, membership)
        members.append(membership)
    return members


@functools.cache
def _members_sql() -> tuple[str, tuple[list[Field], list[Field], list[Field]]]:
    from .models import LearningQuestion

    membership_columns, membership_fields = columns(Membership, "m")
    user_columns, user_fields = columns(get_user_model(), "u")
    question_columns, question_fields = columns(LearningQuestion, "q")
    sql = f"""
        SELECT {membership_columns}, {user_columns}, {question_columns}
        FROM {table(Membership)} m
        JOIN {table(get_user_model())} u ON u.id = m.user_id
        LEFT JOIN {table(LearningQuestion)} q ON q.membership_id = m.id
        WHERE m.community_id = %(community)s AND u.deleted_at IS NULL
        ORDER BY m.is_teacher_leader DESC, u.name, u.email
    """  # noqa: S608
    return sql, (membership_fields, user_fields, question_fields)


def group_member_users(community: Community) -> QuerySet[User]:
    """The people of a PLG's group who can still act: active, not deleted, not only a guest."""
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
    """List the PLGs for "My PLGs", each with `my_membership` (or None) and its `warnings`.

    The PLGs of `dashboard_communities` (the same rules, flags, counts and order) in one plain
    SQL query (plg_platform.sql): the ORM spent about 10 ms of CPU building that queryset's
    correlated EXISTS, counts and prefetch on every visit of the dashboard.
    tests/communities/test_dashboard_entries.py holds it to the queryset for every persona.
    """
    if not (user and user.is_authenticated and user.is_active):
        return []
    sql, parts = _dashboard_sql()
    communities = []
    for row in all_rows(sql, {"user": user.pk}):
        values = list(row)
        built: list[Model | None] = []
        for model, fields in parts:
            own, values = values[: len(fields)], values[len(fields) :]
            # A PLG the user sees without being in it has no membership row (its key is NULL).
            built.append(instance(model, fields, own) if own[0] is not None else None)
        community, team, school_year, membership = built
        community.team, community.school_year = team, school_year
        community.my_membership = membership
        leads_team, is_school_admin, group_size, teacher_leader_count = values
        community.viewer_leads_team = bool(leads_team)
        community.viewer_is_school_admin = bool(is_school_admin)
        community.group_size = group_size
        community.teacher_leader_count = teacher_leader_count
        community.warnings = _warnings_for(community)
        communities.append(community)
    return communities


@functools.cache
def _dashboard_sql() -> tuple[str, list[tuple[type[Model], list[Field]]]]:
    """The dashboard's query text, and each model's fields in the order it selects them."""
    community, team, year = table(Community), table(Team), table(SchoolYear)
    membership, users = table(Membership), table(get_user_model())
    leaders, admins = table(Team.leaders.through), table(School.admins.through)
    parts = [(Community, "c"), (Team, "t"), (SchoolYear, "y"), (Membership, "m")]
    selected = [columns(model, alias) for model, alias in parts]
    group_member = "(g.is_participant OR g.is_teacher_leader OR g.is_development_team)"
    mine = "l.user_id = %(user)s"
    leads = f"EXISTS (SELECT 1 FROM {leaders} l WHERE l.team_id = c.team_id AND {mine})"  # noqa: S608
    admin = f"EXISTS (SELECT 1 FROM {admins} l WHERE l.school_id = t.school_id AND {mine})"  # noqa: S608
    sql = f"""
        SELECT {", ".join(text for text, _fields in selected)}, {leads}, {admin},
          (SELECT COUNT(*) FROM {membership} g JOIN {users} u ON u.id = g.user_id
           WHERE g.community_id = c.id AND {group_member} AND u.deleted_at IS NULL),
          (SELECT COUNT(*) FROM {membership} g JOIN {users} u ON u.id = g.user_id
           WHERE g.community_id = c.id AND g.is_teacher_leader AND u.deleted_at IS NULL)
        FROM {community} c
        JOIN {team} t ON t.id = c.team_id
        JOIN {year} y ON y.id = c.school_year_id
        LEFT JOIN {membership} m ON m.community_id = c.id AND m.user_id = %(user)s
        WHERE m.id IS NOT NULL OR {leads} OR {admin}
        ORDER BY y.starts_on DESC, t.name, c.name, c.id
    """  # noqa: S608
    return sql, [
        (model, fields) for (model, _alias), (_text, fields) in zip(parts, selected, strict=True)
    ]


def community_page(user: User, community: Community, relation: ViewerRelation) -> dict[str, object]:
    """What the PLG page shows this user: members, own membership, rights and warnings.

    `relation` is the one `permissions.open_community` read to let the user in. The warnings'
    counts come from the listed members (the same rule as `with_counts`: deleted accounts are
    not listed and not counted), not from a second query.
    """
    from .health_selectors import moment_to_answer
    from .permissions import can_see_learning_questions

    members = listed_members(community)
    my_membership = next((m for m in members if m.user_id == user.pk), None)
    can_manage = relation.manages
    for member in members:
        # Read once here, not two or three times per row in the template.
        member.name = member.user.display_name
        member.invited = not member.user.has_usable_password()
        if can_manage:
            args = [community.pk, member.pk]
            member.edit_url = reverse("communities:member_edit", args=args)
            member.reinvite_url = reverse("communities:member_reinvite", args=args)
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
    # EXISTS rather than joins: no DISTINCT over every column, so that counting the People
    # page's 700 and more leaves out the annotations of `school_people_with_roles`.
    user = OuterRef("pk")
    return (
        get_user_model()
        .objects.filter(
            Exists(School.admins.through.objects.filter(school=school, user=user))
            | Exists(Team.leaders.through.objects.filter(team__school=school, user=user))
            | Exists(Membership.objects.filter(community__team__school=school, user=user)),
            deleted_at__isnull=True,
        )
        .order_by("name", "email")
    )


def school_people_with_roles(school: School, *, search: str = "") -> QuerySet[User]:
    """`school_people`, matching `search` in name or e-mail address, each with their roles in
    this school (`is_programme_lead`, `school_teams`, `school_memberships`) and whether they
    also take part in another school (`in_other_school`)."""
    people = school_people(school)
    if search:
        people = people.filter(Q(name__icontains=search) | Q(email__icontains=search))
    admins = School.admins.through.objects.filter(school=school, user=OuterRef("pk"))
    return people.annotate(
        is_programme_lead=Exists(admins),
        # Two levels out: the subqueries of schools_of_person sit inside this one.
        in_other_school=Exists(other_schools_of_person(OuterRef(OuterRef("pk")), school)),
    ).prefetch_related(
        Prefetch(
            "led_teams",
            queryset=Team.objects.filter(school=school).order_by("name"),
            to_attr="school_teams",
        ),
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(community__team__school=school)
            .select_related("community__school_year")
            .order_by("-community__school_year__starts_on", "community__name"),
            to_attr="school_memberships",
        ),
    )


PEOPLE_PER_PAGE = 50


def school_people_page(school: School, actor: User, *, search: str, page_number: object) -> Page:
    """One page of `school_people_with_roles` for the People page, each person with their teams
    and PLGs as text and why `actor` may not delete their account here (`refusal`, or None)."""
    from .permissions import refusal_for

    page = Paginator(school_people_with_roles(school, search=search), PEOPLE_PER_PAGE).get_page(
        page_number
    )
    page.object_list = list(page.object_list)
    for person in page.object_list:
        person.team_names = ", ".join(team.name for team in person.school_teams)
        person.plg_names = ", ".join(
            (
                _("%(plg)s (%(year)s, teacher leader)")
                if m.is_teacher_leader
                else _("%(plg)s (%(year)s)")
            )
            % {"plg": m.community.name, "year": m.community.school_year.name}
            for m in person.school_memberships
        )
        person.refusal = refusal_for(
            school=school, person=person, actor=actor, in_other_school=person.in_other_school
        )
    return page


def schools_of_person(user: User | OuterRef) -> QuerySet[School]:
    """Every school the person takes part in: as a PLG member, team leader or programme lead.

    `user` may be an OuterRef, to ask it in a subquery for each person of a query.
    """
    # Subqueries rather than joins: a join across three relations would repeat each school.
    return School.objects.filter(
        Q(pk__in=Membership.objects.filter(user=user).values("community__team__school"))
        | Q(pk__in=Team.objects.filter(leaders=user).values("school"))
        | Q(pk__in=School.admins.through.objects.filter(user=user).values("school"))
    ).order_by("pk")


def other_schools_of_person(user: User | OuterRef, school: School) -> QuerySet[School]:
    """The schools besides `school` that the person takes part in: then that school's
    programme lead may not delete their account (another school's data is not theirs)."""
    return schools_of_person(user).exclude(pk=school.pk)
