"""Who may see or do what with a theme meeting. Built on the PLG rules in communities."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from communities.models import Community, CommunityKind, Membership
from communities.permissions import opened_relation
from communities.querysets import relation_for, remember_relation
from plg_platform.sql import get_with_related, one_row, table

from .models import Meeting, MeetingPreparer

if TYPE_CHECKING:
    from plg_platform.users.models import User


def visible_meetings(user: User):
    """Meetings of the PLGs the user may see (members, team leaders, school admins)."""
    return Meeting.objects.filter(community__in=Community.objects.visible_to(user))


def get_meeting_for(user: User, pk: int, *, manage: bool = False) -> Meeting:
    """Return the meeting if the user may see it (or plan it, with manage=True); 404 otherwise."""
    meeting = get_with_related(
        Meeting, pk, "community__team__school", "community__school_year", "theme"
    )
    relation = opened_relation(user, meeting.community_id, manage=manage)
    # Kept with the meeting for `meeting_access` in the same request: the same row, not read twice.
    remember_relation(meeting, user, relation)
    return meeting


@dataclass(frozen=True)
class MeetingAccess:
    """What one user may do with one meeting; computed once per request.

    - plan: the PLG's teacher leaders and the school admins plan, move, assign and fix themes;
    - prepare: planners and the meeting's two preparers edit phase 0 and the agenda;
    - member: the user belongs to the group (an external expert alone does not) and so is
      expected, may request absence, propose themes and vote;
    - decide_absence: the team leaders of the PLG's team decide absence requests (in the
      teacher leaders' own PLG, which has no team leader, the school's programme leads do);
    - record_attendance: teacher leaders (and school admins) record who was present.
    """

    plan: bool
    prepare: bool
    member: bool
    is_preparer: bool
    decide_absence: bool
    membership: Membership | None

    @property
    def record_attendance(self) -> bool:
        return self.plan


def meeting_access(user: User, meeting: Meeting) -> MeetingAccess:
    """Work out what the user may do with the meeting: the PLG relation (usually already read
    by `get_meeting_for`) and one query for whether they prepare this meeting."""
    community = meeting.community
    relation = relation_for(user, meeting, meeting.community_id)
    membership = relation.membership
    admin = relation.administers_school
    is_preparer = _prepares(user.pk, meeting.pk)
    plan = relation.teacher_leader or admin
    return MeetingAccess(
        plan=plan,
        prepare=plan or is_preparer,
        member=bool(membership and membership.counts_as_group_member),
        is_preparer=is_preparer,
        # The same rule as `absence_deciders`.
        decide_absence=(
            admin if community.kind == CommunityKind.TEACHER_LEADERS else relation.leads_team
        ),
        membership=membership,
    )


def _prepares(user_id: int, meeting_id: int) -> bool:
    """Whether the user is one of the meeting's preparers (`MeetingPreparer` row), in plain SQL:
    asked on every meeting page, where the ORM's `.exists()` cost about 1 ms to build."""
    sql = f"SELECT 1 FROM {table(MeetingPreparer)} WHERE meeting_id = %(m)s AND user_id = %(u)s"  # noqa: S608
    return one_row(sql, {"m": meeting_id, "u": user_id}) is not None


def community_access_plan(user: User, community: Community, membership: Membership | None) -> bool:
    if membership is not None and membership.is_teacher_leader:
        return True
    return community.team.school.admins.filter(pk=user.pk).exists()


def leads_team_of(user: User, community: Community) -> bool:
    return community.team.leaders.filter(pk=user.pk).exists()


def decides_absence(user: User, community: Community) -> bool:
    """Whether the user decides the PLG's absence requests (see `absence_deciders`)."""
    return absence_deciders(community).filter(pk=user.pk).exists()


def absence_deciders(community: Community) -> QuerySet[User]:
    """Who decides a PLG's absence requests: its team's leaders, or for the teacher leaders'
    own PLG (its team never has leaders) the school's programme leads."""
    if community.kind == CommunityKind.TEACHER_LEADERS:
        return community.team.school.admins.all()
    return community.team.leaders.all()


def absence_communities(user: User) -> QuerySet[Community]:
    """The PLGs whose absence requests the user decides (the same rule as `absence_deciders`)."""
    leaders_plg = Q(kind=CommunityKind.TEACHER_LEADERS)
    return Community.objects.filter(
        (Q(team__leaders=user) & ~leaders_plg) | (leaders_plg & Q(team__school__admins=user))
    )


def sees_all_hours(user: User, community: Community) -> bool:
    """Teacher leaders, school admins and the team's leaders see every member's hours."""
    return Community.objects.manageable_by(user).filter(pk=community.pk).exists() or leads_team_of(
        user, community
    )
