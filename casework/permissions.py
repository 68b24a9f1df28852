"""Who may see or do what in a case session. Built on the meeting rules in meetings.permissions.

The privacy rules of the issue live here and nowhere else:

- a draft case is its author's alone;
- a submitted case's title and presenter are listed for the PLG's teacher leaders and the
  meeting's preparers; its text is read only by the presenter, and, during the meeting, by
  the presenter's small group and the PLG's teacher leaders (not team leaders, not admins);
- a private reflection is its author's alone; a shared one is read by the PLG's group members;
- a phase-6 report draft is for the preparers and teacher leaders; a final one is read by the
  whole PLG and the team's leaders.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from communities.models import Community, SchoolYear, Team
from communities.permissions import require
from communities.querysets import ViewerRelation, relation_for, remember_relation, viewer_relation
from meetings.models import Meeting
from meetings.permissions import MeetingAccess, meeting_access
from plg_platform.sql import all_rows, filter_with_related, get_with_related, table

from .models import (
    MeetingReport,
    MeetingRun,
    Reflection,
    SmallGroup,
    SmallGroupMember,
    WorkCase,
    YearlyReport,
    YearlyReportScope,
)

if TYPE_CHECKING:
    import datetime as dt

    from plg_platform.users.models import User


@dataclass(frozen=True)
class MeetingCounts:
    """The small numbers the meeting page shows, read together in one query by the panel.

    None means "not read": an area then counts for itself (pages other than the meeting page).
    """

    submitted_cases: int | None = None
    groups_made: bool | None = None
    shared_reflections: int | None = None
    evaluations: int | None = None
    evaluated: bool | None = None
    next_starts_at: dt.datetime | None = None
    # The meeting's phase-6 report (id and status; None: none yet), when `report_read`.
    report_read: bool = False
    report_id: int | None = None
    report_status: str | None = None


NOT_COUNTED = MeetingCounts()


@dataclass(frozen=True)
class CaseworkAccess:
    """What one user may do in one meeting's case session; computed once per request."""

    meeting: MeetingAccess
    # The small group the user sits in at this meeting, and the groups they lead.
    own_group_id: int | None
    led_group_ids: frozenset[int]
    counts: MeetingCounts = NOT_COUNTED

    @property
    def is_teacher_leader(self) -> bool:
        """The PLG's own teacher leaders: not school admins, who plan but do not read cases."""
        membership = self.meeting.membership
        return bool(membership and membership.is_teacher_leader)

    @property
    def member(self) -> bool:
        return self.meeting.member

    @property
    def lists_cases(self) -> bool:
        """Sees the titles and presenters of submitted cases."""
        return self.is_teacher_leader or self.meeting.is_preparer

    @property
    def splits_groups(self) -> bool:
        return self.is_teacher_leader

    @property
    def runs_meeting(self) -> bool:
        """Opens the live screen for the whole meeting and moves its phase on."""
        return self.is_teacher_leader

    def sees_group(self, group_id: int) -> bool:
        """Opens a small group's live screen: teacher leaders, its leader and its members."""
        return (
            self.is_teacher_leader
            or group_id in self.led_group_ids
            or group_id == self.own_group_id
        )

    def writes_group_notes(self, group_id: int) -> bool:
        return self.is_teacher_leader or group_id in self.led_group_ids

    @property
    def writes_meeting_notes(self) -> bool:
        """Phase 6 is the whole PLG's: its teacher leaders and the preparers take the notes."""
        return self.is_teacher_leader or self.meeting.is_preparer

    @property
    def writes_report(self) -> bool:
        return self.is_teacher_leader or self.meeting.is_preparer


def casework_access(
    user: User, meeting: Meeting, base: MeetingAccess | None = None
) -> CaseworkAccess:
    """Add the user's small groups to the meeting access (pass `base` when it is known)."""
    if base is None:
        base = meeting_access(user, meeting)
    # One row per group the user sits in or leads (at most one seat per meeting).
    rows = all_rows(_own_groups_sql(), {"meeting": meeting.pk, "user": user.pk})
    own_group = None
    led: set[int] = set()
    for pk, leader_id, seated in rows:
        if seated:
            own_group = pk
        if leader_id == user.pk:
            led.add(pk)
    return CaseworkAccess(meeting=base, own_group_id=own_group, led_group_ids=frozenset(led))


@functools.cache
def _own_groups_sql() -> str:
    """The groups of a meeting the user leads or sits in, as plain SQL (plg_platform.sql): the
    ORM's correlated EXISTS cost 4 ms of CPU to build on every meeting page."""
    group, seat = table(SmallGroup), table(SmallGroupMember)
    return f"""
        SELECT g.id, g.leader_id, s.id IS NOT NULL
        FROM {group} g
        LEFT JOIN {seat} s ON s.group_id = g.id AND s.member_id = %(user)s
        WHERE g.meeting_id = %(meeting)s AND (g.leader_id = %(user)s OR s.id IS NOT NULL)
    """  # noqa: S608


def in_session(meeting: Meeting) -> bool:
    """During the meeting: on its own day (Amsterdam), from its start or from when its live run
    was opened, until its end or, when the run is still open, the end of that day.

    Bounded by the day on purpose: a run left open (or opened weeks later) must not keep case
    texts readable after the meeting.
    """
    now = timezone.now()
    if timezone.localdate(now) != timezone.localtime(meeting.starts_at).date():
        return False
    run = run_of(meeting)
    if run is not None and run.is_open:
        return True
    return meeting.starts_at <= now <= meeting.ends_at


