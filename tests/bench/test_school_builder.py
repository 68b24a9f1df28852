"""The benchmark's school builder makes the rows it promises, so the benchmark cannot rot."""

from __future__ import annotations

import datetime as dt

import pytest

from casework.models import (
    CaseStatus,
    MeetingReport,
    NextStep,
    NoteField,
    PhaseNote,
    Reflection,
    ReportStatus,
    SmallGroup,
    SmallGroupMember,
    StepStatus,
    WorkCase,
)
from communities.models import Community, Membership, Team
from meetings.models import (
    AbsenceRequest,
    Attendance,
    AttendanceStatus,
    ChangeKind,
    Meeting,
    MeetingChange,
    MeetingPreparer,
    MeetingStatus,
)
from tests.bench.school import PRIVATE_MARKER, BenchSchool, build_school

pytestmark = pytest.mark.django_db


@pytest.fixture
def small() -> BenchSchool:
    return build_school(plgs=2, members=4)


def test_builder_makes_the_school_its_teams_plgs_and_people(small):
    assert Team.objects.filter(school=small.school).count() == 1
    assert small.school.admins.get() == small.programme_lead
    assert list(small.teams[0].leaders.all()) == small.team_leaders
    assert Community.objects.filter(school_year=small.school_year).count() == 2
    assert Membership.objects.filter(community__in=small.communities).count() == 8
    assert Membership.objects.values("user").distinct().count() == 8


def test_builder_gives_each_plg_two_teacher_leaders_and_a_development_team(small):
    for community in small.communities:
        memberships = Membership.objects.filter(community=community)
        assert memberships.filter(is_teacher_leader=True).count() == 2
        assert memberships.filter(is_development_team=True).count() == 1
        assert memberships.filter(is_participant=True).count() == 2


def test_builder_plans_six_reported_meetings_per_plg_inside_the_school_year(small):
    meetings = Meeting.objects.filter(community__in=small.communities)
    assert meetings.count() == 12
    assert set(meetings.values_list("status", flat=True)) == {MeetingStatus.REPORTED}
    for meeting in meetings:
        assert small.school_year.contains(meeting.starts_at.date())
    assert MeetingChange.objects.filter(meeting__in=meetings, kind=ChangeKind.PLANNED).count() == 12
    assert MeetingPreparer.objects.filter(meeting__in=meetings).count() == 12


def test_builder_records_attendance_of_every_member_at_every_meeting(small):
    assert Attendance.objects.filter(meeting__community__in=small.communities).count() == 12 * 4
    # Approved absences are the excused ones; anything else excused would be a builder bug.
    excused = Attendance.objects.filter(status=AttendanceStatus.EXCUSED)
    assert excused.count() == AbsenceRequest.objects.filter(status="approved").count()


def test_builder_gives_each_small_group_a_submitted_case_a_score_and_a_first_step(small):
    groups = SmallGroup.objects.filter(meeting__community__in=small.communities)
    assert groups.count() >= 1
    for group in groups.select_related("case"):
        assert group.case.status == CaseStatus.SUBMITTED
        scores = PhaseNote.objects.filter(group=group, field=NoteField.SCORE)
        assert 0 <= int(scores.get().text) <= 10
        step = NextStep.objects.get(note__group=group)
        assert step.presenter_id == group.case.presenter_id
    assert WorkCase.objects.filter(status=CaseStatus.SUBMITTED).count() == groups.count()


def test_builder_seats_only_members_who_were_present(small):
    present = set(
        Attendance.objects.filter(status=AttendanceStatus.PRESENT).values_list(
            "meeting_id", "member_id"
        )
    )
    seats = set(SmallGroupMember.objects.values_list("meeting_id", "member_id"))
    assert seats
    assert seats <= present


def test_builder_leaves_the_last_meetings_first_steps_open(small):
    last = NextStep.objects.filter(meeting__number=6)
    assert last.exists()
    assert set(last.values_list("status", flat=True)) == {StepStatus.OPEN}


