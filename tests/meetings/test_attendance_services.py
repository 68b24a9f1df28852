"""meetings.services.attendance and its selectors: absence requests, decisions, attendance,
and the hours overview."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from meetings.models import (
    AbsenceRequest,
    AbsenceStatus,
    Attendance,
    AttendanceStatus,
    ChangeKind,
    MeetingChange,
    MeetingPreparer,
    MeetingStatus,
)
from meetings.selectors.attendance import (
    attendance_sheet,
    clock_hours,
    expected_list,
    hours_overview,
)
from meetings.services import year_plan_create
from meetings.services.attendance import (
    absence_decide,
    absence_submit,
    absence_withdraw,
    attendance_record,
)
from tests.factories import MembershipFactory, TeamFactory, UserFactory

PRESENT, EXCUSED, ABSENT = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.EXCUSED,
    AttendanceStatus.ABSENT,
)


def _on_the_day(traveller, meeting, hours: float = 3) -> None:
    """Move the frozen clock to `hours` after the meeting's start (negative: before it)."""
    traveller.move_to(meeting.starts_at + dt.timedelta(hours=hours))


def _request(meeting, member, reason="Ziek") -> AbsenceRequest:
    return absence_submit(meeting=meeting, member=member, reason=reason)


# Absence requests ---------------------------------------------------------------------------


def test_member_submits_a_pending_absence_request(meetings, participant) -> None:
    absence = _request(meetings[1], participant, "Tandarts")

    absence.refresh_from_db()
    assert absence.status == AbsenceStatus.PENDING
    assert absence.reason == "Tandarts"


def test_second_submit_changes_the_reason_of_the_pending_request(meetings, participant) -> None:
    _request(meetings[1], participant, "Tandarts")

    _request(meetings[1], participant, "Bruiloft van mijn zus")

    absence = AbsenceRequest.objects.get(meeting=meetings[1], member=participant)
    assert absence.reason == "Bruiloft van mijn zus"
    assert AbsenceRequest.objects.filter(meeting=meetings[1]).count() == 1


def test_reason_is_stripped_of_surrounding_spaces(meetings, participant) -> None:
    absence = _request(meetings[1], participant, "  Tandarts \n")

    assert absence.reason == "Tandarts"


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_absence_request_without_a_reason_is_refused(meetings, participant, reason) -> None:
    with pytest.raises(ValidationError) as error:
        _request(meetings[1], participant, reason)

    assert "reason" in error.value.message_dict
    assert not AbsenceRequest.objects.exists()


def test_reason_of_1000_characters_is_accepted(meetings, participant) -> None:
    assert len(_request(meetings[1], participant, "x" * 1000).reason) == 1000


def test_reason_longer_than_1000_characters_is_refused(meetings, participant) -> None:
    with pytest.raises(ValidationError):
        _request(meetings[1], participant, "x" * 1001)

    assert not AbsenceRequest.objects.exists()


def test_an_external_expert_alone_cannot_request_absence(meetings, expert) -> None:
    with pytest.raises(ValidationError):
        _request(meetings[1], expert)


def test_a_member_of_another_plg_cannot_request_absence(meetings, other_plg_member) -> None:
    with pytest.raises(ValidationError):
        _request(meetings[1], other_plg_member)


def test_teacher_leaders_may_request_absence_too(meetings, teacher_leader) -> None:
    assert _request(meetings[1], teacher_leader).status == AbsenceStatus.PENDING


def test_absence_request_after_the_meeting_started_is_refused(
    meetings, participant, before_the_year
) -> None:
    _on_the_day(before_the_year, meetings[1], hours=0.5)

    with pytest.raises(ValidationError):
        _request(meetings[1], participant)

    assert not AbsenceRequest.objects.exists()


def test_absence_request_earlier_on_the_day_is_accepted(
    meetings, participant, before_the_year
) -> None:
    _on_the_day(before_the_year, meetings[1], hours=-2)

    assert _request(meetings[1], participant).status == AbsenceStatus.PENDING


