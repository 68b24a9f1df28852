"""A security world: real objects of every kind in PLG A and PLG B of school A and PLG C of
school B, and the personas that walk the URLs and fuzz the forms."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlparse

import pytest
from django.urls import resolve

from casework.models import NextStep, SmallGroup, WorkCase, YearlyReport, YearlyReportScope
from communities.health_services import health_moments_ensure
from communities.models import (
    HealthAction,
    HealthActionRole,
    Product,
    ProductLink,
)
from meetings.models import (
    AbsenceRequest,
    Meeting,
    MeetingMaterial,
    Notification,
    NotificationKind,
    ThemeProposal,
)
from meetings.services.calendar import calendar_feed_create
from plg_platform.users.tokens import invitation_url
from teacherleaders.models import Training
from teacherleaders.services.leader_plg import leader_plg_ensure
from tests.bench.school import AMSTERDAM, BenchSchool, build_school

# The moment both security tests travel to: mid-year, meetings 1 and 2 held, 3 to 6 to come.
NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=AMSTERDAM)
# build_school's member order: two teacher leaders, then development team, then participants.
TEACHER_LEADER, SECOND_LEADER, PARTICIPANT, OWNER = 0, 1, 3, 4


@dataclass
class Site:
    """One PLG and one object of every kind that hangs under it (or under its school)."""

    name: str
    school: object
    school_year: object
    team: object
    community: object
    members: list
    owner: object
    membership: object
    meeting: object
    # The next meeting after NOW: still planned, so forms about a coming meeting accept input.
    coming: object
    # The last meeting that started before NOW: held, its evaluation and reflections open.
    held: object
    theme: object
    proposal: object
    material: object
    absence: object
    notification: object
    case: object
    group: object
    step: object
    yearly_plg: object
    yearly_team: object
    yearly_school: object
    health_number: int
    health_action: object
    product_link: object
    training: object
    leader_meeting: object
    calendar_token: str
    invitation: dict


@dataclass
class SecurityWorld:
    sites: dict[str, Site]
    personas: dict[str, object]
    # Where each persona belongs: the site whose PLG it is a member of, leads the team of,
    # or whose school it runs.
    member_of: dict[str, set[str]]
    team_leader_of: dict[str, set[str]]
    admin_of: dict[str, set[str]]
    school_of: dict[str, str | None]


def _site(name: str, bench: BenchSchool, index: int, leader_meeting) -> Site:
    community = bench.communities[index]
    members = list(
        community.memberships.order_by("pk").select_related("user").values_list("user", flat=True)
    )
    from django.contrib.auth import get_user_model

    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=members)}
    people = [users[pk] for pk in members]
    owner = people[OWNER]
    meeting = Meeting.objects.filter(community=community).order_by("number").first()
    coming = (
        Meeting.objects.filter(community=community, starts_at__gt=NOW).order_by("number").first()
    )
    held = Meeting.objects.filter(community=community, starts_at__lt=NOW).order_by("number").last()
    case = WorkCase.objects.filter(meeting=meeting).order_by("pk").first()
    group = SmallGroup.objects.filter(meeting=meeting).order_by("pk").first()
    # A step (and so its review page) belongs to its presenter: pick one who is no persona.
    step = (
        NextStep.objects.filter(meeting__community=community)
        .exclude(presenter__in=[people[TEACHER_LEADER], people[PARTICIPANT]])
        .order_by("pk")
        .first()
    )
    leader = people[TEACHER_LEADER]
    proposal = ThemeProposal.objects.create(
        community=community, author=owner, title=f"Pesten {name}", why="Het speelt in 2b."
    )
    material = MeetingMaterial.objects.create(
        meeting=meeting, title="Artikel", url="https://example.org/artikel", added_by=leader
    )
    absence, _ = AbsenceRequest.objects.get_or_create(
        meeting=Meeting.objects.get(community=community, number=6),
        member=owner,
        defaults={"reason": "Ouderavond."},
    )
    notification = Notification.objects.create(
        recipient=owner, meeting=meeting, kind=NotificationKind.MEETING_UPCOMING, event=f"s-{name}"
    )
    moments = health_moments_ensure(community=community)
    action = HealthAction.objects.create(
        moment=moments[0],
        characteristic=1,
        role=HealthActionRole.PARTICIPANT,
        text="Vaker samen lesvoorbereiden.",
        owner=owner,
        created_by=leader,
    )
    product = Product.objects.create(community=community, title="Gids", goal="Een gids.")
    link = ProductLink.objects.create(
        product=product, title="Concept", url="https://example.org/gids", added_by=leader
    )
    training = Training.objects.create(
        user=people[SECOND_LEADER], school=bench.school, course="Leiderschap", year=2026
    )
    yearly = {
        scope: YearlyReport.objects.create(
            scope=scope,
            school=bench.school,
            school_year=bench.school_year,
            community=community if scope == YearlyReportScope.PLG else None,
            team=community.team if scope == YearlyReportScope.TEAM else None,
            requested_by=bench.programme_lead,
        )
        for scope in YearlyReportScope.values
    }
    invited = urlparse(invitation_url(owner)).path
    return Site(
        name=name,
        school=bench.school,
        school_year=bench.school_year,
        team=community.team,
        community=community,
        members=people,
        owner=owner,
        membership=community.memberships.get(user=owner),
        meeting=meeting,
        coming=coming,
        held=held,
        theme=meeting.theme,
        proposal=proposal,
        material=material,
        absence=absence,
        notification=notification,
        case=case,
        group=group,
        step=step,
        yearly_plg=yearly[YearlyReportScope.PLG],
        yearly_team=yearly[YearlyReportScope.TEAM],
        yearly_school=yearly[YearlyReportScope.SCHOOL],
        health_number=moments[0].number,
        health_action=action,
        product_link=link,
        training=training,
        leader_meeting=leader_meeting,
        calendar_token=calendar_feed_create(user=owner).token,
        invitation=resolve(invited).kwargs,
    )


def _leader_meeting(bench: BenchSchool):
    community = leader_plg_ensure(school_year=bench.school_year, actor=bench.programme_lead)
    return Meeting.objects.create(
        community=community,
        number=1,
        starts_at=dt.datetime(2026, 9, 10, 16, 0, tzinfo=AMSTERDAM),
    )


@pytest.fixture
def security_world(db) -> SecurityWorld:
    """Schools A (PLGs A and B, each its own team) and B (PLG C), with one of everything."""
    school_a = build_school(plgs=2, members=6, plgs_per_team=1, name="School A", as_of=NOW)
    school_b = build_school(plgs=1, members=6, plgs_per_team=1, name="School B", as_of=NOW)
    leader_a = _leader_meeting(school_a)
    leader_b = _leader_meeting(school_b)
    sites = {
        "A": _site("A", school_a, 0, leader_a),
        "B": _site("B", school_a, 1, leader_a),
        "C": _site("C", school_b, 0, leader_b),
    }
    personas = {
        "participant": sites["A"].members[PARTICIPANT],
        "teacher_leader": sites["A"].members[TEACHER_LEADER],
        "team_leader": school_a.team_leaders[0],
        "programme_lead": school_a.programme_lead,
        "other_plg_member": sites["B"].members[PARTICIPANT],
        "other_school_user": school_b.programme_lead,
        "anonymous": None,
    }
    return SecurityWorld(
        sites=sites,
        personas=personas,
        member_of={"participant": {"A"}, "teacher_leader": {"A"}, "other_plg_member": {"B"}},
        team_leader_of={"team_leader": {"A"}},
        admin_of={"programme_lead": {"A", "B"}, "other_school_user": {"C"}},
        school_of={
            "participant": "School A",
            "teacher_leader": "School A",
            "team_leader": "School A",
            "programme_lead": "School A",
            "other_plg_member": "School A",
            "other_school_user": "School B",
            "anonymous": None,
        },
    )
