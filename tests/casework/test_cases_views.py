"""Pages for work cases: writing one's own, the list of submitted cases, and one case's text."""

from __future__ import annotations

import pytest
from django.urls import reverse

from casework.models import CaseStatus, WorkCase
from meetings.models import MeetingPreparer
from tests.casework.conftest import make_case
from tests.helpers import assert_login_redirect, count_queries
from tests.personas import SIGNED_IN

GROUP_MEMBERS = {"participant", "teacher_leader", "development_team"}
GOOD = {
    "title": "Restless class",
    "situation": "A pupil in 3 havo walks around after the break.",
    "question": "How can I start calmly?",
    "tried": "A new seating plan.",
    "why_now": "The report meeting is near.",
}


def _url(name: str, pk: int | None = None) -> str:
    return reverse(name, kwargs={"pk": pk} if pk is not None else None)


# Writing one's own case ------------------------------------------------------------------------


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_group_members_open_their_case_form(client_as, meetings, persona) -> None:
    response = client_as(persona).get(_url("casework:my_case", meetings[1].pk))

    assert response.status_code == (200 if persona in GROUP_MEMBERS else 404)


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_group_members_save_a_case(client_as, meetings, persona) -> None:
    response = client_as(persona).post(
        _url("casework:my_case", meetings[1].pk), {**GOOD, "draft": "1"}
    )

    assert response.status_code == (302 if persona in GROUP_MEMBERS else 404)
    assert WorkCase.objects.exists() == (persona in GROUP_MEMBERS)


def test_anonymous_visitor_of_the_case_form_is_sent_to_sign_in(client, meetings) -> None:
    assert_login_redirect(client.get(_url("casework:my_case", meetings[1].pk)))


def test_anonymous_case_save_is_sent_to_sign_in_and_saves_nothing(client, meetings) -> None:
    assert_login_redirect(client.post(_url("casework:my_case", meetings[1].pk), GOOD))
    assert not WorkCase.objects.exists()


def test_case_form_reminds_to_leave_out_names_and_offers_both_buttons(client_as, meetings) -> None:
    page = client_as("participant").get(_url("casework:my_case", meetings[1].pk)).content.decode()

    assert "3 havo" in page
    assert 'name="names_left_out"' in page
    assert 'name="draft"' in page
    assert 'name="submit"' in page
    assert "<label" in page and 'for="id_situation"' in page


def test_save_as_draft_keeps_the_case_a_draft_and_stays_on_the_form(
    client_as, meetings, participant
) -> None:
    response = client_as("participant").post(
        _url("casework:my_case", meetings[1].pk), {**GOOD, "draft": "1"}
    )

    assert response["Location"] == _url("casework:my_case", meetings[1].pk)
    assert WorkCase.objects.get().status == CaseStatus.DRAFT


def test_submit_to_the_meeting_goes_back_to_the_meeting_page(
    client_as, meetings, participant
) -> None:
    response = client_as("participant").post(
        _url("casework:my_case", meetings[1].pk),
        {**GOOD, "names_left_out": "on", "submit": "1"},
    )

    assert response["Location"] == _url("meetings:meeting", meetings[1].pk)
    case = WorkCase.objects.get()
    assert (case.presenter, case.status) == (participant, CaseStatus.SUBMITTED)


