"""casework.services.cases and casework.selectors.cases: drafts, submitting, taking back,
the list with turns, and who reads a case's text."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from casework.models import CaseStatus, SmallGroup, WorkCase
from casework.permissions import casework_access
from casework.selectors import cases as selectors
from casework.services.cases import TITLE_MAX_LENGTH, case_save, case_withdraw
from meetings.models import MeetingPreparer
from tests.casework.conftest import make_case, seat

FULL = {
    "title": "  Restless class  ",
    "situation": "A pupil in 3 havo walks around after the break.",
    "question": "How can I start calmly?",
    "tried": "A new seating plan.",
    "why_now": "The report meeting is near.",
    "names_left_out": True,
}


def _save(meeting, presenter, *, submit: bool = False, **changes) -> WorkCase:
    return case_save(meeting=meeting, presenter=presenter, data={**FULL, **changes}, submit=submit)


# Saving and submitting -----------------------------------------------------------------------


def test_a_draft_needs_only_a_title(meetings, participant) -> None:
    case = case_save(
        meeting=meetings[1], presenter=participant, data={"title": "Just an idea"}, submit=False
    )

    case.refresh_from_db()
    assert (case.title, case.status, case.submitted_at) == ("Just an idea", CaseStatus.DRAFT, None)
    assert case.situation == ""


def test_saving_strips_the_text(meetings, participant) -> None:
    case = _save(meetings[1], participant)

    assert case.title == "Restless class"


def test_submitting_marks_the_case_submitted_with_its_moment(
    meetings, participant, before_the_year
) -> None:
    case = _save(meetings[1], participant, submit=True)

    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
    assert case.submitted_at is not None


def test_saving_again_changes_the_one_case_of_the_meeting(meetings, participant) -> None:
    _save(meetings[1], participant)

    _save(meetings[1], participant, title="Better title")

    assert list(WorkCase.objects.values_list("title", flat=True)) == ["Better title"]


def test_a_member_has_one_case_per_meeting_but_one_in_each_meeting(meetings, participant) -> None:
    _save(meetings[1], participant)
    _save(meetings[2], participant)

    assert WorkCase.objects.filter(presenter=participant).count() == 2


@pytest.mark.parametrize("missing", ["situation", "question"])
def test_submitting_needs_the_situation_and_the_question(meetings, participant, missing) -> None:
    with pytest.raises(ValidationError) as error:
        _save(meetings[1], participant, submit=True, **{missing: "   "})

    assert missing in error.value.message_dict
    assert not WorkCase.objects.exists()


def test_submitting_needs_the_confirmation_that_names_were_left_out(meetings, participant) -> None:
    with pytest.raises(ValidationError) as error:
        _save(meetings[1], participant, submit=True, names_left_out=False)

    assert "names_left_out" in error.value.message_dict
    assert not WorkCase.objects.exists()


def test_a_draft_needs_no_confirmation(meetings, participant) -> None:
    case = _save(meetings[1], participant, names_left_out=False)

    assert case.status == CaseStatus.DRAFT


@pytest.mark.parametrize("title", ["", "   ", "x" * (TITLE_MAX_LENGTH + 1)])
def test_a_missing_or_long_title_is_refused(meetings, participant, title) -> None:
    with pytest.raises(ValidationError) as error:
        _save(meetings[1], participant, title=title)

    assert "title" in error.value.message_dict
    assert not WorkCase.objects.exists()


def test_a_very_long_situation_is_refused(meetings, participant) -> None:
    with pytest.raises(ValidationError) as error:
        _save(meetings[1], participant, situation="x" * 4001)

    assert "situation" in error.value.message_dict


@pytest.mark.parametrize("persona", ["expert", "team_leader", "school_admin", "other_plg_member"])
def test_only_group_members_bring_in_a_case(meetings, persona_user, persona) -> None:
    with pytest.raises(ValidationError):
        _save(meetings[1], persona_user(persona), submit=True)

    assert not WorkCase.objects.exists()


def test_a_case_cannot_be_changed_once_the_meeting_started(
    meetings, participant, before_the_year
) -> None:
    case = _save(meetings[1], participant, submit=True)
    before_the_year.move_to(meetings[1].starts_at + dt.timedelta(minutes=1))

    with pytest.raises(ValidationError):
        _save(meetings[1], participant, submit=True, title="Changed")

    case.refresh_from_db()
    assert case.title == "Restless class"


def test_no_new_case_once_the_meeting_started(meetings, participant, before_the_year) -> None:
    before_the_year.move_to(meetings[1].starts_at + dt.timedelta(minutes=1))

    with pytest.raises(ValidationError):
        _save(meetings[1], participant, submit=True)

    assert not WorkCase.objects.exists()


def test_saving_a_submitted_case_as_draft_takes_it_back_from_its_small_group(
    session, participant
) -> None:
    case_save(
        meeting=session.meeting,
        presenter=participant,
        data={**FULL, "title": session.case.title},
        submit=False,
    )

    session.case.refresh_from_db()
    assert (session.case.status, session.case.submitted_at) == (CaseStatus.DRAFT, None)
    assert SmallGroup.objects.get(pk=session.groups[0].pk).case is None


# Taking a case back ----------------------------------------------------------------------------


def test_the_presenter_takes_a_submitted_case_back_to_draft(session, participant) -> None:
    case_withdraw(case=session.case, actor=participant)

    session.case.refresh_from_db()
    assert (session.case.status, session.case.submitted_at) == (CaseStatus.DRAFT, None)
    assert SmallGroup.objects.get(pk=session.groups[0].pk).case is None


def test_only_the_presenter_takes_a_case_back(session, teacher_leader) -> None:
    with pytest.raises(ValidationError):
        case_withdraw(case=session.case, actor=teacher_leader)

    session.case.refresh_from_db()
    assert session.case.is_submitted


def test_a_draft_cannot_be_taken_back_again(session) -> None:
    with pytest.raises(ValidationError):
        case_withdraw(case=session.draft, actor=session.drafter)


def test_a_case_cannot_be_taken_back_once_the_meeting_started(in_the_meeting, participant) -> None:
    with pytest.raises(ValidationError):
        case_withdraw(case=in_the_meeting.case, actor=participant)

    in_the_meeting.case.refresh_from_db()
    assert in_the_meeting.case.is_submitted


# Reading: the list, the turns and the text -----------------------------------------------------


def test_the_list_holds_submitted_cases_only(session, teacher_leader) -> None:
    access = casework_access(teacher_leader, session.meeting)

    rows = selectors.submitted_cases(session.meeting, teacher_leader, access)

    assert [row.case for row in rows] == [session.case, session.other_case]


def test_the_list_does_not_load_the_text(session, teacher_leader) -> None:
    access = casework_access(teacher_leader, session.meeting)

    rows = selectors.submitted_cases(session.meeting, teacher_leader, access)

    deferred = rows[0].case.get_deferred_fields()
    assert {"situation", "question", "tried", "why_now"} <= deferred


def test_turns_show_who_presented_at_an_earlier_meeting(session, meetings) -> None:
    earlier = make_case(meetings[0], session.members[1], "Earlier case")
    seat(SmallGroup.objects.create(meeting=meetings[0], number=1, case=earlier), session.members[1])

    rows = selectors.turns(session.meeting, [])

    presented = {row.member for row in rows if row.presented}
    assert presented == {session.members[1]}
    assert session.drafter in {row.member for row in rows}


def test_the_case_text_is_read_by_its_presenter_before_the_meeting(session, participant) -> None:
    case, _access = selectors.get_case_for(participant, session.case.pk)

    assert case == session.case


def test_the_case_text_is_closed_to_the_teacher_leader_before_the_meeting(
    session, teacher_leader
) -> None:
    with pytest.raises(Http404):
        selectors.get_case_for(teacher_leader, session.case.pk)


def test_the_case_text_is_open_to_the_small_group_during_the_meeting(in_the_meeting) -> None:
    case, _access = selectors.get_case_for(in_the_meeting.members[0], in_the_meeting.case.pk)

    assert case == in_the_meeting.case


def test_the_case_text_is_closed_to_another_small_group_during_the_meeting(in_the_meeting) -> None:
    with pytest.raises(Http404):
        selectors.get_case_for(in_the_meeting.members[3], in_the_meeting.case.pk)


def test_a_draft_stays_closed_during_the_meeting(in_the_meeting, teacher_leader) -> None:
    with pytest.raises(Http404):
        selectors.get_case_for(teacher_leader, in_the_meeting.draft.pk)


# The meeting panel ---------------------------------------------------------------------------


def test_panel_counts_submitted_cases_for_a_preparer(session) -> None:
    MeetingPreparer.objects.create(meeting=session.meeting, user=session.members[4])
    access = casework_access(session.members[4], session.meeting)

    context = selectors.meeting_panel(session.meeting, session.members[4], access)

    assert context["cases_submitted_count"] == 2


def test_panel_shows_the_drafter_their_draft(session) -> None:
    access = casework_access(session.drafter, session.meeting)

    context = selectors.meeting_panel(session.meeting, session.drafter, access)

    assert context["cases_own"] == session.draft
    assert context["cases_submitted_count"] is None


def test_panel_offers_the_group_case_to_a_group_member_during_the_meeting(in_the_meeting) -> None:
    member = in_the_meeting.members[0]
    access = casework_access(member, in_the_meeting.meeting)

    context = selectors.meeting_panel(in_the_meeting.meeting, member, access)

    assert context["cases_readable"] == [in_the_meeting.case]


def test_panel_offers_no_group_case_before_the_meeting(session) -> None:
    member = session.members[0]
    access = casework_access(member, session.meeting)

    context = selectors.meeting_panel(session.meeting, member, access)

    assert context["cases_readable"] == []


@pytest.mark.parametrize("extra_cases", [0, 4])
def test_panel_queries_do_not_grow_with_cases(
    in_the_meeting, teacher_leader, development_team, django_assert_num_queries, extra_cases
) -> None:
    for index in [0, 1, 3, 4][:extra_cases]:
        make_case(in_the_meeting.meeting, in_the_meeting.members[index], f"More {index}")
    access = casework_access(development_team, in_the_meeting.meeting)

    # own case, the live run, the group cases; no count: a group leader does not list cases
    with django_assert_num_queries(3):
        selectors.meeting_panel(in_the_meeting.meeting, development_team, access)