def test_a_decided_request_cannot_be_changed(meetings, participant, team_leader) -> None:
    absence = _request(meetings[1], participant, "Tandarts")
    absence_decide(absence=absence, actor=team_leader, approve=False)

    with pytest.raises(ValidationError):
        _request(meetings[1], participant, "Toch iets anders")

    absence.refresh_from_db()
    assert absence.reason == "Tandarts"
    assert absence.status == AbsenceStatus.DECLINED


def test_member_withdraws_a_pending_request(meetings, participant) -> None:
    absence = _request(meetings[1], participant)

    absence_withdraw(absence=absence, actor=participant)

    assert not AbsenceRequest.objects.exists()


def test_a_decided_request_cannot_be_withdrawn(meetings, participant, team_leader) -> None:
    absence = _request(meetings[1], participant)
    absence_decide(absence=absence, actor=team_leader, approve=True)

    with pytest.raises(ValidationError):
        absence_withdraw(absence=absence, actor=participant)

    assert AbsenceRequest.objects.get().status == AbsenceStatus.APPROVED


def test_nobody_else_withdraws_a_members_request(meetings, participant, teacher_leader) -> None:
    absence = _request(meetings[1], participant)

    with pytest.raises(ValidationError):
        absence_withdraw(absence=absence, actor=teacher_leader)

    assert AbsenceRequest.objects.exists()


def test_a_request_cannot_be_withdrawn_once_the_meeting_started(
    meetings, participant, before_the_year
) -> None:
    absence = _request(meetings[1], participant)
    _on_the_day(before_the_year, meetings[1], hours=1)

    with pytest.raises(ValidationError):
        absence_withdraw(absence=absence, actor=participant)

    assert AbsenceRequest.objects.exists()


# Deciding -----------------------------------------------------------------------------------


def test_team_leader_approves_a_request(meetings, participant, team_leader) -> None:
    absence = _request(meetings[1], participant)

    absence_decide(absence=absence, actor=team_leader, approve=True)

    absence.refresh_from_db()
    assert absence.status == AbsenceStatus.APPROVED
    assert absence.decided_by == team_leader
    assert absence.decided_at is not None


def test_team_leader_declines_a_request(meetings, participant, team_leader) -> None:
    absence = _request(meetings[1], participant)

    absence_decide(absence=absence, actor=team_leader, approve=False)

    absence.refresh_from_db()
    assert absence.status == AbsenceStatus.DECLINED


def test_a_second_decision_is_refused_and_the_first_stays(
    meetings, participant, team_leader
) -> None:
    absence = _request(meetings[1], participant)
    absence_decide(absence=absence, actor=team_leader, approve=True)
    stale = AbsenceRequest.objects.get(pk=absence.pk)
    stale.status = AbsenceStatus.PENDING  # as another team leader's page still shows it

    with pytest.raises(ValidationError):
        absence_decide(absence=stale, actor=team_leader, approve=False)

    absence.refresh_from_db()
    assert absence.status == AbsenceStatus.APPROVED


@pytest.mark.parametrize("persona", ["teacher_leader", "school_admin", "development_team"])
def test_only_the_team_leader_decides(meetings, participant, persona, persona_user) -> None:
    absence = _request(meetings[1], participant)

    with pytest.raises(ValidationError):
        absence_decide(absence=absence, actor=persona_user(persona), approve=True)

    absence.refresh_from_db()
    assert absence.status == AbsenceStatus.PENDING


def test_a_leader_of_another_team_does_not_decide(world, meetings, participant) -> None:
    elsewhere = UserFactory()
    TeamFactory(school=world.school, leaders=[elsewhere])
    absence = _request(meetings[1], participant)

    with pytest.raises(ValidationError):
        absence_decide(absence=absence, actor=elsewhere, approve=True)


def test_a_team_leader_does_not_decide_their_own_request(world, meetings, team_leader) -> None:
    MembershipFactory(community=world.community, user=team_leader, is_participant=True)
    absence = _request(meetings[1], team_leader)

    with pytest.raises(ValidationError):
        absence_decide(absence=absence, actor=team_leader, approve=True)


