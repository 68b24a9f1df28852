"""Reads for the programme lead's overview of all PLGs of a school year, in a fixed number of
queries however many PLGs the school has."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.health_selectors import health_trend
from communities.models import HEALTH_CHECK_MOMENTS, Community, CommunityKind, Membership
from communities.selectors import community_warnings
from meetings.models import MeetingStatus, ReminderSchedule

from .years import default_school_year, school_years_of

if TYPE_CHECKING:
    from communities.models import Product, School, SchoolYear
    from plg_platform.users.models import User

HELD = (MeetingStatus.HELD, MeetingStatus.REPORTED)
# A change of this much between two moments is called rising or falling, not steady.
TREND_STEP = 0.25


@dataclass
class Trend:
    """A PLG's average health-check score per moment (None: no moment or too few answers)."""

    averages: list[float | None]

    @property
    def known(self) -> list[float]:
        return [value for value in self.averages if value is not None]

    @property
    def direction(self) -> str:
        """In words, so the trend never depends on colour or an arrow alone."""
        known = self.known
        if len(known) < 2:
            return ""
        change = known[-1] - known[-2]
        if change >= TREND_STEP:
            return _("rising")
        if change <= -TREND_STEP:
            return _("falling")
        return _("steady")


@dataclass
class OverviewRow:
    community: Community
    teacher_leaders: list[User]
    warnings: list[str]
    planned: int
    held: int
    overdue: int
    trend: Trend
    product: Product | None = None


@dataclass
class ProgrammeOverview:
    school: School
    school_year: SchoolYear | None
    school_years: list[SchoolYear]
    rows: list[OverviewRow] = field(default_factory=list)
    leader_plgs: list[OverviewRow] = field(default_factory=list)
    report_days: int = 0

    @property
    def warning_count(self) -> int:
        return sum(bool(row.warnings) for row in self.rows)

    @property
    def overdue_count(self) -> int:
        return sum(row.overdue for row in self.rows + self.leader_plgs)


def report_days_for(school: School) -> int:
    """Days after a meeting within which its report is due (the school's reminder lead time)."""
    schedule = ReminderSchedule.objects.filter(school=school).values("report_days").first()
    if schedule:
        return schedule["report_days"]
    return ReminderSchedule._meta.get_field("report_days").get_default()


def programme_overview(school: School, school_year: SchoolYear | None = None) -> ProgrammeOverview:
    """Every PLG of the school's year with leaders, size, warnings, meetings, health, product."""
    school_years = school_years_of(school)
    now = timezone.now()
    if school_year is None:
        school_year = default_school_year(school_years, timezone.localdate(now))
    overview = ProgrammeOverview(school=school, school_year=school_year, school_years=school_years)
    if school_year is None:
        return overview

    overview.report_days = report_days_for(school)
    overdue_before = now - dt.timedelta(days=overview.report_days)
    communities = list(
        Community.objects.filter(school_year=school_year)
        .select_related("team", "product_record")
        .with_counts()
        .annotate(
            planned=Count(
                "meetings", filter=~Q(meetings__status=MeetingStatus.CANCELLED), distinct=True
            ),
            held=Count("meetings", filter=Q(meetings__status__in=HELD), distinct=True),
            # A held meeting becomes "reported" once its phase-6 report is final.
            overdue=Count(
                "meetings",
                filter=Q(
                    meetings__status=MeetingStatus.HELD, meetings__starts_at__lt=overdue_before
                ),
                distinct=True,
            ),
        )
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(
                    is_teacher_leader=True, user__deleted_at__isnull=True
                )
                .select_related("user")
                .order_by("user__name", "user__email"),
                to_attr="leader_memberships",
            )
        )
        .order_by("team__name", "name")
    )
    # Overall average per moment; moments under the minimum of answers stay None.
    trends = health_trend(communities)
    for community in communities:
        is_leader_plg = community.kind == CommunityKind.TEACHER_LEADERS
        row = OverviewRow(
            community=community,
            teacher_leaders=[m.user for m in community.leader_memberships],
            # In the teacher leaders' own PLG everyone leads; the PLG advice does not apply.
            warnings=[]
            if is_leader_plg
            else community_warnings(
                group_size=community.group_size,
                teacher_leader_count=community.teacher_leader_count,
                is_first_year=community.is_first_year,
            ),
            planned=community.planned,
            held=community.held,
            overdue=community.overdue,
            trend=Trend(trends.get(community.pk) or [None] * HEALTH_CHECK_MOMENTS),
            product=getattr(community, "product_record", None),
        )
        (overview.leader_plgs if is_leader_plg else overview.rows).append(row)
    return overview


def overview_schools(user: User):
    """The schools whose programme overview the user may open: those they administer."""
    from communities.permissions import administered_schools

    return administered_schools(user).order_by("name")
