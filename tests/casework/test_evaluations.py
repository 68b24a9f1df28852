"""The short evaluation after a meeting: members answer once in the window, readers see no names."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from casework.models import MeetingEvaluation, MeetingEvaluationParticipation
from casework.services.evaluations import meeting_evaluation_submit
from communities import health_services
from meetings.models import MeetingStatus
from tests.casework.report_notes import make_preparers
from tests.helpers import assert_login_redirect, count_queries
from tests.personas import SIGNED_IN

GROUP_MEMBERS = {"participant", "teacher_leader", "development_team"}
ANSWER = {"went_well": "WELL the case was urgent", "do_better": "BETTER keep to the time"}


def _url(name: str, meeting) -> str:
    return reverse(name, kwargs={"pk": meeting.pk})


def _in_english(user) -> None:
    """Pages follow the reader's language: read this one in English."""
    user.language = "en"
    user.save(update_fields=["language"])


def _submit(meeting, member, **changes) -> None:
    meeting_evaluation_submit(meeting=meeting, member=member, data={**ANSWER, **changes})


# Who answers --------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_group_members_open_the_evaluation_form(client_as, after_the_meeting, persona) -> None:
    response = client_as(persona).get(_url("casework:evaluation", after_the_meeting.meeting))

    assert response.status_code == (200 if persona in GROUP_MEMBERS else 404)


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_group_members_send_an_evaluation(client_as, after_the_meeting, persona) -> None:
    response = client_as(persona).post(
        _url("casework:evaluation", after_the_meeting.meeting), ANSWER
    )

    assert response.status_code == (302 if persona in GROUP_MEMBERS else 404)
    assert MeetingEvaluation.objects.exists() == (persona in GROUP_MEMBERS)
    assert MeetingEvaluationParticipation.objects.exists() == (persona in GROUP_MEMBERS)


def test_anonymous_evaluation_is_sent_to_sign_in_and_saves_nothing(
    client, after_the_meeting
) -> None:
    assert_login_redirect(
        client.post(_url("casework:evaluation", after_the_meeting.meeting), ANSWER)
    )
    assert_login_redirect(
        client.get(_url("casework:evaluation_results", after_the_meeting.meeting))
    )
    assert not MeetingEvaluation.objects.exists()


def test_the_form_answers_only_get_and_post_and_the_results_only_get(
    client_as, after_the_meeting
) -> None:
    meeting = after_the_meeting.meeting
    member, reader = client_as("participant"), client_as("teacher_leader")

    for method in ("put", "patch", "delete"):
        assert getattr(member, method)(_url("casework:evaluation", meeting)).status_code == 405
    assert reader.post(_url("casework:evaluation_results", meeting), ANSWER).status_code == 405
    assert not MeetingEvaluation.objects.exists()


def test_a_member_answers_only_once(client_as, after_the_meeting) -> None:
    client = client_as("participant")
    url = _url("casework:evaluation", after_the_meeting.meeting)
    client.post(url, ANSWER)

    with translation.override("en"):
        response = client.post(url, {"went_well": "A second answer"})

    assert response.status_code == 200
    assert MeetingEvaluation.objects.count() == 1
    assert "A second answer" not in str(list(MeetingEvaluation.objects.values()))


def test_the_service_refuses_a_second_answer(after_the_meeting, participant) -> None:
    _submit(after_the_meeting.meeting, participant)

    with pytest.raises(ValidationError), translation.override("en"):
        _submit(after_the_meeting.meeting, participant, went_well="again")

    assert MeetingEvaluation.objects.count() == 1
    assert MeetingEvaluationParticipation.objects.count() == 1


def test_after_answering_the_member_sees_only_that_they_answered(
    client_as, after_the_meeting, participant
) -> None:
    _submit(after_the_meeting.meeting, participant)

    page = client_as("participant").get(_url("casework:evaluation", after_the_meeting.meeting))

    html = page.content.decode()
    assert 'name="went_well"' not in html
    assert "WELL the case" not in html


# The window ---------------------------------------------------------------------------------


