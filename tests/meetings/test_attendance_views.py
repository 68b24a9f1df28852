"""Pages for absence requests, the team leader's decisions, attendance and the hours overview."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from communities.models import Membership
from meetings.models import (
    AbsenceRequest,
    AbsenceStatus,
    Attendance,
    AttendanceStatus,
    MeetingPreparer,
    MeetingStatus,
)
from meetings.services import year_plan_create
from meetings.services.attendance import absence_decide, absence_submit
from tests.factories import MembershipFactory, TeamFactory, UserFactory
from tests.helpers import assert_login_redirect, count_queries
from tests.personas import SIGNED_IN

GROUP_MEMBERS = {"participant", "teacher_leader", "development_team"}
PLANNERS = {"teacher_leader", "school_admin"}
SEE_ALL_HOURS = {"teacher_leader", "school_admin", "team_leader"}
SECRET = "Begrafenis van mijn oom in Zwolle"


def _url(name: str, pk: int | None = None) -> str:
    return reverse(f"meetings:{name}", kwargs={"pk": pk} if pk is not None else None)


def _request(meeting, member, reason=SECRET) -> AbsenceRequest:
    return absence_submit(meeting=meeting, member=member, reason=reason)


def _on_the_day(traveller, meeting, hours: float = 3) -> None:
    traveller.move_to(meeting.starts_at + dt.timedelta(hours=hours))


# Asking for absence -------------------------------------------------------------------------


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_group_members_open_the_absence_form(client_as, meetings, persona) -> None:
    response = client_as(persona).get(_url("absence_request", meetings[1].pk))

    assert response.status_code == (200 if persona in GROUP_MEMBERS else 404)


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_group_members_submit_absence_requests(client_as, meetings, persona) -> None:
    response = client_as(persona).post(_url("absence_request", meetings[1].pk), {"reason": "Ziek"})

    assert response.status_code == (302 if persona in GROUP_MEMBERS else 404)
    assert AbsenceRequest.objects.exists() == (persona in GROUP_MEMBERS)


def test_anonymous_visitor_of_the_absence_form_is_sent_to_sign_in(client, meetings) -> None:
    assert_login_redirect(client.get(_url("absence_request", meetings[1].pk)))


def test_anonymous_absence_request_is_sent_to_sign_in_and_saves_nothing(client, meetings) -> None:
    assert_login_redirect(client.post(_url("absence_request", meetings[1].pk), {"reason": "x"}))
    assert not AbsenceRequest.objects.exists()


def test_absence_request_from_the_meeting_page_goes_back_to_it(
    client_as, meetings, participant
) -> None:
    response = client_as("participant").post(
        _url("absence_request", meetings[1].pk), {"reason": "Tandarts"}
    )

    assert response["Location"] == _url("meeting", meetings[1].pk)
    assert AbsenceRequest.objects.get().member == participant


def test_meeting_page_offers_the_absence_form_to_a_member(client_as, meetings) -> None:
    page = client_as("participant").get(_url("meeting", meetings[1].pk)).content.decode()

    assert f'action="{_url("absence_request", meetings[1].pk)}"' in page
    assert 'name="reason"' in page


@pytest.mark.parametrize("persona", ["team_leader", "school_admin", "expert"])
def test_meeting_page_offers_no_absence_form_to_non_members(client_as, meetings, persona) -> None:
    page = client_as(persona).get(_url("meeting", meetings[1].pk)).content.decode()

    assert 'name="reason"' not in page


def test_second_submit_from_the_page_changes_the_pending_reason(
    client_as, meetings, participant
) -> None:
    client = client_as("participant")
    client.post(_url("absence_request", meetings[1].pk), {"reason": "Tandarts"})

    client.post(_url("absence_request", meetings[1].pk), {"reason": "Huisarts"})

    assert list(AbsenceRequest.objects.values_list("reason", flat=True)) == ["Huisarts"]


@pytest.mark.parametrize("reason", ["", "   ", "x" * 1001])
def test_bad_reason_is_refused_with_a_message_and_kept_in_the_form(
    client_as, meetings, reason
) -> None:
    response = client_as("participant").post(
        _url("absence_request", meetings[1].pk), {"reason": reason}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "invalid-feedback" in page
    if reason.strip():
        assert reason in page  # nothing the member typed is lost
    assert not AbsenceRequest.objects.exists()


def test_absence_request_after_the_start_shows_a_message(
    client_as, meetings, before_the_year
) -> None:
    _on_the_day(before_the_year, meetings[1], hours=1)

    response = client_as("participant").post(
        _url("absence_request", meetings[1].pk), {"reason": "Ziek"}
    )

    assert response.status_code == 200
    assert "alert" in response.content.decode()
    assert not AbsenceRequest.objects.exists()


def test_meeting_page_offers_no_absence_form_once_started(
    client_as, meetings, before_the_year
) -> None:
    _on_the_day(before_the_year, meetings[1], hours=1)

    page = client_as("participant").get(_url("meeting", meetings[1].pk)).content.decode()

    assert 'name="reason"' not in page


def test_member_withdraws_their_pending_request(client_as, meetings, participant) -> None:
    _request(meetings[1], participant)

    response = client_as("participant").post(_url("absence_withdraw", meetings[1].pk))

    assert response.status_code == 302
    assert not AbsenceRequest.objects.exists()


def test_withdrawing_is_post_only(client_as, meetings, participant) -> None:
    _request(meetings[1], participant)

    response = client_as("participant").get(_url("absence_withdraw", meetings[1].pk))

    assert response.status_code == 405
    assert AbsenceRequest.objects.exists()


def test_withdrawing_without_a_request_is_not_found(client_as, meetings) -> None:
    response = client_as("participant").post(_url("absence_withdraw", meetings[1].pk))

    assert response.status_code == 404


def test_withdrawing_a_decided_request_shows_a_message(
    client_as, meetings, participant, team_leader
) -> None:
    absence_decide(absence=_request(meetings[1], participant), actor=team_leader, approve=True)

    response = client_as("participant").post(_url("absence_withdraw", meetings[1].pk), follow=True)

    assert 'class="alert alert-danger"' in response.content.decode()
    assert AbsenceRequest.objects.get().status == AbsenceStatus.APPROVED


def test_an_outsider_cannot_withdraw_anything(client_as, meetings, participant) -> None:
    _request(meetings[1], participant)

    response = client_as("other_plg_member").post(_url("absence_withdraw", meetings[1].pk))

    assert response.status_code == 404
    assert AbsenceRequest.objects.exists()


@pytest.mark.parametrize(
    ("approve", "sentence"),
    [
        (True, "Your absence request has been approved."),
        (False, "Your absence request has been declined: you are expected at this meeting."),
    ],
)
def test_member_sees_the_decision_on_the_meeting_page(
    client_as, meetings, participant, team_leader, approve, sentence
) -> None:
    absence_decide(absence=_request(meetings[1], participant), actor=team_leader, approve=approve)

    response = client_as("participant").get(_url("meeting", meetings[1].pk))

    assert gettext(sentence) in response.content.decode()
    assert response.context["absence_own"].decided_at is not None
    assert 'name="reason"' not in response.content.decode()  # decided: no more changes


def test_absence_form_of_a_decided_request_offers_no_changes(
    client_as, meetings, participant, team_leader
) -> None:
    absence_decide(absence=_request(meetings[1], participant), actor=team_leader, approve=False)

    response = client_as("participant").get(_url("absence_request", meetings[1].pk))

    assert response.status_code == 200
    assert 'name="reason"' not in response.content.decode()


def test_member_sees_their_recorded_attendance_on_the_meeting_page(
    client_as, meetings, participant, teacher_leader, before_the_year
) -> None:
    _on_the_day(before_the_year, meetings[1])
    Attendance.objects.create(meeting=meetings[1], member=participant, status="absent")

    response = client_as("participant").get(_url("meeting", meetings[1].pk))

    assert response.context["attendance_own"] == AttendanceStatus.ABSENT.label
    assert str(AttendanceStatus.ABSENT.label) in response.content.decode()


def test_member_sees_their_own_reason(client_as, meetings, participant) -> None:
    _request(meetings[1], participant)

    page = client_as("participant").get(_url("meeting", meetings[1].pk)).content.decode()

    assert SECRET in page


@pytest.mark.parametrize(
    "persona", ["teacher_leader", "development_team", "school_admin", "team_leader", "expert"]
)
def test_reason_is_never_on_the_meeting_page_of_anyone_else(
    client_as, meetings, participant, persona
) -> None:
    _request(meetings[1], participant)

    page = client_as(persona).get(_url("meeting", meetings[1].pk)).content.decode()

    assert SECRET not in page


def test_reason_is_not_on_the_attendance_page(
    client_as, meetings, participant, team_leader, before_the_year
) -> None:
    absence_decide(absence=_request(meetings[1], participant), actor=team_leader, approve=True)
    _on_the_day(before_the_year, meetings[1])

    page = client_as("teacher_leader").get(_url("attendance", meetings[1].pk)).content.decode()

    assert SECRET not in page


def test_reason_is_not_in_the_django_admin(client, meetings, participant) -> None:
    absence = _request(meetings[1], participant)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    page = client.get(
        reverse("admin:meetings_absencerequest_change", args=[absence.pk])
    ).content.decode()

    assert SECRET not in page


# Who is expected ----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["teacher_leader", "school_admin", "team_leader"])
def test_planners_and_the_team_leader_see_who_is_expected(
    client_as, meetings, participant, development_team, team_leader, persona
) -> None:
    absence_decide(absence=_request(meetings[1], participant), actor=team_leader, approve=False)
    _request(meetings[1], development_team)

    response = client_as(persona).get(_url("meeting", meetings[1].pk))

    states = {row.member: row.absence_status for row in response.context["attendance_expected"]}
    assert states[participant] == AbsenceStatus.DECLINED
    assert states[development_team] == AbsenceStatus.PENDING
    assert str(AbsenceStatus.DECLINED.label) in response.content.decode()


@pytest.mark.parametrize("persona", ["participant", "development_team", "expert"])
def test_other_members_do_not_see_who_is_expected(client_as, meetings, persona) -> None:
    response = client_as(persona).get(_url("meeting", meetings[1].pk))

    assert "attendance_expected" not in response.context


def test_meeting_page_query_count_does_not_grow_with_requests_and_attendance(
    client_as, world, meetings, team_leader, before_the_year
) -> None:
    client = client_as("teacher_leader")
    url = _url("meeting", meetings[1].pk)
    small = count_queries(client, url)
    for member in UserFactory.create_batch(8):
        MembershipFactory(community=world.community, user=member)
        _request(meetings[1], member)
        Attendance.objects.create(meeting=meetings[1], member=member, status="present")

    assert count_queries(client, url) == small


# Deciding -----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_team_leaders_open_the_absence_requests_page(client_as, meetings, persona) -> None:
    response = client_as(persona).get(_url("absence_list"))

    assert response.status_code == (200 if persona == "team_leader" else 404)


def test_anonymous_visitor_of_the_absence_requests_page_is_sent_to_sign_in(client, world) -> None:
    assert_login_redirect(client.get(_url("absence_list")))


def test_absence_requests_page_lists_pending_requests_of_all_plgs_of_the_team(
    client_as, world, meetings, participant, teacher_leader, other_plg_member, other_school_user
) -> None:
    theirs = year_plan_create(
        community=world.other_community, actor=teacher_leader, weekday=3, start_time=dt.time(15)
    )
    elsewhere = year_plan_create(
        community=world.other_school_community,
        actor=other_school_user,
        weekday=3,
        start_time=dt.time(15),
    )
    _request(meetings[1], participant, "Reden A")
    _request(theirs[1], other_plg_member, "Reden B")
    _request(elsewhere[1], other_school_user, "Reden C")

    response = client_as("team_leader").get(_url("absence_list"))

    page = response.content.decode()
    assert "Reden A" in page and "Reden B" in page
    assert "Reden C" not in page
    assert {absence.member for absence in response.context["pending"]} == {
        participant,
        other_plg_member,
    }


def test_absence_requests_page_shows_recent_decisions(
    client_as, meetings, participant, team_leader
) -> None:
    absence = _request(meetings[1], participant)
    absence_decide(absence=absence, actor=team_leader, approve=True)

    response = client_as("team_leader").get(_url("absence_list"))

    assert response.context["pending"] == []
    assert response.context["decided"] == [absence]


def test_a_co_leader_does_not_read_the_reason_of_a_request_decided_by_a_colleague(
    client, world, meetings, participant, team_leader
) -> None:
    absence_decide(absence=_request(meetings[1], participant), actor=team_leader, approve=True)
    co_leader = UserFactory(name="Carla Coleider")
    world.team.leaders.add(co_leader)
    client.force_login(co_leader)

    page = client.get(_url("absence_list")).content.decode()

    assert "Pia Participant" in page
    assert SECRET not in page


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_the_team_leader_decides(client_as, meetings, participant, persona) -> None:
    absence = _request(meetings[1], participant)

    response = client_as(persona).post(_url("absence_decide", absence.pk), {"decision": "approve"})

    absence.refresh_from_db()
    if persona == "team_leader":
        assert response.status_code == 302
        assert absence.status == AbsenceStatus.APPROVED
    else:
        assert response.status_code == 404
        assert absence.status == AbsenceStatus.PENDING


def test_a_leader_of_another_team_gets_not_found_for_deciding(
    client, world, meetings, participant
) -> None:
    elsewhere = UserFactory()
    TeamFactory(school=world.school, leaders=[elsewhere])
    absence = _request(meetings[1], participant)
    client.force_login(elsewhere)

    response = client.post(_url("absence_decide", absence.pk), {"decision": "approve"})

    assert response.status_code == 404
    absence.refresh_from_db()
    assert absence.status == AbsenceStatus.PENDING


def test_anonymous_decision_is_sent_to_sign_in_and_changes_nothing(
    client, meetings, participant
) -> None:
    absence = _request(meetings[1], participant)

    assert_login_redirect(client.post(_url("absence_decide", absence.pk), {"decision": "approve"}))
    absence.refresh_from_db()
    assert absence.status == AbsenceStatus.PENDING


def test_team_leader_declines_from_the_page(client_as, meetings, participant) -> None:
    absence = _request(meetings[1], participant)

    client_as("team_leader").post(_url("absence_decide", absence.pk), {"decision": "decline"})

    absence.refresh_from_db()
    assert absence.status == AbsenceStatus.DECLINED


def test_a_second_decision_shows_a_message_and_keeps_the_first(
    client_as, meetings, participant
) -> None:
    absence = _request(meetings[1], participant)
    client = client_as("team_leader")
    client.post(_url("absence_decide", absence.pk), {"decision": "approve"})

    response = client.post(_url("absence_decide", absence.pk), {"decision": "decline"}, follow=True)

    assert 'class="alert alert-danger"' in response.content.decode()
    absence.refresh_from_db()
    assert absence.status == AbsenceStatus.APPROVED


@pytest.mark.parametrize("data", [{}, {"decision": "maybe"}, {"decision": ""}])
def test_a_bad_decision_shows_a_message_and_changes_nothing(
    client_as, meetings, participant, data
) -> None:
    absence = _request(meetings[1], participant)

    response = client_as("team_leader").post(_url("absence_decide", absence.pk), data, follow=True)

    assert 'class="alert alert-danger"' in response.content.decode()
    absence.refresh_from_db()
    assert absence.status == AbsenceStatus.PENDING


def test_deciding_is_post_only(client_as, meetings, participant) -> None:
    absence = _request(meetings[1], participant)

    assert client_as("team_leader").get(_url("absence_decide", absence.pk)).status_code == 405


@pytest.mark.parametrize("pk", [999999, 2**63])
def test_deciding_an_unknown_request_is_not_found(client_as, world, team_leader, pk) -> None:
    response = client_as("team_leader").post(f"/absence/{pk}/decide/", {"decision": "approve"})

    assert response.status_code == 404


def test_absence_requests_page_query_count_does_not_grow_with_requests(
    client_as, world, meetings, team_leader
) -> None:
    client = client_as("team_leader")
    member = UserFactory()
    MembershipFactory(community=world.community, user=member)
    absence_decide(absence=_request(meetings[0], member), actor=team_leader, approve=True)
    _request(meetings[1], member)
    small = count_queries(client, _url("absence_list"))
    for other in UserFactory.create_batch(6):
        MembershipFactory(community=world.community, user=other)
        absence_decide(absence=_request(meetings[0], other), actor=team_leader, approve=False)
        _request(meetings[2], other)

    assert count_queries(client, _url("absence_list")) == small


# Recording attendance -----------------------------------------------------------------------


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_planners_open_the_attendance_page(
    client_as, meetings, persona, before_the_year
) -> None:
    _on_the_day(before_the_year, meetings[1])

    response = client_as(persona).get(_url("attendance", meetings[1].pk))

    assert response.status_code == (200 if persona in PLANNERS else 404)


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_planners_record_attendance(
    client_as, world, meetings, participant, persona, before_the_year
) -> None:
    _on_the_day(before_the_year, meetings[1])
    client = client_as(persona)
    everyone_present = {
        f"member_{user_id}": "present"
        for user_id in Membership.objects.group_members()
        .filter(community=world.community)
        .values_list("user_id", flat=True)
    }

    response = client.post(
        _url("attendance", meetings[1].pk),
        {**everyone_present, f"member_{participant.pk}": "absent"},
    )

    assert response.status_code == (302 if persona in PLANNERS else 404)
    assert Attendance.objects.filter(member=participant).exists() == (persona in PLANNERS)


def test_anonymous_visitor_of_the_attendance_page_is_sent_to_sign_in(client, meetings) -> None:
    assert_login_redirect(client.get(_url("attendance", meetings[1].pk)))


def test_attendance_page_before_the_day_says_when_and_offers_no_form(client_as, meetings) -> None:
    response = client_as("teacher_leader").get(_url("attendance", meetings[1].pk))

    page = response.content.decode()
    assert gettext("Attendance can be recorded from the day of the meeting on, not before.") in page
    assert '<form method="post" novalidate' not in page


def test_attendance_posted_before_the_day_is_refused_with_a_message(
    client_as, meetings, participant, development_team
) -> None:
    response = client_as("teacher_leader").post(
        _url("attendance", meetings[1].pk), {f"member_{participant.pk}": "present"}
    )

    assert response.status_code == 200
    assert not Attendance.objects.exists()
    meetings[1].refresh_from_db()
    assert meetings[1].status == MeetingStatus.PLANNED


def test_attendance_form_starts_from_the_defaults(
    client_as, meetings, participant, development_team, team_leader, before_the_year
) -> None:
    absence_decide(absence=_request(meetings[1], participant), actor=team_leader, approve=True)
    _on_the_day(before_the_year, meetings[1])

    form = client_as("teacher_leader").get(_url("attendance", meetings[1].pk)).context["form"]

    assert form[f"member_{participant.pk}"].initial == AttendanceStatus.EXCUSED
    assert form[f"member_{development_team.pk}"].initial == AttendanceStatus.PRESENT


def test_saving_attendance_records_every_member_and_marks_the_meeting_held(
    client_as, meetings, participant, development_team, teacher_leader, before_the_year
) -> None:
    _on_the_day(before_the_year, meetings[1])

    response = client_as("teacher_leader").post(
        _url("attendance", meetings[1].pk),
        {
            f"member_{participant.pk}": "absent",
            f"member_{development_team.pk}": "present",
            f"member_{teacher_leader.pk}": "present",
        },
    )

    assert response["Location"] == _url("meeting", meetings[1].pk)
    assert dict(Attendance.objects.values_list("member", "status")) == {
        participant.pk: "absent",
        development_team.pk: "present",
        teacher_leader.pk: "present",
    }
    meetings[1].refresh_from_db()
    assert meetings[1].status == MeetingStatus.HELD


def test_absent_with_approval_without_approval_is_refused_on_the_form(
    client_as, meetings, participant, teacher_leader, before_the_year
) -> None:
    _on_the_day(before_the_year, meetings[1])

    response = client_as("teacher_leader").post(
        _url("attendance", meetings[1].pk),
        {f"member_{participant.pk}": "excused", f"member_{teacher_leader.pk}": "present"},
    )

    assert response.status_code == 200
    assert response.context["form"].has_error(f"member_{participant.pk}")
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("value", ["maybe", ""])
def test_bad_attendance_value_is_refused_with_a_message(
    client_as, meetings, participant, teacher_leader, before_the_year, value
) -> None:
    _on_the_day(before_the_year, meetings[1])

    response = client_as("teacher_leader").post(
        _url("attendance", meetings[1].pk),
        {f"member_{participant.pk}": value, f"member_{teacher_leader.pk}": "present"},
    )

    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    assert not Attendance.objects.exists()


def test_meeting_page_links_to_recording_attendance_on_the_day(
    client_as, meetings, before_the_year
) -> None:
    _on_the_day(before_the_year, meetings[1])

    page = client_as("teacher_leader").get(_url("meeting", meetings[1].pk)).content.decode()

    assert _url("attendance", meetings[1].pk) in page


def test_attendance_page_query_count_does_not_grow_with_members(
    client_as, world, meetings, before_the_year
) -> None:
    _on_the_day(before_the_year, meetings[1])
    client = client_as("teacher_leader")
    url = _url("attendance", meetings[1].pk)
    small = count_queries(client, url)
    MembershipFactory.create_batch(10, community=world.community)

    assert count_queries(client, url) == small


# Hours overview -----------------------------------------------------------------------------


@pytest.fixture
def everyone(participant, teacher_leader, development_team, team_leader, school_admin, expert):
    """All personas of the world's PLG exist, so the rows each one sees can be compared."""


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_hours_page_rows_by_role(client_as, world, meetings, everyone, persona, persona_user):
    response = client_as(persona).get(_url("hours", world.community.pk))

    if persona in ("other_plg_member", "other_school_user"):
        assert response.status_code == 404
        return
    members = {row.member for row in response.context["rows"]}
    if persona in SEE_ALL_HOURS:
        assert members == {
            persona_user(name) for name in ("participant", "teacher_leader", "development_team")
        }
    elif persona == "expert":
        assert members == set()
    else:
        assert members == {persona_user(persona)}