# Who is expected ----------------------------------------------------------------------------


def test_expected_list_shows_each_group_members_state_without_guests(
    meetings, participant, development_team, expert, team_leader
) -> None:
    absence_decide(absence=_request(meetings[1], participant), actor=team_leader, approve=True)
    _request(meetings[1], development_team)

    rows = {row.member: row.absence_status for row in expected_list(meetings[1])}

    assert rows[participant] == AbsenceStatus.APPROVED
    assert rows[development_team] == AbsenceStatus.PENDING
    assert expert not in rows


def test_expected_list_carries_no_reason(meetings, participant) -> None:
    _request(meetings[1], participant, "Geheime reden")

    rows = expected_list(meetings[1])

    assert "Geheime reden" not in repr(rows)


# Attendance ---------------------------------------------------------------------------------


def test_attendance_before_the_meetings_day_is_refused(
    meetings, participant, teacher_leader, before_the_year
) -> None:
    _on_the_day(before_the_year, meetings[1], hours=-24)

    with pytest.raises(ValidationError):
        attendance_record(
            meeting=meetings[1], actor=teacher_leader, statuses={participant.pk: PRESENT}
        )

    assert not Attendance.objects.exists()


def test_attendance_can_be_recorded_earlier_on_the_meetings_day(
    meetings, participant, teacher_leader, before_the_year
) -> None:
    _on_the_day(before_the_year, meetings[1], hours=-3)

    attendance_record(meeting=meetings[1], actor=teacher_leader, statuses={participant.pk: PRESENT})

    assert Attendance.objects.get().status == PRESENT


def test_attendance_is_upserted_per_member(
    meetings, participant, teacher_leader, before_the_year
) -> None:
    _on_the_day(before_the_year, meetings[1])
    attendance_record(meeting=meetings[1], actor=teacher_leader, statuses={participant.pk: PRESENT})

    attendance_record(meeting=meetings[1], actor=teacher_leader, statuses={participant.pk: ABSENT})

    assert list(Attendance.objects.values_list("member", "status")) == [(participant.pk, ABSENT)]


def test_absent_with_approval_needs_an_approved_request(
    meetings, participant, development_team, teacher_leader, before_the_year
) -> None:
    _on_the_day(before_the_year, meetings[1])

    with pytest.raises(ValidationError) as error:
        attendance_record(
            meeting=meetings[1],
            actor=teacher_leader,
            statuses={participant.pk: EXCUSED, development_team.pk: PRESENT},
        )

    assert "Pia Participant" in " ".join(error.value.messages)
    assert not Attendance.objects.exists()


def test_a_pending_request_is_not_an_approval(
    meetings, participant, teacher_leader, before_the_year
) -> None:
    _request(meetings[1], participant)
    _on_the_day(before_the_year, meetings[1])

    with pytest.raises(ValidationError):
        attendance_record(
            meeting=meetings[1], actor=teacher_leader, statuses={participant.pk: EXCUSED}
        )


def test_absent_with_approval_is_accepted_after_the_team_leader_approved(
    meetings, participant, teacher_leader, team_leader, before_the_year
) -> None:
    absence_decide(absence=_request(meetings[1], participant), actor=team_leader, approve=True)
    _on_the_day(before_the_year, meetings[1])

    attendance_record(meeting=meetings[1], actor=teacher_leader, statuses={participant.pk: EXCUSED})

    assert Attendance.objects.get().status == EXCUSED


def test_attendance_for_someone_outside_the_group_is_refused(
    meetings, participant, expert, other_plg_member, teacher_leader, before_the_year
) -> None:
    _on_the_day(before_the_year, meetings[1])

    for stranger in (expert, other_plg_member):
        with pytest.raises(ValidationError):
            attendance_record(
                meeting=meetings[1],
                actor=teacher_leader,
                statuses={participant.pk: PRESENT, stranger.pk: PRESENT},
            )

    assert not Attendance.objects.exists()