def test_before_the_meeting_starts_nothing_can_be_sent(session, participant) -> None:
    with pytest.raises(ValidationError):
        _submit(session.meeting, participant)

    assert not MeetingEvaluation.objects.exists()


def test_the_form_before_the_meeting_is_a_friendly_message(client_as, session) -> None:
    html = (
        client_as("participant").get(_url("casework:evaluation", session.meeting)).content.decode()
    )

    assert 'role="status"' in html
    assert 'name="went_well"' not in html


def test_the_evaluation_opens_when_the_meeting_starts(in_the_meeting, participant) -> None:
    _submit(in_the_meeting.meeting, participant)

    assert MeetingEvaluation.objects.count() == 1


def test_the_evaluation_closes_when_the_next_meeting_starts(
    session, meetings, participant, before_the_year
) -> None:
    before_the_year.move_to(meetings[2].starts_at - dt.timedelta(minutes=1))
    _submit(session.meeting, participant)
    before_the_year.move_to(meetings[2].starts_at)

    with pytest.raises(ValidationError):
        _submit(session.meeting, session.members[0])

    assert MeetingEvaluation.objects.count() == 1


def test_a_cancelled_next_meeting_does_not_close_the_evaluation(
    session, meetings, participant, before_the_year
) -> None:
    meetings[2].status = MeetingStatus.CANCELLED
    meetings[2].save(update_fields=["status"])
    before_the_year.move_to(meetings[2].starts_at + dt.timedelta(days=1))

    _submit(session.meeting, participant)

    assert MeetingEvaluation.objects.count() == 1


def test_a_cancelled_meeting_cannot_be_evaluated(after_the_meeting, participant) -> None:
    meeting = after_the_meeting.meeting
    meeting.status = MeetingStatus.CANCELLED
    meeting.save(update_fields=["status"])

    with pytest.raises(ValidationError):
        _submit(meeting, participant)


def test_the_last_meeting_stays_open_until_the_year_ends(
    world, meetings, participant, before_the_year
) -> None:
    last = meetings[-1]
    before_the_year.move_to(
        dt.datetime.combine(world.school_year.ends_on, dt.time(20), last.starts_at.tzinfo)
    )
    _submit(last, participant)
    before_the_year.move_to(
        dt.datetime.combine(
            world.school_year.ends_on + dt.timedelta(days=1), dt.time(9), last.starts_at.tzinfo
        )
    )

    with pytest.raises(ValidationError):
        _submit(last, world.community.memberships.exclude(user=participant).first().user)


# Bad input ----------------------------------------------------------------------------------


def test_an_empty_evaluation_is_refused_with_a_message(client_as, after_the_meeting) -> None:
    with translation.override("en"):
        response = client_as("participant").post(
            _url("casework:evaluation", after_the_meeting.meeting),
            {"went_well": "  ", "do_better": ""},
        )

    assert response.status_code == 200
    assert gettext("Fill in at least one of the two questions.") in response.content.decode()
    assert not MeetingEvaluation.objects.exists()
    assert not MeetingEvaluationParticipation.objects.exists()


def test_a_too_long_answer_is_refused_without_a_500(client_as, after_the_meeting) -> None:
    response = client_as("participant").post(
        _url("casework:evaluation", after_the_meeting.meeting), {"went_well": "x" * 5000}
    )

    assert response.status_code == 200
    assert not MeetingEvaluation.objects.exists()


def test_one_question_is_enough(after_the_meeting, participant) -> None:
    _submit(after_the_meeting.meeting, participant, went_well="")

    answer = MeetingEvaluation.objects.get()
    assert (answer.went_well, answer.do_better) == ("", ANSWER["do_better"])


# Who answered cannot be matched to an answer, even in the database ---------------------------


def _stored_order(meeting) -> list[int]:
    """The members' ids in the order the database keeps the rows (rowid / physical order)."""
    table = MeetingEvaluationParticipation._meta.db_table
    order = "ctid" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT user_id FROM {table} WHERE meeting_id = %s ORDER BY {order}",  # noqa: S608
            [meeting.pk],
        )
        return [row[0] for row in cursor.fetchall()]


