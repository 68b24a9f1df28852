"""The yearly report's numbers, against the hand-computed year in tests/casework/yearly_world.py."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.selectors.yearly import yearly_report
from communities.health_selectors import enough_answers
from communities.models import HEALTH_MIN_ANSWERS, CommunityKind
from meetings.models import AbsenceRequest, AbsenceStatus
from meetings.services import year_plan_create
from tests.casework.yearly_world import (
    ABSENCE_REASON,
    CASE_TEXT,
    DRAFT_EVALUATION,
    HIGHLIGHT,
    REFLECTION_MARKER,
    STEP_WORDS,
    build_year,
)
from tests.factories import CommunityFactory, MembershipFactory, UserFactory


@pytest.fixture
def year(world, meetings, teacher_leader, development_team, participant, expert):
    return build_year(
        world, meetings, tom=teacher_leader, dana=development_team, pia=participant, expert=expert
    )


@pytest.fixture
def plg_report(world, year):
    return yearly_report(school_year=world.school_year, scope="plg", community=world.community)


def test_meetings_planned_held_moved_and_themes(plg_report, year):
    meetings = plg_report["meetings"]
    assert (meetings["planned"], meetings["held"], meetings["moved"]) == (6, 3, 1)
    assert meetings["held_on_time"] == 2
    assert meetings["themes"] == sorted(
        [year.meetings[0].theme.title, "Feedback that lands", "Bullying"]
    )
    assert [row["moved"] for row in meetings["rows"]] == [False, True, False, False, False, False]


def test_attendance_per_meeting_counts_approved_absence_apart(plg_report):
    rows = plg_report["meetings"]["rows"]
    assert [(r["present"], r["excused"], r["absent"]) for r in rows[:3]] == [
        (4, 1, 0),
        (4, 0, 1),
        (5, 0, 0),
    ]
    assert [r["approved_requests"] for r in rows[:3]] == [1, 0, 0]
    assert plg_report["meetings"]["attendance"] == {
        "people": 15,
        "present": 13,
        "excused": 1,
        "absent": 1,
    }


def test_approved_requests_of_a_meeting_of_fewer_than_three_people_are_hidden(
    world, year, participant
):
    AbsenceRequest.objects.create(
        meeting=year.meetings[3], member=participant, reason="ILL", status=AbsenceStatus.APPROVED
    )
    data = yearly_report(school_year=world.school_year, scope="plg", community=world.community)
    row = data["meetings"]["rows"][3]
    assert (row["people"], row["approved_requests"]) == (0, None)
    assert data["meetings"]["rows"][0]["approved_requests"] == 1


def test_meetings_without_attendance_show_no_counts(plg_report):
    later = plg_report["meetings"]["rows"][3:]
    assert all(row["people"] == 0 and row["present"] is None for row in later)


def test_attendance_and_hours_per_member(plg_report):
    members = plg_report["members"]
    rows = {row["name"]: row for row in members["rows"]}
    assert list(rows) == [
        "Anna Alpha",
        "Bram Beta",
        "Dana Devteam",
        "Pia Participant",
        "Tom Teacherleader",
    ]
    assert (rows["Bram Beta"]["present"], rows["Bram Beta"]["excused"]) == (2, 1)
    assert (rows["Pia Participant"]["present"], rows["Pia Participant"]["absent"]) == (2, 1)
    assert rows["Anna Alpha"]["participation"] == "7.5"
    assert rows["Pia Participant"]["participation"] == "5"
    assert rows["Pia Participant"]["preparation"] is None
    dana = rows["Dana Devteam"]
    assert (dana["preparation"], dana["preparation_norm"]) == ("5.5", "5")
    assert dana["participation_norm"] == "15"
    assert members["count"] == 5
    assert members["meeting_norms"] == 0
    assert members["development_team"] == 1


def test_cases_scores_and_steps(plg_report):
    assert plg_report["cases"] == {"count": 4, "presenters": 3, "members": 5}
    scores = plg_report["scores"]
    assert scores["people"] == 3
    assert scores["count"] == 4
    assert scores["distribution"] == [0, 0, 0, 0, 0, 0, 2, 1, 1, 0, 0]
    assert scores["average"] == 6.8
    assert plg_report["steps"] == {
        "people": 3,
        "shown": True,
        "open": 1,
        "done": 1,
        "partly": 1,
        "not_done": 1,
    }


def test_highlights_come_from_final_reports_only(plg_report):
    assert [(h["number"], h["text"]) for h in plg_report["highlights"]] == [(2, HIGHLIGHT)]
    assert DRAFT_EVALUATION not in json.dumps(plg_report)


def test_no_private_text_reaches_the_report(world, year):
    for scope, kwargs in (
        ("plg", {"community": world.community}),
        ("team", {"team": world.team}),
        ("school", {}),
    ):
        text = json.dumps(yearly_report(school_year=world.school_year, scope=scope, **kwargs))
        for secret in (REFLECTION_MARKER, ABSENCE_REASON, CASE_TEXT, STEP_WORDS):
            assert secret not in text


def test_team_and_school_reports_carry_no_names(world, year):
    for scope, kwargs in (("team", {"team": world.team}), ("school", {})):
        data = yearly_report(school_year=world.school_year, scope=scope, **kwargs)
        assert data["names_included"] is False
        assert {row["name"] for row in data["members"]["rows"]} == {None}
        assert "Pia Participant" not in json.dumps(data)
        assert data["meetings"]["planned"] == 6
        assert [plg["name"] for plg in data["plgs"]] == ["Feedback", "Formatief toetsen"]


def test_school_report_highlights_only_the_evaluation_meeting(world, year):
    data = yearly_report(school_year=world.school_year, scope="school")
    assert data["highlights"] == []


def test_the_other_school_is_never_counted(world, year):
    data = yearly_report(school_year=world.other_school_year, scope="school")
    assert data["meetings"]["planned"] == 0
    assert data["members"]["count"] == 0


def test_enough_people_is_three_and_the_one_rule_of_communities():
    from casework.selectors import yearly

    assert yearly.enough_people is enough_answers
    assert HEALTH_MIN_ANSWERS == 3
    assert not enough_answers(2)
    assert enough_answers(3)


def test_scores_of_two_people_are_hidden(world, meetings, participant, development_team):
    from casework.models import NoteField, PhaseNote, SmallGroup
    from tests.casework.yearly_world import _case

    for number, (person, score) in enumerate(((participant, "3"), (development_team, "9")), 1):
        group = SmallGroup.objects.create(
            meeting=meetings[1], number=number, case=_case(meetings[1], person, f"Case {number}")
        )
        PhaseNote.objects.create(
            meeting=meetings[1], group=group, field=NoteField.SCORE, text=score
        )
    data = yearly_report(school_year=world.school_year, scope="plg", community=world.community)
    assert data["scores"] == {
        "people": 2,
        "shown": False,
        "count": None,
        "distribution": None,
        "average": None,
    }


def test_attendance_of_two_people_is_hidden(world, meetings, participant, teacher_leader):
    from meetings.models import Attendance, AttendanceStatus

    for person in (participant, teacher_leader):
        Attendance.objects.create(
            meeting=meetings[0], member=person, status=AttendanceStatus.PRESENT
        )
    data = yearly_report(school_year=world.school_year, scope="plg", community=world.community)
    assert data["meetings"]["rows"][0]["present"] is None
    assert data["meetings"]["attendance"]["present"] is None


def test_members_without_names_need_three_people(world, participant, teacher_leader):
    data = yearly_report(school_year=world.school_year, scope="team", team=world.team)
    assert data["members"]["count"] == 2
    assert data["members"]["rows"] == []
    assert data["members"]["meeting_norms"] is None


def test_unknown_scope_is_refused(world):
    with pytest.raises(ValueError):
        yearly_report(school_year=world.school_year, scope="country")


def test_plg_of_another_year_is_refused(world):
    with pytest.raises(ValueError):
        yearly_report(
            school_year=world.school_year, scope="plg", community=world.other_school_community
        )


# Query counts ------------------------------------------------------------------------------


def _fill_plg(community, *, members: int, actor) -> None:
    """A PLG with `members` participants, six meetings, and attendance of everyone at each."""
    from meetings.models import Attendance, AttendanceStatus, MeetingPreparer

    people = [
        UserFactory(email=f"{community.pk}-{index}@bench.example", name=f"M {index}")
        for index in range(members)
    ]
    for person in people:
        MembershipFactory(community=community, user=person, is_participant=True)
    planned = year_plan_create(
        community=community, actor=actor, weekday=1, start_time=dt.time(15, 30)
    )
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, member=person, status=AttendanceStatus.PRESENT)
        for meeting in planned
        for person in people
    )
    MeetingPreparer.objects.create(meeting=planned[1], user=people[0], hours=2)


def _queries(**kwargs) -> int:
    with CaptureQueriesContext(connection) as queries:
        yearly_report(**kwargs)
    return len(queries)


def test_school_report_queries_do_not_grow_with_plgs(world, school_admin, before_the_year):
    communities = [
        CommunityFactory(team=world.team, school_year=world.school_year, name=f"PLG {index}")
        for index in range(20)
    ]
    for community in communities[:2]:
        _fill_plg(community, members=3, actor=school_admin)
    few = _queries(school_year=world.school_year, scope="school")
    for community in communities[2:]:
        _fill_plg(community, members=3, actor=school_admin)
    many = _queries(school_year=world.school_year, scope="school")
    assert few == many


def test_plg_report_queries_do_not_grow_with_members(world, school_admin, before_the_year):
    small = CommunityFactory(team=world.team, school_year=world.school_year, name="Small")
    large = CommunityFactory(team=world.team, school_year=world.school_year, name="Large")
    _fill_plg(small, members=3, actor=school_admin)
    _fill_plg(large, members=12, actor=school_admin)
    assert _queries(school_year=world.school_year, scope="plg", community=small) == _queries(
        school_year=world.school_year, scope="plg", community=large
    )


# Rows without names: small role groups left out ------------------------------------------------


def test_rows_without_names_leave_out_a_development_team_under_three(world, year):
    data = yearly_report(school_year=world.school_year, scope="team", team=world.team)
    members = data["members"]
    assert members["count"] == 5
    assert members["development_team"] == 1
    # Dana, the PLG's only development-team member, would be "the one with preparation hours".
    assert len(members["rows"]) == 4
    assert not any(row["development_team"] for row in members["rows"])
    assert all(row["preparation"] is None for row in members["rows"])
    # The totals still count everyone.
    assert members["meeting_norms"] == 0


def test_rows_without_names_keep_a_development_team_of_three(world, year):
    for email in ("dev2@lyceum.example", "dev3@lyceum.example"):
        MembershipFactory(
            community=world.community,
            user=UserFactory(email=email),
            is_participant=True,
            is_development_team=True,
        )
    data = yearly_report(school_year=world.school_year, scope="team", team=world.team)
    rows = data["members"]["rows"]
    assert len(rows) == 7
    assert sum(row["development_team"] for row in rows) == 3


def test_rows_without_names_leave_out_a_plg_with_fewer_than_three_participants(world, year):
    small = CommunityFactory(team=world.team, school_year=world.school_year, name="Small")
    for index in range(2):
        MembershipFactory(community=small, user=UserFactory(email=f"s{index}@lyceum.example"))
    data = yearly_report(school_year=world.school_year, scope="school")
    assert data["members"]["count"] == 7
    assert {row["plg"] for row in data["members"]["rows"]} == {"Feedback"}


def test_a_plg_report_keeps_every_named_row(plg_report):
    rows = plg_report["members"]["rows"]
    assert len(rows) == 5
    assert [row["name"] for row in rows if row["development_team"]] == ["Dana Devteam"]


# The teacher leaders' own PLG --------------------------------------------------------------------


@pytest.fixture
def leaders_plg(world, year, school_admin):
    """The teacher leaders' PLG in the same team and year, with three members and a year plan."""
    community = CommunityFactory(
        team=world.team,
        school_year=world.school_year,
        name="Teacher leaders",
        kind=CommunityKind.TEACHER_LEADERS,
    )
    _fill_plg(community, members=3, actor=school_admin)
    return community


