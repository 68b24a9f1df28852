"""The live screens: who opens which screen, moving phases, what each phase shows, budgets."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils.translation import gettext, override

from casework.models import (
    MeetingRun,
    NextStep,
    NoteField,
    PhaseNote,
    SmallGroup,
    SmallGroupMember,
    StepStatus,
)
from casework.services.live import note_save
from meetings.models import MeetingPreparer, ThemeIntroduction
from meetings.phases import GUIDES, Phase
from tests.casework.conftest import make_case, seat
from tests.factories import MembershipFactory, UserFactory
from tests.helpers import assert_login_redirect, count_queries
from tests.personas import SIGNED_IN

# Who sits where in tests/casework/conftest.py: development_team leads group 1, participant
# presents in it; teacher_leader runs the meeting.
OPENS_GROUP_ONE = {"teacher_leader", "development_team", "participant"}


def _live(meeting) -> str:
    return reverse("casework:live", kwargs={"pk": meeting.pk})


def _group(meeting, group, phase: int | None = None) -> str:
    url = reverse("casework:live_group", kwargs={"pk": meeting.pk, "group_pk": group.pk})
    return f"{url}?phase={phase}" if phase is not None else url


def _run(session, phase: int = Phase.THEME) -> MeetingRun:
    return MeetingRun.objects.create(meeting=session.meeting, phase=phase)


# The whole-meeting screen --------------------------------------------------------------------


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_live_screen_is_the_teacher_leaders_and_sends_group_members_to_their_group(
    client_as, in_the_meeting, persona
) -> None:
    response = client_as(persona).get(_live(in_the_meeting.meeting))

    if persona == "teacher_leader":
        assert response.status_code == 200
    elif persona in OPENS_GROUP_ONE:
        assert response.status_code == 302
        assert response["Location"] == _group(in_the_meeting.meeting, in_the_meeting.groups[0])
    else:
        assert response.status_code == 404


def test_live_screen_sends_a_member_of_group_two_to_group_two(client, in_the_meeting) -> None:
    client.force_login(in_the_meeting.members[3])

    response = client.get(_live(in_the_meeting.meeting))

    assert response["Location"] == _group(in_the_meeting.meeting, in_the_meeting.groups[1])


def test_live_screen_is_not_found_for_a_member_without_a_group(client, in_the_meeting) -> None:
    client.force_login(in_the_meeting.drafter)

    assert client.get(_live(in_the_meeting.meeting)).status_code == 404


def test_live_screen_sends_anonymous_visitors_to_sign_in(client, in_the_meeting) -> None:
    assert_login_redirect(client.get(_live(in_the_meeting.meeting)))


def test_live_screen_offers_to_start_the_meeting_on_its_day(client_as, in_the_meeting) -> None:
    page = client_as("teacher_leader").get(_live(in_the_meeting.meeting)).content.decode()

    assert reverse("casework:live_start", kwargs={"pk": in_the_meeting.meeting.pk}) in page


def test_live_screen_offers_no_start_before_the_day(client_as, session) -> None:
    page = client_as("teacher_leader").get(_live(session.meeting)).content.decode()

    assert reverse("casework:live_start", kwargs={"pk": session.meeting.pk}) not in page


def test_live_screen_offers_no_start_after_the_day(
    client_as, in_the_meeting, before_the_year
) -> None:
    meeting = in_the_meeting.meeting
    before_the_year.move_to(meeting.starts_at + dt.timedelta(days=1))

    page = client_as("teacher_leader").get(_live(meeting)).content.decode()

    assert reverse("casework:live_start", kwargs={"pk": meeting.pk}) not in page
    assert gettext("A meeting can only be started on its own day.") in page


def test_starting_after_the_day_shows_the_reason(
    client_as, in_the_meeting, before_the_year
) -> None:
    meeting = in_the_meeting.meeting
    before_the_year.move_to(meeting.starts_at + dt.timedelta(days=1))
    url = reverse("casework:live_start", kwargs={"pk": meeting.pk})

    response = client_as("teacher_leader").post(url, follow=True)

    assert gettext("A meeting can only be started on its own day.") in response.content.decode()
    assert not MeetingRun.objects.exists()


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_a_teacher_leader_starts_the_meeting(client_as, in_the_meeting, persona) -> None:
    url = reverse("casework:live_start", kwargs={"pk": in_the_meeting.meeting.pk})

    response = client_as(persona).post(url)

    assert response.status_code == (302 if persona == "teacher_leader" else 404)
    assert MeetingRun.objects.exists() == (persona == "teacher_leader")


def test_starting_twice_shows_a_message(client_as, in_the_meeting) -> None:
    url = reverse("casework:live_start", kwargs={"pk": in_the_meeting.meeting.pk})
    client = client_as("teacher_leader")
    client.post(url)

    response = client.post(url, follow=True)

    assert 'class="alert alert-danger"' in response.content.decode()
    assert MeetingRun.objects.count() == 1


def test_starting_is_post_only(client_as, in_the_meeting) -> None:
    url = reverse("casework:live_start", kwargs={"pk": in_the_meeting.meeting.pk})

    assert client_as("teacher_leader").get(url).status_code == 405


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_a_teacher_leader_moves_the_meeting_on(client_as, in_the_meeting, persona) -> None:
    _run(in_the_meeting)
    url = reverse("casework:live_phase", kwargs={"pk": in_the_meeting.meeting.pk})

    response = client_as(persona).post(url, {"from_phase": 0, "direction": "next"})

    assert response.status_code == (302 if persona == "teacher_leader" else 404)
    expected = Phase.CASE if persona == "teacher_leader" else Phase.THEME
    assert MeetingRun.objects.get().phase == expected


def test_anonymous_phase_move_is_sent_to_sign_in(client, in_the_meeting) -> None:
    _run(in_the_meeting)
    url = reverse("casework:live_phase", kwargs={"pk": in_the_meeting.meeting.pk})

    assert_login_redirect(client.post(url, {"from_phase": 0, "direction": "next"}))
    assert MeetingRun.objects.get().phase == Phase.THEME


def test_previous_phase_from_the_screen(client_as, in_the_meeting) -> None:
    _run(in_the_meeting, Phase.INSIGHTS)
    url = reverse("casework:live_phase", kwargs={"pk": in_the_meeting.meeting.pk})

    client_as("teacher_leader").post(url, {"from_phase": 3, "direction": "previous"})

    assert MeetingRun.objects.get().phase == Phase.UNDERSTANDING


@pytest.mark.parametrize(
    "data", [{"from_phase": 0, "direction": "sideways"}, {"direction": "next"}, {}]
)
def test_bad_phase_move_shows_a_message(client_as, in_the_meeting, data) -> None:
    _run(in_the_meeting)
    url = reverse("casework:live_phase", kwargs={"pk": in_the_meeting.meeting.pk})

    response = client_as("teacher_leader").post(url, data, follow=True)

    assert 'class="alert alert-danger"' in response.content.decode()
    assert MeetingRun.objects.get().phase == Phase.THEME


def test_a_stale_phase_move_shows_a_message(client_as, in_the_meeting) -> None:
    _run(in_the_meeting, Phase.CASE)
    url = reverse("casework:live_phase", kwargs={"pk": in_the_meeting.meeting.pk})

    response = client_as("teacher_leader").post(
        url, {"from_phase": 0, "direction": "next"}, follow=True
    )

    assert 'class="alert alert-danger"' in response.content.decode()
    assert MeetingRun.objects.get().phase == Phase.CASE


def test_closing_the_meeting_after_phase_six(client_as, in_the_meeting) -> None:
    _run(in_the_meeting, Phase.CLOSING)
    url = reverse("casework:live_close", kwargs={"pk": in_the_meeting.meeting.pk})

    response = client_as("teacher_leader").post(url)

    assert response["Location"] == reverse(
        "meetings:meeting", kwargs={"pk": in_the_meeting.meeting.pk}
    )
    assert MeetingRun.objects.get().closed_at is not None


@pytest.mark.parametrize("persona", [p for p in SIGNED_IN if p != "teacher_leader"])
def test_nobody_else_closes_the_meeting(client_as, in_the_meeting, persona) -> None:
    _run(in_the_meeting, Phase.CLOSING)
    url = reverse("casework:live_close", kwargs={"pk": in_the_meeting.meeting.pk})

    assert client_as(persona).post(url).status_code == 404
    assert MeetingRun.objects.get().closed_at is None


def test_phase_screen_shows_phase_aim_questions_and_timer(client_as, in_the_meeting) -> None:
    _run(in_the_meeting, Phase.INSIGHTS)

    page = client_as("teacher_leader").get(_live(in_the_meeting.meeting)).content.decode()

    guide = GUIDES[Phase.INSIGHTS]
    assert str(Phase.INSIGHTS.label) in page
    assert str(guide.aim) in page
    assert all(str(question) in page for question in guide.questions)
    # Started half an hour in, at 16:00; phase 3 has 35 minutes.
    assert 'data-ends-at="2026-09-29T16:35:00+02:00"' in page
    assert "16:35" in page  # the end time as text, for screens without JavaScript
    assert 'name="direction" value="next"' in page
    assert 'name="direction" value="previous"' in page


def test_phase_zero_shows_the_theme_introduction(client_as, in_the_meeting) -> None:
    _run(in_the_meeting)
    ThemeIntroduction.objects.create(
        meeting=in_the_meeting.meeting, kind="guest_speaker", title="Calm classrooms",
        speaker_name="Dr. Rust",
    )  # fmt: skip

    page = client_as("teacher_leader").get(_live(in_the_meeting.meeting)).content.decode()

    assert "Calm classrooms" in page
    assert "Dr. Rust" in page


def test_small_group_phases_list_each_group_with_its_phase_and_screen(
    client_as, in_the_meeting
) -> None:
    _run(in_the_meeting, Phase.UNDERSTANDING)
    SmallGroup.objects.filter(pk=in_the_meeting.groups[1].pk).update(phase=Phase.INSIGHTS)

    response = client_as("teacher_leader").get(_live(in_the_meeting.meeting))

    phases = [row.phase for row in response.context["groups"]]
    assert phases == [Phase.UNDERSTANDING, Phase.INSIGHTS]
    page = response.content.decode()
    for group in in_the_meeting.groups:
        assert _group(in_the_meeting.meeting, group) in page


def test_phase_six_shows_the_whole_plg_notes_with_hints_from_the_year_plan(
    client_as, in_the_meeting, meetings
) -> None:
    _run(in_the_meeting, Phase.CLOSING)

    page = client_as("teacher_leader").get(_live(in_the_meeting.meeting)).content.decode()

    for field in ("closing", "went_well", "do_better", "next_theme", "next_date"):
        assert f'id="note-{field}"' in page
        assert f'id="status-{field}"' in page
    next_day = meetings[2].starts_at.date().isoformat()
    assert next_day in page  # the next meeting's date as a hint
    assert reverse("casework:live_close", kwargs={"pk": in_the_meeting.meeting.pk}) in page


@pytest.mark.parametrize("phase", [Phase.INSIGHTS, Phase.LOOKING_BACK])
def test_live_screen_queries_do_not_grow_with_groups(
    client_as, in_the_meeting, world, meetings, phase
) -> None:
    _run(in_the_meeting, phase)
    client = client_as("teacher_leader")
    _earlier_step(meetings[0], in_the_meeting.members[0], "one step")
    small = count_queries(client, _live(in_the_meeting.meeting))
    for member in in_the_meeting.members[1:5]:
        _earlier_step(meetings[0], member, "another step")
    for number in range(3, 7):
        leader = UserFactory(email=f"lead{number}@lyceum.example")
        MembershipFactory(community=world.community, user=leader, is_participant=True)
        presenter = UserFactory(email=f"presenter{number}@lyceum.example")
        MembershipFactory(community=world.community, user=presenter, is_participant=True)
        case = make_case(in_the_meeting.meeting, presenter, f"Case {number}")
        group = SmallGroup.objects.create(
            meeting=in_the_meeting.meeting, number=number, leader=leader, case=case
        )
        seat(group, leader, presenter)

    assert count_queries(client, _live(in_the_meeting.meeting)) == small


def test_phase_six_screen_queries_do_not_grow_with_notes(
    client_as, in_the_meeting, teacher_leader
) -> None:
    _run(in_the_meeting, Phase.CLOSING)
    client = client_as("teacher_leader")
    small = count_queries(client, _live(in_the_meeting.meeting))
    for field in (NoteField.CLOSING, NoteField.WENT_WELL, NoteField.DO_BETTER):
        note_save(meeting=in_the_meeting.meeting, group=None, field=field, member=None,
                  text="words", base_version=0, actor=teacher_leader)  # fmt: skip

    assert count_queries(client, _live(in_the_meeting.meeting)) == small


# A preparer outside the small groups ---------------------------------------------------------


@pytest.fixture
def preparer(world, in_the_meeting):
    """A development-team member who prepared the meeting and sits in no small group."""
    user = UserFactory(email="preparer@lyceum.example", name="Pia Preparer")
    MembershipFactory(
        community=world.community, user=user, is_participant=True, is_development_team=True
    )
    MeetingPreparer.objects.create(meeting=in_the_meeting.meeting, user=user)
    return user


def test_a_preparer_outside_the_groups_takes_the_phase_six_notes_on_the_live_screen(
    client, in_the_meeting, preparer
) -> None:
    meeting = in_the_meeting.meeting
    _run(in_the_meeting, Phase.CLOSING)
    client.force_login(preparer)

    response = client.get(_live(meeting))

    assert response.status_code == 200
    page = response.content.decode()
    for field in ("closing", "went_well", "do_better", "next_theme", "next_date"):
        assert f'id="status-{field}"' in page  # editable, with its autosave status
    assert '<textarea id="note-went_well"' in page
    for name in ("casework:live_phase", "casework:live_close", "casework:live_start"):
        assert reverse(name, kwargs={"pk": meeting.pk}) not in page


@pytest.mark.parametrize("phase", [None, Phase.THEME, Phase.INSIGHTS])
def test_a_preparer_outside_the_groups_reads_along_without_buttons(
    client, in_the_meeting, preparer, phase
) -> None:
    meeting = in_the_meeting.meeting
    if phase is not None:
        _run(in_the_meeting, phase)
    client.force_login(preparer)

    page = client.get(_live(meeting)).content.decode()

    for name in ("casework:live_phase", "casework:live_close", "casework:live_start"):
        assert reverse(name, kwargs={"pk": meeting.pk}) not in page
    for group in in_the_meeting.groups:  # their screens are not the preparer's
        assert _group(meeting, group) not in page
    assert 'id="note-went_well"' not in page  # phase 6 has not come yet


def test_a_preparer_who_sits_in_a_group_goes_to_the_groups_screen(
    client, in_the_meeting, preparer
) -> None:
    seat(in_the_meeting.groups[1], preparer)
    client.force_login(preparer)

    response = client.get(_live(in_the_meeting.meeting))

    assert response["Location"] == _group(in_the_meeting.meeting, in_the_meeting.groups[1])


def test_a_preparer_does_not_move_or_close_the_meeting(client, in_the_meeting, preparer) -> None:
    meeting = in_the_meeting.meeting
    _run(in_the_meeting, Phase.CLOSING)
    client.force_login(preparer)

    moved = client.post(
        reverse("casework:live_phase", kwargs={"pk": meeting.pk}),
        {"from_phase": 6, "direction": "previous"},
    )
    closed = client.post(reverse("casework:live_close", kwargs={"pk": meeting.pk}))

    assert (moved.status_code, closed.status_code) == (404, 404)
    assert MeetingRun.objects.get().phase == Phase.CLOSING
    assert MeetingRun.objects.get().closed_at is None


def test_a_preparer_does_not_open_a_group_screen(client, in_the_meeting, preparer) -> None:
    client.force_login(preparer)

    response = client.get(_group(in_the_meeting.meeting, in_the_meeting.groups[0]))

    assert response.status_code == 404


def test_meeting_page_links_a_preparer_to_the_live_screen(client, in_the_meeting, preparer) -> None:
    client.force_login(preparer)
    meeting = in_the_meeting.meeting

    page = client.get(reverse("meetings:meeting", kwargs={"pk": meeting.pk})).content.decode()

    assert f'href="{_live(meeting)}"' in page


# A small group's screen ----------------------------------------------------------------------


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_group_screen_is_for_its_group_and_the_teacher_leaders(
    client_as, in_the_meeting, persona
) -> None:
    _run(in_the_meeting, Phase.CASE)

    response = client_as(persona).get(_group(in_the_meeting.meeting, in_the_meeting.groups[0]))

    assert response.status_code == (200 if persona in OPENS_GROUP_ONE else 404)


@pytest.mark.parametrize("who", ["leader", "member"])
def test_group_screen_is_not_found_for_the_other_group(client, in_the_meeting, who) -> None:
    client.force_login(in_the_meeting.second_dev if who == "leader" else in_the_meeting.members[3])

    response = client.get(_group(in_the_meeting.meeting, in_the_meeting.groups[0]))

    assert response.status_code == 404


def test_group_screen_of_another_meeting_is_not_found(client_as, in_the_meeting, meetings) -> None:
    url = reverse(
        "casework:live_group",
        kwargs={"pk": meetings[2].pk, "group_pk": in_the_meeting.groups[0].pk},
    )

    assert client_as("teacher_leader").get(url).status_code == 404


def test_group_screen_sends_anonymous_visitors_to_sign_in(client, in_the_meeting) -> None:
    assert_login_redirect(client.get(_group(in_the_meeting.meeting, in_the_meeting.groups[0])))


@pytest.mark.parametrize(
    ("persona", "editable"),
    [("teacher_leader", True), ("development_team", True), ("participant", False)],
)
def test_leaders_edit_the_notes_and_members_read_along(
    client_as, in_the_meeting, persona, editable
) -> None:
    _run(in_the_meeting, Phase.UNDERSTANDING)

    page = client_as(persona).get(_group(in_the_meeting.meeting, in_the_meeting.groups[0]))

    html = page.content.decode()
    assert ('<textarea id="note-aspect"' in html) == editable
    assert ('id="status-aspect"' in html) == editable
    assert 'id="note-aspect"' in html


@pytest.mark.parametrize("persona", ["teacher_leader", "development_team", "participant"])
def test_case_text_is_read_by_the_group_and_teacher_leaders_during_the_meeting(
    client_as, in_the_meeting, persona
) -> None:
    _run(in_the_meeting, Phase.CASE)

    page = client_as(persona).get(_group(in_the_meeting.meeting, in_the_meeting.groups[0]))

    assert "SITUATION of Restless class after the break" in page.content.decode()


def test_case_text_is_read_by_a_group_member_during_the_meeting(client, in_the_meeting) -> None:
    client.force_login(in_the_meeting.members[0])

    page = client.get(_group(in_the_meeting.meeting, in_the_meeting.groups[0])).content.decode()

    assert "SITUATION of Restless class after the break" in page


@pytest.mark.parametrize("who", ["teacher_leader", "development_team", "member"])
def test_case_text_is_not_shown_before_the_meeting(client, session, persona_user, who) -> None:
    user = session.members[0] if who == "member" else persona_user(who)
    client.force_login(user)

    page = client.get(_group(session.meeting, session.groups[0])).content.decode()

    assert "Restless class after the break" in page  # the title
    assert "SITUATION of" not in page


def test_the_presenter_reads_their_own_case_before_the_meeting(client_as, session) -> None:
    page = client_as("participant").get(_group(session.meeting, session.groups[0]))

    assert "SITUATION of Restless class after the break" in page.content.decode()


def test_case_text_is_not_shown_after_the_meeting_closed(
    client, in_the_meeting, before_the_year
) -> None:
    run = _run(in_the_meeting, Phase.CLOSING)
    MeetingRun.objects.filter(pk=run.pk).update(closed_at=in_the_meeting.meeting.ends_at)
    before_the_year.move_to(in_the_meeting.meeting.ends_at + dt.timedelta(hours=1))
    client.force_login(in_the_meeting.members[0])

    page = client.get(_group(in_the_meeting.meeting, in_the_meeting.groups[0])).content.decode()

    assert "SITUATION of" not in page


def test_phase_two_says_no_advice_yet(client_as, in_the_meeting) -> None:
    _run(in_the_meeting, Phase.UNDERSTANDING)

    page = client_as("development_team").get(
        _group(in_the_meeting.meeting, in_the_meeting.groups[0])
    )

    assert gettext("No advice yet: ask open questions.") in page.content.decode()


def test_phase_four_has_a_score_from_0_to_10(client_as, in_the_meeting) -> None:
    _run(in_the_meeting, Phase.LOOKING_BACK)

    page = (
        client_as("development_team")
        .get(_group(in_the_meeting.meeting, in_the_meeting.groups[0]))
        .content.decode()
    )

    assert 'type="number" id="note-score" name="text" value="" min="0" max="10"' in page


def _earlier_step(meeting, presenter, text, status=StepStatus.OPEN, outcome="") -> NextStep:
    """A first small step of `presenter` taken at an earlier meeting."""
    number = SmallGroup.objects.filter(meeting=meeting).count() + 1
    group = SmallGroup.objects.create(meeting=meeting, number=number)
    note = PhaseNote.objects.create(
        meeting=meeting, group=group, field=NoteField.FIRST_STEP, text=text
    )
    return NextStep.objects.create(
        note=note, meeting=meeting, presenter=presenter, status=status, outcome=outcome
    )


def test_phase_four_shows_the_presenters_step_from_an_earlier_meeting(
    client_as, in_the_meeting, meetings, participant
) -> None:
    _earlier_step(meetings[0], participant, "Ask one pupil a day how it goes",
                  StepStatus.PARTLY, "Three days out of five")  # fmt: skip
    _run(in_the_meeting, Phase.LOOKING_BACK)

    page = (
        client_as("development_team")
        .get(_group(in_the_meeting.meeting, in_the_meeting.groups[0]))
        .content.decode()
    )

    assert "Ask one pupil a day how it goes" in page
    assert "Three days out of five" in page


def test_phase_four_shows_the_earlier_steps_of_every_member_of_the_group(
    client, in_the_meeting, meetings, world
) -> None:
    members = in_the_meeting.members
    _earlier_step(meetings[0], members[0], "Greet every pupil at the door")  # not the presenter
    _earlier_step(meetings[0], members[1], "Plan a quiet start", StepStatus.DONE, "It worked")
    _earlier_step(meetings[0], members[3], "STEP OF THE OTHER GROUP")
    _earlier_step(meetings[2], members[0], "STEP OF A LATER MEETING")
    _run(in_the_meeting, Phase.LOOKING_BACK)
    client.force_login(members[1])  # a member reads along

    page = client.get(_group(in_the_meeting.meeting, in_the_meeting.groups[0])).content.decode()

    assert "Greet every pupil at the door" in page
    with override("nl"):  # the page's language
        assert str(StepStatus.OPEN.label) in page
    assert "Plan a quiet start" in page
    assert "It worked" in page
    assert "STEP OF THE OTHER GROUP" not in page
    assert "STEP OF A LATER MEETING" not in page


def test_earlier_steps_are_shown_in_phase_four_only(client_as, in_the_meeting, meetings) -> None:
    _earlier_step(meetings[0], in_the_meeting.members[0], "Greet every pupil at the door")
    _run(in_the_meeting, Phase.INSIGHTS)

    group_page = client_as("development_team").get(
        _group(in_the_meeting.meeting, in_the_meeting.groups[0])
    )
    whole_page = client_as("teacher_leader").get(_live(in_the_meeting.meeting))

    assert "Greet every pupil at the door" not in group_page.content.decode()
    assert "Greet every pupil at the door" not in whole_page.content.decode()


def test_the_whole_meeting_screen_shows_the_earlier_steps_of_those_present_in_phase_four(
    client_as, in_the_meeting, meetings, world
) -> None:
    members = in_the_meeting.members
    _earlier_step(meetings[0], members[0], "STEP OF GROUP ONE")
    _earlier_step(meetings[0], members[3], "STEP OF GROUP TWO")
    _earlier_step(meetings[0], in_the_meeting.drafter, "STEP OF SOMEONE NOT HERE")
    stranger = UserFactory(email="elsewhere@lyceum.example")
    _earlier_step(meetings[0], stranger, "STEP OF ANOTHER PLG MEMBER")
    _run(in_the_meeting, Phase.LOOKING_BACK)

    page = client_as("teacher_leader").get(_live(in_the_meeting.meeting)).content.decode()

    assert "STEP OF GROUP ONE" in page
    assert "STEP OF GROUP TWO" in page
    assert "STEP OF SOMEONE NOT HERE" not in page
    assert "STEP OF ANOTHER PLG MEMBER" not in page


def test_phase_five_asks_every_member_for_their_learning_yield(client_as, in_the_meeting) -> None:
    _run(in_the_meeting, Phase.NEXT_STEPS)

    page = (
        client_as("development_team")
        .get(_group(in_the_meeting.meeting, in_the_meeting.groups[0]))
        .content.decode()
    )

    assert 'id="note-first_step"' in page
    assert 'id="note-usable"' in page
    for seat_ in SmallGroupMember.objects.filter(group=in_the_meeting.groups[0]):
        assert f'id="note-learning_yield-{seat_.member_id}"' in page
        assert f'id="status-learning_yield-{seat_.member_id}"' in page


def test_earlier_phase_tab_shows_its_notes(client_as, in_the_meeting, development_team) -> None:
    _run(in_the_meeting, Phase.LOOKING_BACK)
    note_save(meeting=in_the_meeting.meeting, group=in_the_meeting.groups[0],
              field=NoteField.CASE_QUESTION, member=None, text="How do I calm them?",
              base_version=0, actor=development_team)  # fmt: skip

    response = client_as("development_team").get(
        _group(in_the_meeting.meeting, in_the_meeting.groups[0], phase=1)
    )

    assert response.context["shown_phase"] == Phase.CASE
    assert response.context["current_phase"] == Phase.LOOKING_BACK
    assert "How do I calm them?" in response.content.decode()


@pytest.mark.parametrize("phase", ["0", "6", "x", "99", "²", "١", "-1", " 3", "9" * 400])
def test_an_unknown_phase_tab_shows_the_current_phase(client_as, in_the_meeting, phase) -> None:
    _run(in_the_meeting, Phase.INSIGHTS)
    url = _group(in_the_meeting.meeting, in_the_meeting.groups[0])

    response = client_as("development_team").get(url, {"phase": phase})

    assert response.status_code == 200
    assert response.context["shown_phase"] == Phase.INSIGHTS


def test_group_screen_in_phase_six_shows_the_plg_notes(client_as, in_the_meeting) -> None:
    _run(in_the_meeting, Phase.CLOSING)

    page = (
        client_as("participant")
        .get(_group(in_the_meeting.meeting, in_the_meeting.groups[0]))
        .content.decode()
    )

    assert 'id="note-went_well"' in page
    assert '<textarea id="note-went_well"' not in page  # a participant reads along


@pytest.mark.parametrize("phase", [Phase.LOOKING_BACK, Phase.NEXT_STEPS])
@pytest.mark.parametrize("extra", [0, 1])
def test_group_screen_queries_do_not_grow_with_members_and_notes(
    client_as, in_the_meeting, world, development_team, meetings, extra, phase
) -> None:
    _run(in_the_meeting, phase)
    group = in_the_meeting.groups[0]
    url = _group(in_the_meeting.meeting, group)
    client = client_as("development_team")
    _earlier_step(meetings[0], in_the_meeting.members[0], "one step")
    small = count_queries(client, url)
    for index in range(3 * extra + 3):
        member = UserFactory(email=f"extra{index}@lyceum.example")
        MembershipFactory(community=world.community, user=member, is_participant=True)
        seat(group, member)
        _earlier_step(meetings[0], member, f"step {index}")
        note_save(meeting=in_the_meeting.meeting, group=group, field=NoteField.LEARNING_YIELD,
                  member=member, text="learned", base_version=0, actor=development_team)  # fmt: skip
    note_save(meeting=in_the_meeting.meeting, group=group, field=NoteField.FIRST_STEP,
              member=None, text="a step", base_version=0, actor=development_team)  # fmt: skip

    assert count_queries(client, url) == small


# Moving a small group ------------------------------------------------------------------------


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_group_leader_and_teacher_leader_move_the_group(client_as, in_the_meeting, persona) -> None:
    _run(in_the_meeting, Phase.CASE)
    group = in_the_meeting.groups[0]
    url = reverse(
        "casework:group_phase", kwargs={"pk": in_the_meeting.meeting.pk, "group_pk": group.pk}
    )

    response = client_as(persona).post(url, {"from_phase": 1, "direction": "next"})

    movers = {"teacher_leader", "development_team"}
    expected_status = 302 if persona in movers else 403 if persona == "participant" else 404
    assert response.status_code == expected_status
    group.refresh_from_db()
    assert group.phase == (Phase.UNDERSTANDING if persona in movers else None)


def test_the_other_groups_leader_does_not_move_it(client, in_the_meeting) -> None:
    _run(in_the_meeting, Phase.CASE)
    group = in_the_meeting.groups[0]
    url = reverse(
        "casework:group_phase", kwargs={"pk": in_the_meeting.meeting.pk, "group_pk": group.pk}
    )
    client.force_login(in_the_meeting.second_dev)

    assert client.post(url, {"from_phase": 1, "direction": "next"}).status_code == 404


def test_anonymous_group_move_is_sent_to_sign_in(client, in_the_meeting) -> None:
    _run(in_the_meeting, Phase.CASE)
    group = in_the_meeting.groups[0]
    url = reverse(
        "casework:group_phase", kwargs={"pk": in_the_meeting.meeting.pk, "group_pk": group.pk}
    )

    assert_login_redirect(client.post(url, {"from_phase": 1, "direction": "next"}))


def test_a_group_move_before_the_meeting_runs_shows_a_message(client_as, in_the_meeting) -> None:
    group = in_the_meeting.groups[0]
    url = reverse(
        "casework:group_phase", kwargs={"pk": in_the_meeting.meeting.pk, "group_pk": group.pk}
    )

    response = client_as("development_team").post(
        url, {"from_phase": 1, "direction": "next"}, follow=True
    )

    assert 'class="alert alert-danger"' in response.content.decode()


# The meeting page ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "whole", "own"),
    [
        ("teacher_leader", True, False),
        ("development_team", False, True),
        ("participant", False, True),
        ("team_leader", False, False),
        ("school_admin", False, False),
        ("expert", False, False),
    ],
)
def test_meeting_page_links_to_the_live_screens(
    client_as, in_the_meeting, persona, whole, own
) -> None:
    meeting = in_the_meeting.meeting

    page = client_as(persona).get(reverse("meetings:meeting", kwargs={"pk": meeting.pk}))

    html = page.content.decode()
    assert (f'href="{_live(meeting)}"' in html) == whole
    assert (f'href="{_group(meeting, in_the_meeting.groups[0])}"' in html) == own