def test_every_answer_gives_every_participation_a_new_random_key(
    after_the_meeting, participant
) -> None:
    assert MeetingEvaluationParticipation._meta.pk.get_internal_type() == "UUIDField"
    members = [participant, *after_the_meeting.members[:3]]
    seen: set[uuid.UUID] = set()
    for count, member in enumerate(members, start=1):
        _submit(after_the_meeting.meeting, member)
        keys = set(MeetingEvaluationParticipation.objects.values_list("pk", flat=True))
        assert len(keys) == count
        assert keys.isdisjoint(seen)
        seen |= keys

    assert set(MeetingEvaluationParticipation.objects.values_list("user_id", flat=True)) == {
        m.pk for m in members
    }
    assert MeetingEvaluation.objects.count() == len(members)


def test_participations_are_stored_in_the_shuffled_order(
    after_the_meeting, participant, monkeypatch
) -> None:
    # A known "shuffle" (highest id first) shows the rows are written in the shuffle's order,
    # whatever order the members answered in.
    monkeypatch.setattr(health_services, "_shuffle", lambda ids: ids.sort(reverse=True))
    members = sorted([participant, *after_the_meeting.members[:3]], key=lambda m: m.pk)
    for member in members:
        _submit(after_the_meeting.meeting, member)

    assert _stored_order(after_the_meeting.meeting) == sorted((m.pk for m in members), reverse=True)


def test_a_refused_second_answer_leaves_the_participations_alone(
    after_the_meeting, participant
) -> None:
    _submit(after_the_meeting.meeting, participant)
    _submit(after_the_meeting.meeting, after_the_meeting.members[0])
    keys = set(MeetingEvaluationParticipation.objects.values_list("pk", flat=True))

    with pytest.raises(ValidationError):
        _submit(after_the_meeting.meeting, participant, went_well="again")

    assert set(MeetingEvaluationParticipation.objects.values_list("pk", flat=True)) == keys
    assert MeetingEvaluation.objects.count() == 2


# Reading the answers -------------------------------------------------------------------------


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_teacher_leaders_read_the_answers(client_as, after_the_meeting, persona) -> None:
    response = client_as(persona).get(
        _url("casework:evaluation_results", after_the_meeting.meeting)
    )

    assert response.status_code == (200 if persona == "teacher_leader" else 404)


def test_preparers_who_are_not_teacher_leaders_do_not_read_the_answers(
    client_as, after_the_meeting, development_team
) -> None:
    make_preparers(after_the_meeting, development_team)

    response = client_as("development_team").get(
        _url("casework:evaluation_results", after_the_meeting.meeting)
    )

    assert response.status_code == 404


@pytest.mark.parametrize("answers", [1, 2])
def test_fewer_than_three_answers_show_nothing_but_the_count(
    client_as, after_the_meeting, participant, teacher_leader, answers
) -> None:
    for member in [participant, *after_the_meeting.members][:answers]:
        _submit(after_the_meeting.meeting, member)
    _in_english(teacher_leader)

    html = (
        client_as("teacher_leader")
        .get(_url("casework:evaluation_results", after_the_meeting.meeting))
        .content.decode()
    )

    assert ANSWER["went_well"] not in html
    assert ANSWER["do_better"] not in html
    assert f"{answers} of 3 members answered" in html


def test_from_three_answers_they_are_shown_without_names(
    client_as, after_the_meeting, participant
) -> None:
    members = [participant, *after_the_meeting.members[:2]]
    for member in members:
        _submit(after_the_meeting.meeting, member)

    html = (
        client_as("teacher_leader")
        .get(_url("casework:evaluation_results", after_the_meeting.meeting))
        .content.decode()
    )

    assert html.count(ANSWER["went_well"]) == 3
    assert ANSWER["do_better"] in html
    for member in members:
        assert member.name not in html
        assert member.email not in html


def test_the_summary_below_three_answers_holds_no_text(after_the_meeting, participant) -> None:
    from casework.selectors.evaluations import evaluation_summary

    for member in [participant, after_the_meeting.members[0]]:
        _submit(after_the_meeting.meeting, member)

    summary = evaluation_summary(after_the_meeting.meeting)
    assert (summary.shown, summary.answered_count, summary.answers) == (False, 2, [])


