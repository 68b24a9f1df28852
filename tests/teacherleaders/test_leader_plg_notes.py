"""Notes of the teacher leaders' meetings, taken in turn and sent to the programme lead."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from meetings.models import AbsenceRequest, AbsenceStatus, MeetingStatus
from teacherleaders.models import LeaderMeetingNotes
from teacherleaders.selectors.leader_plg import note_taker_rotation
from teacherleaders.services.leader_plg import (
    leader_notes_save,
    leader_notes_submit,
    leader_notes_writer_set,
    leader_plg_ensure,
)
from tests.factories import MembershipFactory, UserFactory
from tests.helpers import assert_only_for, count_queries
from tests.personas import PERSONAS

# The teacher leaders' PLG fixtures: second_leader, leader_plg, leader_meetings.
from tests.teacherleaders.leader_plg_world import *  # noqa: F403

SEES_LEADER_PLG = {"teacher_leader", "school_admin"}


def meeting_url(meeting) -> str:
    return reverse("meetings:meeting", args=[meeting.pk])


def writers(community) -> list[str | None]:
    plan = note_taker_rotation(community)
    return [user.email if user else None for user in plan.writers.values()]


# The proposal.


def test_the_leaders_take_turns_in_name_order(leader_plg, leader_meetings, second_leader):
    # Sara Secondleader, Tom Teacherleader: by name.
    assert (
        writers(leader_plg)
        == [
            "leader2@lyceum.example",
            "leader@lyceum.example",
        ]
        * 3
    )


def test_an_approved_absence_skips_the_leader_without_losing_their_turn(
    leader_plg, leader_meetings, second_leader, teacher_leader
):
    AbsenceRequest.objects.create(
        meeting=leader_meetings[0],
        member=second_leader,
        reason="ziek",
        status=AbsenceStatus.APPROVED,
    )
    # A pending request does not count: the leader is still expected.
    AbsenceRequest.objects.create(meeting=leader_meetings[1], member=teacher_leader, reason="?")
    assert writers(leader_plg)[:3] == [
        "leader@lyceum.example",
        "leader2@lyceum.example",
        "leader@lyceum.example",
    ]


def test_a_cancelled_meeting_is_left_out_of_the_turns(leader_plg, leader_meetings):
    leader_meetings[0].status = MeetingStatus.CANCELLED
    leader_meetings[0].save()
    plan = note_taker_rotation(leader_plg)
    assert leader_meetings[0].pk not in plan.writers
    assert plan.writers[leader_meetings[1].pk].email == "leader2@lyceum.example"


def test_a_swap_moves_the_turns_that_follow(
    leader_plg, leader_meetings, teacher_leader, school_admin
):
    leader_notes_writer_set(meeting=leader_meetings[0], writer=teacher_leader, actor=school_admin)
    assert writers(leader_plg)[:2] == ["leader@lyceum.example", "leader2@lyceum.example"]


def test_a_past_meeting_without_a_confirmed_writer_uses_up_nobodys_turn(
    leader_plg, leader_meetings, second_leader, before_the_year
):
    # Two meetings are over and nobody confirmed a writer for them.
    before_the_year.move_to(leader_meetings[1].ends_at + dt.timedelta(hours=1))
    assert writers(leader_plg)[:4] == [
        None,
        None,
        "leader2@lyceum.example",
        "leader@lyceum.example",
    ]


def test_a_past_meeting_keeps_its_confirmed_writer(
    leader_plg, leader_meetings, teacher_leader, school_admin, before_the_year
):
    leader_notes_writer_set(meeting=leader_meetings[0], writer=teacher_leader, actor=school_admin)
    before_the_year.move_to(leader_meetings[0].ends_at + dt.timedelta(hours=1))
    assert writers(leader_plg)[:2] == ["leader@lyceum.example", "leader2@lyceum.example"]


def test_the_rotation_reads_in_constant_queries(
    django_assert_num_queries, world, leader_plg, leader_meetings, school_admin
):
    with django_assert_num_queries(5):
        note_taker_rotation(leader_plg)
    for index in range(8):
        user = UserFactory(email=f"extra{index}@lyceum.example")
        MembershipFactory(community=world.community, user=user, is_teacher_leader=True)
    leader_plg_ensure(school_year=world.school_year, actor=school_admin)
    for meeting in leader_meetings:
        leader_notes_writer_set(
            meeting=meeting, writer=note_taker_rotation(leader_plg).members[0], actor=school_admin
        )
    with django_assert_num_queries(5):
        note_taker_rotation(leader_plg)


# The services.


def test_only_a_member_of_the_leaders_plg_can_be_the_note_taker(
    leader_meetings, participant, school_admin
):
    with pytest.raises(ValidationError):
        leader_notes_writer_set(meeting=leader_meetings[0], writer=participant, actor=school_admin)
    with pytest.raises(ValidationError):
        leader_notes_writer_set(meeting=leader_meetings[0], writer=school_admin, actor=school_admin)


def test_an_ordinary_plg_meeting_has_no_notes_in_turn(meetings, teacher_leader):
    with pytest.raises(ValidationError):
        leader_notes_writer_set(meeting=meetings[0], writer=teacher_leader, actor=teacher_leader)


def test_only_the_note_taker_writes_and_sends(leader_meetings, teacher_leader, second_leader):
    meeting = leader_meetings[0]
    leader_notes_writer_set(meeting=meeting, writer=teacher_leader, actor=second_leader)
    with pytest.raises(ValidationError):
        leader_notes_save(meeting=meeting, text="not mine", actor=second_leader)
    leader_notes_save(meeting=meeting, text="  draft  ", actor=teacher_leader)
    notes = LeaderMeetingNotes.objects.get(meeting=meeting)
    assert (notes.text, notes.submitted_at) == ("draft", None)


def test_sent_notes_no_longer_change_and_keep_their_writer(
    leader_meetings, teacher_leader, second_leader, school_admin
):
    meeting = leader_meetings[0]
    leader_notes_writer_set(meeting=meeting, writer=teacher_leader, actor=school_admin)
    leader_notes_submit(meeting=meeting, text="We shared cases.", actor=teacher_leader)
    for attempt in (
        lambda: leader_notes_save(meeting=meeting, text="changed", actor=teacher_leader),
        lambda: leader_notes_submit(meeting=meeting, text="again", actor=teacher_leader),
        lambda: leader_notes_writer_set(meeting=meeting, writer=second_leader, actor=school_admin),
    ):
        with pytest.raises(ValidationError):
            attempt()
    notes = LeaderMeetingNotes.objects.get(meeting=meeting)
    assert (notes.text, notes.writer) == ("We shared cases.", teacher_leader)


def test_empty_notes_are_not_sent(leader_meetings, teacher_leader, school_admin):
    leader_notes_writer_set(meeting=leader_meetings[0], writer=teacher_leader, actor=school_admin)
    with pytest.raises(ValidationError):
        leader_notes_submit(meeting=leader_meetings[0], text="   ", actor=teacher_leader)


def test_started_notes_are_not_taken_over(
    leader_meetings, teacher_leader, second_leader, school_admin
):
    meeting = leader_meetings[0]
    leader_notes_writer_set(meeting=meeting, writer=teacher_leader, actor=school_admin)
    leader_notes_save(meeting=meeting, text="half", actor=teacher_leader)
    with pytest.raises(ValidationError):
        leader_notes_writer_set(meeting=meeting, writer=second_leader, actor=school_admin)
    leader_notes_save(meeting=meeting, text="", actor=teacher_leader)
    leader_notes_writer_set(meeting=meeting, writer=second_leader, actor=school_admin)
    assert LeaderMeetingNotes.objects.get(meeting=meeting).writer == second_leader


def test_a_cancelled_meeting_gets_no_note_taker(leader_meetings, teacher_leader, school_admin):
    leader_meetings[0].status = MeetingStatus.CANCELLED
    leader_meetings[0].save()
    with pytest.raises(ValidationError):
        leader_notes_writer_set(
            meeting=leader_meetings[0], writer=teacher_leader, actor=school_admin
        )


# The panel on the meeting page.


def test_the_meeting_page_shows_the_proposed_note_taker(client_as, leader_meetings):
    html = client_as("teacher_leader").get(meeting_url(leader_meetings[0])).content.decode()
    assert "Sara Secondleader" in html
    assert reverse("teacherleaders:note_taker", args=[leader_meetings[0].pk]) in html


def test_a_past_meeting_page_says_no_note_taker_was_confirmed(
    client_as, leader_meetings, before_the_year, teacher_leader
):
    before_the_year.move_to(leader_meetings[0].ends_at + dt.timedelta(hours=1))
    teacher_leader.language = "en"
    teacher_leader.save(update_fields=["language"])
    html = client_as("teacher_leader").get(meeting_url(leader_meetings[0])).content.decode()
    assert "No note-taker was confirmed for this meeting" in html
    assert "Proposed note-taker" not in html


def test_an_ordinary_meeting_page_has_no_notes_panel(client_as, meetings):
    html = client_as("teacher_leader").get(meeting_url(meetings[0])).content.decode()
    assert reverse("teacherleaders:note_taker", args=[meetings[0].pk]) not in html
    assert 'id="leader-notes-heading"' not in html


def test_the_note_taker_is_led_to_the_notes(client, leader_meetings, second_leader, school_admin):
    leader_notes_writer_set(meeting=leader_meetings[0], writer=second_leader, actor=school_admin)
    client.force_login(second_leader)
    html = client.get(meeting_url(leader_meetings[0])).content.decode()
    assert reverse("teacherleaders:notes", args=[leader_meetings[0].pk]) in html


def test_the_leaders_meeting_page_keeps_a_constant_query_count(
    world, client_as, leader_meetings, school_admin
):
    client = client_as("teacher_leader")
    url = meeting_url(leader_meetings[1])
    few = count_queries(client, url)
    for index in range(6):
        user = UserFactory(email=f"extra{index}@lyceum.example")
        MembershipFactory(community=world.other_community, user=user, is_teacher_leader=True)
    leader_plg_ensure(school_year=world.school_year, actor=school_admin)
    assert count_queries(client, url) == few


# Confirm or swap by POST.


def note_taker_url(meeting) -> str:
    return reverse("teacherleaders:note_taker", args=[meeting.pk])


@pytest.mark.parametrize("persona", PERSONAS)
def test_leaders_and_the_programme_lead_confirm_the_note_taker(
    persona, client_as, leader_meetings, second_leader
):
    meeting = leader_meetings[0]
    response = client_as(persona).post(note_taker_url(meeting), {"writer": second_leader.pk})
    assert_only_for(response, persona, SEES_LEADER_PLG, status=302)
    confirmed = LeaderMeetingNotes.objects.filter(meeting=meeting, writer=second_leader).exists()
    assert confirmed == (persona in SEES_LEADER_PLG)


def test_confirming_on_an_ordinary_meeting_is_404(client_as, meetings, teacher_leader):
    response = client_as("teacher_leader").post(
        note_taker_url(meetings[0]), {"writer": teacher_leader.pk}
    )
    assert response.status_code == 404


def test_choosing_someone_outside_the_leaders_plg_shows_a_message(
    client_as, leader_meetings, participant
):
    response = client_as("teacher_leader").post(
        note_taker_url(leader_meetings[0]), {"writer": participant.pk}, follow=True
    )
    with translation.override("nl"):
        expected = gettext("Choose one of the teacher leaders of this PLG.")
    assert [str(m) for m in response.context["messages"]] == [expected]
    assert not LeaderMeetingNotes.objects.exists()


def test_nonsense_input_shows_a_message_not_an_error(client_as, leader_meetings):
    response = client_as("teacher_leader").post(
        note_taker_url(leader_meetings[0]), {"writer": "x"}, follow=True
    )
    assert response.status_code == 200
    assert len(list(response.context["messages"])) == 1


def test_the_note_taker_url_refuses_get(client_as, leader_meetings):
    response = client_as("teacher_leader").get(note_taker_url(leader_meetings[0]))
    assert response.status_code == 405


# The note-taker's page.


def notes_url(meeting) -> str:
    return reverse("teacherleaders:notes", args=[meeting.pk])


@pytest.fixture
def tom_writes(leader_meetings, teacher_leader, school_admin):
    """Tom Teacherleader takes the notes of the first teacher-leader meeting."""
    leader_notes_writer_set(meeting=leader_meetings[0], writer=teacher_leader, actor=school_admin)
    return leader_meetings[0]


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_note_taker_opens_the_notes_page(persona, client_as, tom_writes):
    response = client_as(persona).get(notes_url(tom_writes))
    assert_only_for(response, persona, {"teacher_leader"})


def test_the_other_leader_cannot_open_the_notes_page(client, tom_writes, second_leader):
    client.force_login(second_leader)
    assert client.get(notes_url(tom_writes)).status_code == 404


def test_the_note_taker_saves_a_draft_then_sends(client_as, tom_writes):
    client = client_as("teacher_leader")
    response = client.post(notes_url(tom_writes), {"text": "Draft", "save": ""})
    assert response.status_code == 302
    notes = LeaderMeetingNotes.objects.get(meeting=tom_writes)
    assert (notes.text, notes.submitted_at) == ("Draft", None)
    response = client.post(notes_url(tom_writes), {"text": "Final notes", "send": ""})
    assert response["Location"] == meeting_url(tom_writes)
    notes.refresh_from_db()
    assert notes.text == "Final notes"
    assert notes.submitted_at is not None


def test_sending_empty_notes_shows_the_reason(client_as, tom_writes):
    response = client_as("teacher_leader").post(notes_url(tom_writes), {"text": " ", "send": ""})
    assert response.status_code == 200
    with translation.override("nl"):
        assert gettext("Write the notes before you send them.") in response.content.decode()


def test_overlong_notes_are_refused_with_a_message(client_as, tom_writes):
    response = client_as("teacher_leader").post(
        notes_url(tom_writes), {"text": "x" * 10001, "send": ""}
    )
    assert response.status_code == 200
    assert LeaderMeetingNotes.objects.get(meeting=tom_writes).submitted_at is None


def test_sent_notes_show_on_the_meeting_page_for_the_leaders(
    client, tom_writes, second_leader, teacher_leader
):
    leader_notes_submit(meeting=tom_writes, text="Shared: intervision works.", actor=teacher_leader)
    client.force_login(second_leader)
    assert "Shared: intervision works." in client.get(meeting_url(tom_writes)).content.decode()


def test_a_draft_is_not_shown_to_the_other_leader(
    client, tom_writes, second_leader, teacher_leader
):
    leader_notes_save(meeting=tom_writes, text="My private draft", actor=teacher_leader)
    client.force_login(second_leader)
    assert "My private draft" not in client.get(meeting_url(tom_writes)).content.decode()


# The programme lead's list.


def school_notes_url(world) -> str:
    return reverse("teacherleaders:school_notes", args=[world.school.pk])


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_notes_list_is_for_the_programme_lead(persona, world, client_as):
    response = client_as(persona).get(school_notes_url(world))
    assert_only_for(response, persona, {"school_admin"})


def test_the_programme_lead_reads_sent_notes_not_drafts(
    client_as, world, leader_meetings, teacher_leader, second_leader, school_admin
):
    first, second = leader_meetings[0], leader_meetings[1]
    leader_notes_writer_set(meeting=first, writer=teacher_leader, actor=school_admin)
    leader_notes_submit(meeting=first, text="SENT NOTES", actor=teacher_leader)
    leader_notes_writer_set(meeting=second, writer=second_leader, actor=school_admin)
    leader_notes_save(meeting=second, text="DRAFT NOTES", actor=second_leader)
    html = client_as("school_admin").get(school_notes_url(world)).content.decode()
    assert "SENT NOTES" in html
    assert "Tom Teacherleader" in html
    assert "DRAFT NOTES" not in html


def test_the_notes_list_keeps_a_constant_query_count(
    client_as, world, leader_meetings, teacher_leader, school_admin
):
    client = client_as("school_admin")
    leader_notes_writer_set(meeting=leader_meetings[0], writer=teacher_leader, actor=school_admin)
    leader_notes_submit(meeting=leader_meetings[0], text="one", actor=teacher_leader)
    few = count_queries(client, school_notes_url(world))
    for meeting in leader_meetings[1:]:
        leader_notes_writer_set(meeting=meeting, writer=teacher_leader, actor=school_admin)
        leader_notes_submit(meeting=meeting, text="more", actor=teacher_leader)
    assert count_queries(client, school_notes_url(world)) == few


def test_notes_of_another_school_are_not_listed(
    client_as, world, leader_meetings, teacher_leader, school_admin, other_school_user
):
    leader_notes_writer_set(meeting=leader_meetings[0], writer=teacher_leader, actor=school_admin)
    leader_notes_submit(meeting=leader_meetings[0], text="LYCEUM NOTES", actor=teacher_leader)
    other = client_as("other_school_user").get(
        reverse("teacherleaders:school_notes", args=[world.other_school.pk])
    )
    assert "LYCEUM NOTES" not in other.content.decode()


def test_sent_at_is_the_moment_of_sending(tom_writes, teacher_leader):
    moment = dt.datetime(2026, 9, 10, 20, 0, tzinfo=dt.UTC)
    with time_machine.travel(moment, tick=False):
        notes = leader_notes_submit(meeting=tom_writes, text="notes", actor=teacher_leader)
    assert notes.submitted_at == moment


def test_posting_to_sent_notes_says_they_were_sent(client_as, tom_writes, teacher_leader):
    leader_notes_submit(meeting=tom_writes, text="Final notes", actor=teacher_leader)
    response = client_as("teacher_leader").post(
        notes_url(tom_writes), {"text": "Changed", "save": ""}, follow=True
    )
    with translation.override("nl"):
        expected = gettext("The notes have already been sent to the programme lead.")
    assert [str(m) for m in response.context["messages"]] == [expected]
    assert LeaderMeetingNotes.objects.get(meeting=tom_writes).text == "Final notes"


def test_choosing_no_note_taker_names_the_field(client_as, leader_meetings):
    response = client_as("teacher_leader").post(
        reverse("teacherleaders:note_taker", args=[leader_meetings[0].pk]), {}, follow=True
    )
    with translation.override("nl"):
        expected = gettext("Choose the note-taker.")
    assert [str(m) for m in response.context["messages"]] == [expected]
    assert not LeaderMeetingNotes.objects.filter(meeting=leader_meetings[0]).exists()