def test_builder_finalises_one_phase_6_report_per_meeting(small):
    reports = MeetingReport.objects.filter(meeting__community__in=small.communities)
    assert reports.count() == 12
    assert set(reports.values_list("status", flat=True)) == {ReportStatus.FINAL}


def test_builder_writes_private_and_shared_reflections_in_a_school_sized_build():
    school = build_school(plgs=3, members=15)
    reflections = Reflection.objects.filter(meeting__community__in=school.communities)
    private = reflections.filter(shared=False)
    assert private.exists()
    assert reflections.filter(shared=True).exists()
    assert all(PRIVATE_MARKER in reflection.learned for reflection in private)
    # 15 members make three small groups at most meetings, led by development-team members.
    assert SmallGroup.objects.filter(meeting__community__in=school.communities).count() >= 18 * 2


def test_builder_is_repeatable_with_the_same_seed():
    first = build_school(plgs=1, members=6, name="Eerste")
    second = build_school(plgs=1, members=6, name="Tweede")

    def shape(school: BenchSchool) -> list:
        return list(
            Attendance.objects.filter(meeting__community__in=school.communities)
            .order_by("meeting__number", "member__email")
            .values_list("meeting__number", "status")
        )

    assert shape(first) == shape(second)


def test_reminder_moment_lies_just_after_a_day_before_the_busiest_meeting_start():
    school = build_school(plgs=8, members=3)
    start = school.busiest_start(4)
    # PLGs meet on four weekdays, so two of the eight share a date (three when one was moved).
    assert school.starts[4].count(start) == max(map(school.starts[4].count, school.starts[4]))
    assert school.starts[4].count(start) >= 2
    moment = school.before_busiest(days=1, number=4)
    assert dt.timedelta(hours=23) < start - moment < dt.timedelta(days=1)


def test_builder_as_of_a_moment_holds_the_past_meetings_and_plans_the_rest():
    as_of = dt.datetime(2027, 3, 7, 15, 35, tzinfo=dt.UTC)
    school = build_school(plgs=4, members=15, as_of=as_of)
    meetings = Meeting.objects.filter(community__in=school.communities)
    coming = meetings.filter(starts_at__gt=as_of)
    assert set(coming.values_list("status", flat=True)) == {MeetingStatus.PLANNED}
    long_past = meetings.filter(starts_at__lt=as_of - dt.timedelta(days=3))
    assert set(long_past.values_list("status", flat=True)) == {MeetingStatus.REPORTED}
    # A meeting still to come has no attendance, groups, reflections or report yet.
    assert not Attendance.objects.filter(meeting__in=coming).exists()
    assert not SmallGroup.objects.filter(meeting__in=coming).exists()
    assert not Reflection.objects.filter(meeting__in=coming).exists()
    assert not MeetingReport.objects.filter(meeting__in=coming).exists()
    # Nothing is dated after the moment of the build.
    assert not Reflection.objects.filter(created_at__gt=as_of).exists()
    assert not WorkCase.objects.filter(created_at__gt=as_of).exists()
    assert not NextStep.objects.filter(reviewed_at__gt=as_of).exists()
    assert not MeetingReport.objects.filter(finalised_at__gt=as_of).exists()


def test_builder_as_of_a_moment_gives_the_next_meeting_cases_and_drafts():
    school = build_school(plgs=4, members=15)
    start = school.busiest_start(4)
    school = build_school(plgs=4, members=15, name="Later", as_of=start - dt.timedelta(days=1))
    next_meetings = Meeting.objects.filter(community__in=school.communities, starts_at=start)
    assert next_meetings.exists()
    cases = WorkCase.objects.filter(meeting__in=next_meetings)
    assert cases.filter(status=CaseStatus.SUBMITTED).exists()
    assert cases.filter(status=CaseStatus.DRAFT).exists()
    # The previous meeting's first small steps wait to be looked back on.
    previous = NextStep.objects.filter(meeting__community__in=school.communities, meeting__number=3)
    assert previous.filter(status=StepStatus.OPEN).exists()