def test_submit_without_the_names_confirmation_is_refused_and_keeps_the_text(
    client_as, meetings
) -> None:
    response = client_as("participant").post(
        _url("casework:my_case", meetings[1].pk), {**GOOD, "submit": "1"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "invalid-feedback" in page
    assert GOOD["situation"] in page  # nothing the member typed is lost
    assert not WorkCase.objects.exists()


def test_submit_without_a_question_is_refused(client_as, meetings) -> None:
    response = client_as("participant").post(
        _url("casework:my_case", meetings[1].pk),
        {**GOOD, "question": "", "names_left_out": "on", "submit": "1"},
    )

    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    assert not WorkCase.objects.exists()


def test_an_overlong_title_is_refused_with_a_message(client_as, meetings) -> None:
    response = client_as("participant").post(
        _url("casework:my_case", meetings[1].pk), {**GOOD, "title": "x" * 121, "draft": "1"}
    )

    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    assert not WorkCase.objects.exists()


def test_the_form_shows_the_members_own_draft(client_as, session) -> None:
    page = (
        client_as("participant").get(_url("casework:my_case", session.meeting.pk)).content.decode()
    )

    assert session.case.situation in page


def test_after_the_start_the_case_form_shows_a_message_and_no_buttons(
    client_as, in_the_meeting
) -> None:
    page = (
        client_as("participant")
        .get(_url("casework:my_case", in_the_meeting.meeting.pk))
        .content.decode()
    )

    assert 'role="status"' in page
    assert 'name="submit"' not in page


def test_saving_after_the_start_shows_a_message_and_changes_nothing(
    client_as, in_the_meeting
) -> None:
    response = client_as("participant").post(
        _url("casework:my_case", in_the_meeting.meeting.pk),
        {**GOOD, "names_left_out": "on", "submit": "1"},
    )

    assert response.status_code == 200
    assert "alert" in response.content.decode()
    in_the_meeting.case.refresh_from_db()
    assert in_the_meeting.case.title == "Restless class after the break"


# Taking a case back ----------------------------------------------------------------------------


def test_the_presenter_takes_the_case_back(client_as, session) -> None:
    response = client_as("participant").post(_url("casework:my_case_withdraw", session.meeting.pk))

    assert response.status_code == 302
    session.case.refresh_from_db()
    assert session.case.status == CaseStatus.DRAFT


def test_taking_back_is_post_only(client_as, session) -> None:
    response = client_as("participant").get(_url("casework:my_case_withdraw", session.meeting.pk))

    assert response.status_code == 405
    session.case.refresh_from_db()
    assert session.case.is_submitted


@pytest.mark.parametrize("persona", ["teacher_leader", "team_leader", "other_plg_member"])
def test_someone_without_a_case_cannot_take_anything_back(client_as, session, persona) -> None:
    response = client_as(persona).post(_url("casework:my_case_withdraw", session.meeting.pk))

    assert response.status_code == 404
    session.case.refresh_from_db()
    assert session.case.is_submitted


def test_anonymous_taking_back_is_sent_to_sign_in(client, session) -> None:
    assert_login_redirect(client.post(_url("casework:my_case_withdraw", session.meeting.pk)))


def test_taking_back_after_the_start_shows_a_message(client_as, in_the_meeting) -> None:
    response = client_as("participant").post(
        _url("casework:my_case_withdraw", in_the_meeting.meeting.pk), follow=True
    )

    assert 'class="alert alert-danger"' in response.content.decode()
    in_the_meeting.case.refresh_from_db()
    assert in_the_meeting.case.is_submitted


# The list of submitted cases -------------------------------------------------------------------

LISTS_CASES = {"teacher_leader"}


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_teacher_leaders_open_the_case_list(client_as, session, persona) -> None:
    response = client_as(persona).get(_url("casework:cases", session.meeting.pk))

    assert response.status_code == (200 if persona in LISTS_CASES else 404)


def test_a_preparer_opens_the_case_list(client, session) -> None:
    MeetingPreparer.objects.create(meeting=session.meeting, user=session.members[0])
    client.force_login(session.members[0])

    assert client.get(_url("casework:cases", session.meeting.pk)).status_code == 200


def test_anonymous_visitor_of_the_case_list_is_sent_to_sign_in(client, session) -> None:
    assert_login_redirect(client.get(_url("casework:cases", session.meeting.pk)))


def test_the_list_shows_titles_and_presenters_but_no_text_and_no_drafts(client_as, session) -> None:
    page = client_as("teacher_leader").get(_url("casework:cases", session.meeting.pk))
    page = page.content.decode()

    assert session.case.title in page
    assert "Pia Participant" in page
    assert session.case.situation not in page
    assert session.case.question not in page
    assert session.draft.title not in page


def test_the_list_shows_every_member_with_their_turn(client_as, session) -> None:
    page = client_as("teacher_leader").get(_url("casework:cases", session.meeting.pk))
    page = page.content.decode()

    for member in session.members:
        assert member.display_name in page
    assert "Dirk Devteam" in page


def test_the_list_links_to_the_text_only_when_it_may_be_read(client_as, session) -> None:
    before = client_as("teacher_leader").get(_url("casework:cases", session.meeting.pk))

    assert _url("casework:case", session.case.pk) not in before.content.decode()


def test_the_list_links_to_the_text_during_the_meeting(client_as, in_the_meeting) -> None:
    page = client_as("teacher_leader").get(_url("casework:cases", in_the_meeting.meeting.pk))

    assert _url("casework:case", in_the_meeting.case.pk) in page.content.decode()


def test_the_case_list_queries_do_not_grow_with_cases(client_as, in_the_meeting, meetings) -> None:
    client = client_as("teacher_leader")
    url = _url("casework:cases", in_the_meeting.meeting.pk)
    few = count_queries(client, url)
    for index in (0, 1, 3, 4):
        make_case(in_the_meeting.meeting, in_the_meeting.members[index], f"More {index}")
    make_case(meetings[0], in_the_meeting.members[0], "Earlier")

    assert count_queries(client, url) == few


# One case's text -------------------------------------------------------------------------------

READS_DURING = {"participant", "teacher_leader", "development_team"}


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_during_the_meeting_the_text_is_read_by_presenter_group_and_teacher_leaders(
    client_as, in_the_meeting, persona
) -> None:
    response = client_as(persona).get(_url("casework:case", in_the_meeting.case.pk))

    assert response.status_code == (200 if persona in READS_DURING else 404)
    if response.status_code == 200:
        assert in_the_meeting.case.situation in response.content.decode()


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_before_the_meeting_only_the_presenter_reads_the_text(client_as, session, persona) -> None:
    response = client_as(persona).get(_url("casework:case", session.case.pk))

    assert response.status_code == (200 if persona == "participant" else 404)


def test_a_member_of_the_small_group_reads_the_text_during_the_meeting(
    client, in_the_meeting
) -> None:
    client.force_login(in_the_meeting.members[1])

    assert client.get(_url("casework:case", in_the_meeting.case.pk)).status_code == 200


def test_a_member_of_another_small_group_does_not_read_the_text(client, in_the_meeting) -> None:
    client.force_login(in_the_meeting.members[3])

    assert client.get(_url("casework:case", in_the_meeting.case.pk)).status_code == 404


def test_a_draft_is_read_by_its_author_only(client, client_as, in_the_meeting) -> None:
    url = _url("casework:case", in_the_meeting.draft.pk)
    assert client_as("teacher_leader").get(url).status_code == 404

    client.force_login(in_the_meeting.drafter)
    assert client.get(url).status_code == 200


def test_after_the_meeting_the_teacher_leader_no_longer_reads_the_text(
    client_as, after_the_meeting
) -> None:
    response = client_as("teacher_leader").get(_url("casework:case", after_the_meeting.case.pk))

    assert response.status_code == 404


def test_an_unknown_case_is_not_found(client_as, session) -> None:
    assert client_as("participant").get(_url("casework:case", 999999)).status_code == 404


def test_anonymous_visitor_of_a_case_is_sent_to_sign_in(client, session) -> None:
    assert_login_redirect(client.get(_url("casework:case", session.case.pk)))


# The meeting page --------------------------------------------------------------------------------


def test_meeting_page_shows_a_member_without_a_case_the_way_to_write_one(
    client_as, meetings
) -> None:
    page = client_as("participant").get(_url("meetings:meeting", meetings[1].pk)).content.decode()

    assert _url("casework:my_case", meetings[1].pk) in page


def test_meeting_page_shows_the_teacher_leader_the_count_without_drafts(client_as, session) -> None:
    page = client_as("teacher_leader").get(_url("meetings:meeting", session.meeting.pk))
    page = page.content.decode()

    assert _url("casework:cases", session.meeting.pk) in page
    assert session.draft.title not in page
    assert session.case.situation not in page


@pytest.mark.parametrize("persona", ["team_leader", "school_admin", "expert"])
def test_meeting_page_shows_no_cases_to_non_members(client_as, session, persona) -> None:
    page = client_as(persona).get(_url("meetings:meeting", session.meeting.pk)).content.decode()

    assert _url("casework:cases", session.meeting.pk) not in page
    assert _url("casework:my_case", session.meeting.pk) not in page
    assert session.case.title not in page
    assert session.draft.title not in page


def test_meeting_page_links_a_small_group_member_to_the_group_case_during_the_meeting(
    client, in_the_meeting
) -> None:
    client.force_login(in_the_meeting.members[0])

    page = client.get(_url("meetings:meeting", in_the_meeting.meeting.pk)).content.decode()

    assert _url("casework:case", in_the_meeting.case.pk) in page
    assert _url("casework:case", in_the_meeting.other_case.pk) not in page


def test_meeting_page_offers_no_new_case_once_the_meeting_started(
    client_as, after_the_meeting
) -> None:
    page = client_as("teacher_leader").get(_url("meetings:meeting", after_the_meeting.meeting.pk))

    assert _url("casework:my_case", after_the_meeting.meeting.pk) not in page.content.decode()