@pytest.mark.parametrize("scope", ["team", "school"])
def test_team_and_school_reports_leave_out_the_teacher_leaders_plg(world, leaders_plg, scope):
    kwargs = {"team": world.team} if scope == "team" else {}
    data = yearly_report(school_year=world.school_year, scope=scope, **kwargs)
    assert [plg["name"] for plg in data["plgs"]] == ["Feedback", "Formatief toetsen"]
    assert data["members"]["count"] == 5
    assert data["meetings"]["planned"] == 6
    assert "Teacher leaders" not in json.dumps(data)


def test_the_teacher_leaders_plg_has_its_own_report(world, leaders_plg):
    data = yearly_report(school_year=world.school_year, scope="plg", community=leaders_plg)
    assert [plg["name"] for plg in data["plgs"]] == ["Teacher leaders"]
    assert data["members"]["count"] == 3
    assert data["meetings"]["planned"] == 6
    assert data["meetings"]["attendance"]["present"] == 18


def test_school_report_queries_do_not_change_with_a_teacher_leaders_plg(world, year, school_admin):
    without = _queries(school_year=world.school_year, scope="school")
    community = CommunityFactory(
        team=world.team, school_year=world.school_year, kind=CommunityKind.TEACHER_LEADERS
    )
    _fill_plg(community, members=3, actor=school_admin)
    assert _queries(school_year=world.school_year, scope="school") == without
