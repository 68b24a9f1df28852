"""Fixtures for case sessions: meeting 2 of world.community with more members, two submitted
cases and two small groups, seen while the meeting is on.

Who is who at `session.meeting` (meeting 2, Tuesday 29 September 2026, 15:30-18:00):

- group 1, led by `development_team`: `participant` (presenter of `session.case`),
  `session.members[0]`, `session.members[1]`;
- group 2, led by `session.second_dev`: `session.members[2]` (presenter of
  `session.other_case`), `session.members[3]`, `session.members[4]`;
- `teacher_leader` runs the meeting; `session.drafter` (members[5]) has a draft case and
  sits in no group; `team_leader`, `school_admin` and `expert` are not in a group.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.utils import timezone

from casework.models import CaseStatus, MeetingReport, SmallGroup, SmallGroupMember, WorkCase
from casework.services.reports import report_compile, report_finalise
from meetings.models import Attendance, AttendanceStatus, Meeting
from tests.casework.report_notes import give_theme, make_preparers, write_notes, write_reflections
from tests.factories import MembershipFactory, UserFactory


@dataclass
class Session:
    meeting: Meeting
    case: WorkCase
    other_case: WorkCase
    draft: WorkCase
    drafter: object
    second_dev: object
    groups: list[SmallGroup]
    members: list = field(default_factory=list)


def during(meeting: Meeting) -> dt.datetime:
    """Half an hour into the meeting."""
    return meeting.starts_at + dt.timedelta(minutes=30)


def make_case(meeting: Meeting, presenter, title: str, *, submitted: bool = True) -> WorkCase:
    return WorkCase.objects.create(
        meeting=meeting,
        presenter=presenter,
        title=title,
        situation=f"SITUATION of {title}",
        question=f"QUESTION of {title}",
        tried="tried things",
        why_now="it is urgent",
        status=CaseStatus.SUBMITTED if submitted else CaseStatus.DRAFT,
        submitted_at=timezone.now() if submitted else None,
    )


def seat(group: SmallGroup, *users) -> None:
    for user in users:
        SmallGroupMember.objects.create(group=group, meeting=group.meeting, member=user)


@pytest.fixture
def session_members(world):
    """Six more participants and a second development-team member of world.community."""
    members = [
        UserFactory(email=f"member{index}@lyceum.example", name=f"Member {index}")
        for index in range(6)
    ]
    for user in members:
        MembershipFactory(community=world.community, user=user, is_participant=True)
    second_dev = UserFactory(email="devteam2@lyceum.example", name="Dirk Devteam")
    MembershipFactory(
        community=world.community, user=second_dev, is_participant=True, is_development_team=True
    )
    return members, second_dev


@pytest.fixture
def session(
    world, meetings, participant, teacher_leader, development_team, session_members
) -> Session:
    """Meeting 2 with two submitted cases, one draft, attendance and two small groups."""
    members, second_dev = session_members
    meeting = meetings[1]
    case = make_case(meeting, participant, "Restless class after the break")
    other_case = make_case(meeting, members[2], "Parents who e-mail at night")
    draft = make_case(meeting, members[5], "A draft nobody else reads", submitted=False)
    present = [participant, development_team, second_dev, *members[:5]]
    for user in present:
        Attendance.objects.create(
            meeting=meeting,
            member=user,
            status=AttendanceStatus.PRESENT,
            recorded_by=teacher_leader,
        )
    first = SmallGroup.objects.create(meeting=meeting, number=1, leader=development_team, case=case)
    second = SmallGroup.objects.create(
        meeting=meeting, number=2, leader=second_dev, case=other_case
    )
    seat(first, development_team, participant, members[0], members[1])
    seat(second, second_dev, members[2], members[3], members[4])
    return Session(
        meeting=meeting,
        case=case,
        other_case=other_case,
        draft=draft,
        drafter=members[5],
        second_dev=second_dev,
        groups=[first, second],
        members=members,
    )


@pytest.fixture
def in_the_meeting(session, before_the_year):
    """Move the frozen clock to half an hour into the session's meeting."""
    before_the_year.move_to(during(session.meeting))
    return session


@pytest.fixture
def after_the_meeting(session, before_the_year):
    """Move the frozen clock to the evening after the session's meeting."""
    before_the_year.move_to(session.meeting.ends_at + dt.timedelta(hours=3))
    return session


@pytest.fixture
def noted(after_the_meeting, development_team, participant):
    """The evening after meeting 2: preparers, a theme, notes and two reflections."""
    session = after_the_meeting
    make_preparers(session, development_team)
    give_theme(session)
    write_notes(session)
    write_reflections(session, participant)
    return session


@pytest.fixture
def draft(noted, development_team) -> MeetingReport:
    return report_compile(meeting=noted.meeting, actor=development_team)


@pytest.fixture
def final(draft, development_team) -> MeetingReport:
    return report_finalise(report=draft, actor=development_team)