def test_nothing_ties_an_answer_to_its_author(after_the_meeting, participant) -> None:
    _submit(after_the_meeting.meeting, participant)

    answer_fields = {field.name for field in MeetingEvaluation._meta.get_fields()}
    assert answer_fields == {"id", "meeting", "went_well", "do_better"}
    participation_fields = {
        field.name for field in MeetingEvaluationParticipation._meta.get_fields()
    }
    assert participation_fields == {"id", "meeting", "user"}


def test_answers_are_listed_in_key_order_not_in_the_order_they_came(
    after_the_meeting, participant
) -> None:
    from casework.selectors.evaluations import evaluation_summary

    members = [participant, *after_the_meeting.members[:4]]
    for index, member in enumerate(members):
        _submit(after_the_meeting.meeting, member, went_well=f"answer {index}", do_better="")

    summary = evaluation_summary(after_the_meeting.meeting)
    keys = [answer.pk for answer in summary.answers]
    assert keys == sorted(keys)
    assert summary.answered_count == len(members)


def test_the_results_page_reads_a_fixed_number_of_queries(
    client_as, after_the_meeting, participant
) -> None:
    client = client_as("teacher_leader")
    url = _url("casework:evaluation_results", after_the_meeting.meeting)
    for member in [participant, *after_the_meeting.members[:2]]:
        _submit(after_the_meeting.meeting, member)
    few = count_queries(client, url)
    for member in after_the_meeting.members[2:]:
        _submit(after_the_meeting.meeting, member)

    assert count_queries(client, url) == few


# The meeting page ---------------------------------------------------------------------------


def test_the_meeting_page_invites_a_member_to_evaluate(client_as, after_the_meeting) -> None:
    html = (
        client_as("participant")
        .get(_url("meetings:meeting", after_the_meeting.meeting))
        .content.decode()
    )

    assert _url("casework:evaluation", after_the_meeting.meeting) in html
    assert _url("casework:evaluation_results", after_the_meeting.meeting) not in html


def test_the_meeting_page_links_the_teacher_leader_to_the_answers(
    client_as, after_the_meeting
) -> None:
    html = (
        client_as("teacher_leader")
        .get(_url("meetings:meeting", after_the_meeting.meeting))
        .content.decode()
    )

    assert _url("casework:evaluation_results", after_the_meeting.meeting) in html


def test_the_meeting_page_does_not_offer_the_evaluation_before_the_meeting(
    client_as, session
) -> None:
    html = client_as("participant").get(_url("meetings:meeting", session.meeting)).content.decode()

    assert _url("casework:evaluation", session.meeting) not in html


def test_the_meeting_page_says_when_the_member_has_answered(
    client_as, after_the_meeting, participant
) -> None:
    _submit(after_the_meeting.meeting, participant)

    with translation.override("en"):
        html = (
            client_as("participant")
            .get(_url("meetings:meeting", after_the_meeting.meeting))
            .content.decode()
        )

    assert 'href="' + _url("casework:evaluation", after_the_meeting.meeting) + '"' not in html


def test_the_meeting_page_shows_the_teacher_leader_only_a_count_below_three(
    client_as, after_the_meeting, participant, teacher_leader
) -> None:
    _submit(after_the_meeting.meeting, participant)

    _in_english(teacher_leader)
    html = (
        client_as("teacher_leader")
        .get(_url("meetings:meeting", after_the_meeting.meeting))
        .content.decode()
    )

    assert "Evaluation: 1 of 3 answered" in html
    assert ANSWER["went_well"] not in html


def test_the_meeting_page_offers_the_answers_from_three(
    client_as, after_the_meeting, participant, teacher_leader
) -> None:
    for member in [participant, *after_the_meeting.members[:2]]:
        _submit(after_the_meeting.meeting, member)

    _in_english(teacher_leader)
    html = (
        client_as("teacher_leader")
        .get(_url("meetings:meeting", after_the_meeting.meeting))
        .content.decode()
    )

    assert "Read 3 evaluation answers" in html