def test_an_unknown_attendance_status_is_refused(
    meetings, participant, teacher_leader, before_the_year
) -> None:
    _on_the_day(before_the_year, meetings[1])

    with pytest.raises(ValidationError):
        attendance_record(
            meeting=meetings[1], actor=teacher_leader, statuses={participant.pk: "maybe"}
        )


def test_attendance_without_any_member_is_refused(
    meetings, teacher_leader, before_the_year
) -> None:
    _on_the_day(before_the_year, meetings[1])

    with pytest.raises(ValidationError):
        attendance_record(meeting=meetings[1], actor=teacher_leader, statuses={})


@pytest.mark.parametrize("persona", ["participant", "team_leader", "development_team"])
def test_only_planners_record_attendance(
    meetings, participant, persona, persona_user, before_the_year
) -> None:
    _on_the_day(before_the_year, meetings[1])

    with pytest.raises(ValidationError):
        attendance_record(
            meeting=meetings[1], actor=persona_user(persona), statuses={participant.pk: PRESENT}
        )

    assert not Attendance.objects.exists()


def test_school_admin_records_attendance(
    meetings, participant, school_admin, before_the_year
) -> None:
    _on_the_day(before_the_year, meetings[1])

    attendance_record(meeting=meetings[1], actor=school_admin, statuses={participant.pk: PRESENT})

    assert Attendance.objects.get().recorded_by == school_admin


@pytest.mark.parametrize("old", [MeetingStatus.PLANNED, MeetingStatus.PREPARED])
def test_recording_attendance_marks_the_meeting_held(
    meetings, participant, teacher_leader, before_the_year, old
) -> None:
    meetings[1].status = old
    meetings[1].save(update_fields=["status"])
    _on_the_day(before_the_year, meetings[1])

    attendance_record(meeting=meetings[1], actor=teacher_leader, statuses={participant.pk: PRESENT})

    meetings[1].refresh_from_db()
    assert meetings[1].status == MeetingStatus.HELD
    change = MeetingChange.objects.get(meeting=meetings[1], kind=ChangeKind.STATUS)
    assert change.data == {"from": old.value, "to": "held"}
    assert change.actor == teacher_leader


def test_recording_again_adds_no_second_status_change(
    meetings, participant, teacher_leader, before_the_year
) -> None:
    _on_the_day(before_the_year, meetings[1])
    for status in (PRESENT, ABSENT):
        attendance_record(
            meeting=meetings[1], actor=teacher_leader, statuses={participant.pk: status}
        )

    assert MeetingChange.objects.filter(meeting=meetings[1], kind=ChangeKind.STATUS).count() == 1


def test_recording_attendance_never_moves_a_reported_meeting_back(
    meetings, participant, teacher_leader, before_the_year
) -> None:
    meetings[1].status = MeetingStatus.REPORTED
    meetings[1].save(update_fields=["status"])
    _on_the_day(before_the_year, meetings[1], hours=24 * 7)

    attendance_record(meeting=meetings[1], actor=teacher_leader, statuses={participant.pk: ABSENT})

    meetings[1].refresh_from_db()
    assert meetings[1].status == MeetingStatus.REPORTED
    assert not MeetingChange.objects.filter(meeting=meetings[1], kind=ChangeKind.STATUS).exists()


def test_attendance_sheet_defaults_to_present_and_to_excused_after_approval(
    meetings, participant, development_team, teacher_leader, team_leader
) -> None:
    absence_decide(absence=_request(meetings[1], participant), actor=team_leader, approve=True)
    _request(meetings[1], development_team)  # pending: still expected

    initial = {row.member: row.initial for row in attendance_sheet(meetings[1])}

    assert initial == {participant: EXCUSED, development_team: PRESENT, teacher_leader: PRESENT}