def run_of(meeting: Meeting) -> MeetingRun | None:
    """The meeting's live run, or None (cached on the meeting, so later reads cost nothing).

    Read in plain SQL (plg_platform.sql) when not cached yet: the ORM's reverse one-to-one
    query cost about 1 ms of CPU on every live screen."""
    relation = Meeting.run.related
    if not relation.is_cached(meeting):
        runs = filter_with_related(MeetingRun, "meeting", meeting.pk, ())
        run = runs[0] if runs else None
        relation.set_cached_value(meeting, run)
        if run is not None:
            MeetingRun.meeting.field.set_cached_value(run, meeting)
    try:
        return meeting.run
    except MeetingRun.DoesNotExist:
        return None


def can_read_case_text(case: WorkCase, user: User, access: CaseworkAccess) -> bool:
    if case.presenter_id == user.pk:
        return True
    if not case.is_submitted or not in_session(case.meeting):
        return False
    if access.is_teacher_leader:
        return True
    group = _group_of(case)
    return group is not None and (
        group.pk == access.own_group_id or group.pk in access.led_group_ids
    )


def _group_of(case: WorkCase) -> SmallGroup | None:
    try:
        return case.small_group
    except SmallGroup.DoesNotExist:
        return None


def can_read_reflection(reflection: Reflection, user: User, access: CaseworkAccess) -> bool:
    if reflection.author_id == user.pk:
        return True
    return reflection.shared and access.member


def can_read_report(report: MeetingReport, access: CaseworkAccess) -> bool:
    if access.writes_report:
        return True
    # Final: the whole PLG, the team's leaders and the programme lead.
    return report.is_final and (
        access.member or access.meeting.decide_absence or access.meeting.plan
    )


# Yearly reports -----------------------------------------------------------------------------
#
# A PLG's report: the team leaders of its team, its teacher leaders and the school's programme
# leads. A team's report: that team's leaders and the programme leads. A school's report: the
# programme leads. Members' names: only the PLG's team leaders and teacher leaders, and only in
# a PLG's report; everyone else, and every team or school-wide report, gets numbers.


def opens_plg_yearly(relation: ViewerRelation) -> bool:
    """The rule of `yearly_communities` for one PLG, on the viewer's relation to it."""
    return relation.teacher_leader or relation.leads_team or relation.administers_school


def yearly_communities(user: User) -> QuerySet[Community]:
    """The PLGs whose yearly report the user may open (`opens_plg_yearly` for one PLG)."""
    if not (user.is_authenticated and user.is_active):
        return Community.objects.none()
    return Community.objects.filter(
        Q(memberships__user=user, memberships__is_teacher_leader=True)
        | Q(team__leaders=user)
        | Q(team__school__admins=user)
    ).distinct()


def yearly_teams(user: User) -> QuerySet[Team]:
    """The teams whose yearly report the user may open."""
    if not (user.is_authenticated and user.is_active):
        return Team.objects.none()
    return Team.objects.filter(Q(leaders=user) | Q(school__admins=user)).distinct()


def yearly_school_years(user: User) -> QuerySet[SchoolYear]:
    """The school years whose school-wide yearly report the user may open (programme leads)."""
    if not (user.is_authenticated and user.is_active):
        return SchoolYear.objects.none()
    return SchoolYear.objects.filter(school__admins=user)


def get_yearly_community_for(user: User, pk: int) -> Community:
    """A PLG whose yearly report the user may open; 404 otherwise."""
    return get_object_or_404(
        yearly_communities(user).select_related("team__school", "school_year"), pk=pk
    )


def get_yearly_team_for(user: User, pk: int, year_pk: int) -> tuple[Team, SchoolYear]:
    """A team and one of its school's years, if the user may open the team's report; 404 otherwise."""
    team = get_object_or_404(yearly_teams(user).select_related("school"), pk=pk)
    school_year = get_object_or_404(SchoolYear, pk=year_pk, school_id=team.school_id)
    return team, school_year


def get_yearly_school_year_for(user: User, pk: int) -> SchoolYear:
    """A school year whose school-wide report the user may open; 404 otherwise."""
    return get_object_or_404(yearly_school_years(user).select_related("school"), pk=pk)


def may_open_yearly(
    user: User,
    *,
    scope: str,
    school_year: SchoolYear,
    community: Community | None = None,
    team: Team | None = None,
) -> bool:
    """May the user open (and compile) this yearly report?"""
    if scope == YearlyReportScope.PLG:
        return community is not None and opens_plg_yearly(
            relation_for(user, community, community.pk)
        )
    if scope == YearlyReportScope.TEAM:
        return (
            team is not None
            and team.school_id == school_year.school_id
            and yearly_teams(user).filter(pk=team.pk).exists()
        )
    return yearly_school_years(user).filter(pk=school_year.pk).exists()


def yearly_shows_names(user: User, report: YearlyReport) -> bool:
    """Members' names: a PLG's report, read by its team's leaders or its own teacher leaders."""
    if report.scope != YearlyReportScope.PLG or report.community_id is None:
        return False
    relation = relation_for(user, report, report.community_id)
    return relation.leads_team or relation.teacher_leader


def get_yearly_report_for(user: User, pk: int) -> YearlyReport:
    """A compiled (or compiling) yearly report the user may open; 404 otherwise."""
    if not (user.is_authenticated and user.is_active):
        raise Http404
    report = get_with_related(YearlyReport, pk, "school", "school_year", "community__team", "team")
    if report.community_id is not None:
        # Read once per request: `may_open_yearly` asks the PLG, `yearly_shows_names` the report.
        relation = viewer_relation(user, report.community_id)
        for holder in (report, report.community):
            remember_relation(holder, user, relation)
    require(
        may_open_yearly(
            user,
            scope=report.scope,
            school_year=report.school_year,
            community=report.community,
            team=report.team,
        )
    )
    return report