def test_anonymous_visitor_of_the_hours_page_is_sent_to_sign_in(client, world) -> None:
    assert_login_redirect(client.get(_url("hours", world.community.pk)))


def test_hours_page_of_an_unknown_plg_is_not_found(client_as, world, participant) -> None:
    assert client_as("participant").get(_url("hours", 999999)).status_code == 404


def test_hours_page_shows_hours_against_the_norm(
    client_as, world, meetings, development_team
) -> None:
    Attendance.objects.create(meeting=meetings[0], member=development_team, status="present")
    MeetingPreparer.objects.create(meeting=meetings[1], user=development_team, hours=Decimal("1.5"))

    response = client_as("development_team").get(_url("hours", world.community.pk))

    row = response.context["rows"][0]
    assert (row.preparation, row.participation) == (Decimal("1.5"), Decimal("2.5"))
    page = response.content.decode()
    assert "1,5" in page and "2,5" in page and "12,5" in page and "3,5" in page


def test_hours_page_query_count_does_not_grow_with_members_and_meetings(
    client_as, world, meetings, teacher_leader
) -> None:
    client = client_as("teacher_leader")
    url = _url("hours", world.community.pk)
    small = count_queries(client, url)
    for member in UserFactory.create_batch(8):
        MembershipFactory(community=world.community, user=member, is_development_team=True)
        for meeting in meetings:
            Attendance.objects.create(meeting=meeting, member=member, status="present")
            MeetingPreparer.objects.create(meeting=meeting, user=member, hours=Decimal("0.5"))

    assert count_queries(client, url) == small