def test_attendance_sheet_starts_from_what_was_recorded(
    meetings, participant, teacher_leader, before_the_year
) -> None:
    _on_the_day(before_the_year, meetings[1])
    attendance_record(meeting=meetings[1], actor=teacher_leader, statuses={participant.pk: ABSENT})

    initial = {row.member: row.initial for row in attendance_sheet(meetings[1])}

    assert initial[participant] == ABSENT


# Hours --------------------------------------------------------------------------------------


def _present(meeting, *members, status=PRESENT) -> None:
    for member in members:
        Attendance.objects.create(meeting=meeting, member=member, status=status)


def _row(rows, member):
    return next(row for row in rows if row.member == member)


def test_participation_hours_add_up_the_lengths_of_meetings_attended(
    world, meetings, participant
) -> None:
    meetings[2].duration = dt.timedelta(hours=1, minutes=20)
    meetings[2].save(update_fields=["duration"])
    _present(meetings[0], participant)  # 2.5 hours
    _present(meetings[2], participant)  # 1 hour 20

    row = _row(hours_overview(world.community), participant)

    assert row.participation == Decimal("3.83")
    assert row.meetings_present == 2
    assert row.participation_difference == Decimal("-11.17")


def test_absence_does_not_count_as_participation(world, meetings, participant) -> None:
    _present(meetings[0], participant, status=EXCUSED)
    _present(meetings[1], participant, status=ABSENT)

    row = _row(hours_overview(world.community), participant)

    assert row.participation == 0
    assert row.meetings_present == 0


def test_six_meetings_of_two_and_a_half_hours_pass_the_norm(world, meetings, participant) -> None:
    for meeting in meetings:
        _present(meeting, participant)

    row = _row(hours_overview(world.community), participant)

    assert row.participation == 15
    assert row.participation_difference == 0


def test_preparation_hours_add_up_decimals_against_the_norm_of_five(
    world, meetings, development_team
) -> None:
    MeetingPreparer.objects.create(meeting=meetings[1], user=development_team, hours=Decimal("1.5"))
    MeetingPreparer.objects.create(meeting=meetings[3], user=development_team, hours=Decimal("2.0"))
    MeetingPreparer.objects.create(meeting=meetings[4], user=development_team, hours=None)

    row = _row(hours_overview(world.community), development_team)

    assert row.preparation == Decimal("3.5")
    assert row.preparation_norm == 5
    assert row.preparation_difference == Decimal("-1.5")
    assert row.preparation_unrecorded == 1


def test_members_outside_the_development_team_have_no_preparation_norm(
    world, meetings, participant
) -> None:
    row = _row(hours_overview(world.community), participant)

    assert row.preparation == 0
    assert row.preparation_norm is None
    assert row.preparation_difference is None
    assert row.participation_norm == 15


def test_hours_of_another_plg_do_not_count(
    world, meetings, participant, teacher_leader, other_plg_member
) -> None:
    MembershipFactory(community=world.other_community, user=participant)
    theirs = year_plan_create(
        community=world.other_community,
        actor=teacher_leader,
        weekday=3,
        start_time=dt.time(15, 0),
    )
    _present(theirs[0], participant)
    MeetingPreparer.objects.create(meeting=theirs[0], user=participant, hours=Decimal(3))

    row = _row(hours_overview(world.community), participant)

    assert row.participation == 0
    assert row.preparation == 0


def test_external_experts_are_not_in_the_hours_overview(world, meetings, expert) -> None:
    members = [row.member for row in hours_overview(world.community)]

    assert expert not in members


def test_hours_overview_can_be_limited_to_one_member(
    world, meetings, participant, development_team
) -> None:
    rows = hours_overview(world.community, only_user=participant)

    assert [row.member for row in rows] == [participant]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, "0"),
        (dt.timedelta(hours=2, minutes=30), "2.5"),
        (dt.timedelta(hours=15), "15"),
        (dt.timedelta(hours=10), "10"),
        (dt.timedelta(minutes=100), "1.67"),
        (Decimal("3.50"), "3.5"),
    ],
)
def test_clock_hours_are_decimals_without_trailing_zeros(value, expected) -> None:
    assert str(clock_hours(value)) == expected
