"""Saving live notes through the screen: the autosave's JSON, and the Save button without it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from casework.models import MeetingRun, NoteField, PhaseNote
from casework.services.live import note_save
from meetings.models import MeetingPreparer
from meetings.phases import Phase
from tests.factories import MembershipFactory, UserFactory
from tests.personas import SIGNED_IN

JSON = {"HTTP_ACCEPT": "application/json"}
WRITES_GROUP_ONE = {"teacher_leader", "development_team"}


def _url(session) -> str:
    return reverse("casework:note_save", kwargs={"pk": session.meeting.pk})


def _data(session, field=NoteField.ASPECT, text="the break itself", version=0, **extra):
    data = {"field": field, "group": session.groups[0].pk, "text": text, "version": version}
    data.update(extra)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def running(in_the_meeting):
    MeetingRun.objects.create(meeting=in_the_meeting.meeting, phase=Phase.UNDERSTANDING)
    return in_the_meeting


# Who saves -----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_the_group_leader_and_teacher_leaders_save_a_groups_note(
    client_as, running, persona
) -> None:
    response = client_as(persona).post(_url(running), _data(running), **JSON)

    if persona in WRITES_GROUP_ONE:
        assert response.status_code == 200
    else:
        # A member reads along (403); nobody else even learns the group exists (404).
        assert response.status_code == (403 if persona == "participant" else 404)
    assert PhaseNote.objects.exists() == (persona in WRITES_GROUP_ONE)


def test_the_other_groups_leader_does_not_save_here(client, running) -> None:
    client.force_login(running.second_dev)

    response = client.post(_url(running), _data(running), **JSON)

    assert response.status_code == 404
    assert not PhaseNote.objects.exists()


def test_a_member_of_the_other_group_does_not_save_here(client, running) -> None:
    client.force_login(running.members[3])

    assert client.post(_url(running), _data(running), **JSON).status_code == 404


def test_anonymous_save_is_sent_to_sign_in_and_saves_nothing(client, running) -> None:
    response = client.post(_url(running), _data(running), **JSON)

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert not PhaseNote.objects.exists()


def test_saving_is_post_only(client_as, running) -> None:
    assert client_as("teacher_leader").get(_url(running)).status_code == 405


@pytest.mark.parametrize(
    ("persona", "status"),
    [("teacher_leader", 200), ("development_team", 403), ("participant", 403),
     ("team_leader", 404), ("expert", 404)],
)  # fmt: skip
def test_phase_six_notes_are_saved_by_teacher_leaders(client_as, running, persona, status) -> None:
    data = _data(running, NoteField.WENT_WELL, "the rounds", group=None)

    response = client_as(persona).post(_url(running), data, **JSON)

    assert response.status_code == status


def test_a_preparer_saves_phase_six_notes(client_as, running, development_team) -> None:
    MeetingPreparer.objects.create(meeting=running.meeting, user=development_team)
    data = _data(running, NoteField.WENT_WELL, "the rounds", group=None)

    response = client_as("development_team").post(_url(running), data, **JSON)

    assert response.status_code == 200
    assert PhaseNote.objects.get(group__isnull=True).text == "the rounds"


@pytest.fixture
def outside_preparer(world, running):
    """A development-team member who prepared the meeting and sits in no small group."""
    user = UserFactory(email="preparer@lyceum.example", name="Pia Preparer")
    MembershipFactory(
        community=world.community, user=user, is_participant=True, is_development_team=True
    )
    MeetingPreparer.objects.create(meeting=running.meeting, user=user)
    return user


def test_a_preparer_outside_the_groups_saves_phase_six_notes(
    client, running, outside_preparer
) -> None:
    client.force_login(outside_preparer)
    data = _data(running, NoteField.WENT_WELL, "the rounds", group=None)

    response = client.post(_url(running), data, **JSON)

    assert response.status_code == 200
    assert PhaseNote.objects.get(group__isnull=True).text == "the rounds"


def test_a_preparer_outside_the_groups_saves_phase_six_notes_without_javascript(
    client, running, outside_preparer
) -> None:
    client.force_login(outside_preparer)
    data = _data(running, NoteField.WENT_WELL, "the rounds", group=None)

    response = client.post(_url(running), data)

    assert response.status_code == 302
    assert response["Location"].startswith(
        reverse("casework:live", kwargs={"pk": running.meeting.pk})
    )
    assert client.get(response["Location"]).status_code == 200


def test_a_preparer_outside_the_groups_sees_a_phase_six_conflict_without_javascript(
    client, running, outside_preparer, teacher_leader
) -> None:
    note_save(meeting=running.meeting, group=None, field=NoteField.WENT_WELL, member=None,
              text="theirs", base_version=0, actor=teacher_leader)  # fmt: skip
    client.force_login(outside_preparer)
    data = _data(running, NoteField.WENT_WELL, "mine", group=None)

    response = client.post(_url(running), data)

    assert response.status_code == 409
    page = response.content.decode()
    assert "theirs" in page
    assert ">mine</textarea>" in page


def test_a_preparer_outside_the_groups_takes_no_group_notes(
    client, running, outside_preparer
) -> None:
    client.force_login(outside_preparer)

    response = client.post(_url(running), _data(running), **JSON)

    assert response.status_code == 404
    assert not PhaseNote.objects.exists()


# The autosave's answers ----------------------------------------------------------------------


def test_autosave_answers_the_new_version_and_who_saved_when(client_as, running) -> None:
    response = client_as("development_team").post(_url(running), _data(running), **JSON)

    answer = response.json()
    assert answer["version"] == 1
    assert answer["saved_by"] == "Dana Devteam"
    assert answer["saved_time"] == "16:00"
    assert answer["saved_at"].startswith("2026-09-29T")


def test_two_users_saving_from_the_same_base_the_second_is_told_with_their_text(
    client, running, development_team, teacher_leader
) -> None:
    client.force_login(teacher_leader)
    first = client.post(_url(running), _data(running, text="leader's words", version=0), **JSON)
    client.force_login(development_team)

    second = client.post(_url(running), _data(running, text="dev team's words", version=0), **JSON)

    assert first.status_code == 200
    assert second.status_code == 409
    answer = second.json()
    assert answer["conflict"] is True
    assert answer["their_text"] == "leader's words"
    assert answer["their_version"] == 1
    assert answer["saved_by"] == "Tom Teacherleader"
    assert PhaseNote.objects.get().text == "leader's words"


def test_the_conflict_answer_repeats_their_markup_escaped(
    client, running, development_team, teacher_leader
) -> None:
    words = "<script>alert('x')</script> & more"
    client.force_login(teacher_leader)
    client.post(_url(running), _data(running, text=words, version=0), **JSON)
    client.force_login(development_team)

    second = client.post(_url(running), _data(running, text="mine", version=0), **JSON)

    assert second.status_code == 409
    assert b"<" not in second.content and b"&" not in second.content
    assert b"\\u003Cscript\\u003E" in second.content
    assert second.json()["their_text"] == words  # the escapes read back as the same text


def test_a_refused_field_is_not_repeated_as_markup(client_as, running) -> None:
    data = _data(running, field="<script>alert(1)</script>")

    response = client_as("teacher_leader").post(_url(running), data, **JSON)

    assert response.status_code == 400
    assert b"<script" not in response.content
    assert not PhaseNote.objects.exists()


def test_keep_mine_saves_on_top_of_their_version(
    client, running, development_team, teacher_leader
) -> None:
    note_save(meeting=running.meeting, group=running.groups[0], field=NoteField.ASPECT,
              member=None, text="theirs", base_version=0, actor=teacher_leader)  # fmt: skip
    client.force_login(development_team)
    client.post(_url(running), _data(running, text="mine", version=0), **JSON)

    response = client.post(_url(running), _data(running, text="mine", version=1), **JSON)

    assert response.json()["version"] == 2
    assert PhaseNote.objects.get().text == "mine"


@pytest.mark.parametrize(
    ("field", "text"),
    [(NoteField.SCORE, "11"), (NoteField.SCORE, "zeven"), (NoteField.QUESTION_CHANGED, "ja")],
)
def test_bad_input_is_answered_400_with_the_reason(client_as, running, field, text) -> None:
    response = client_as("development_team").post(
        _url(running), _data(running, field, text), **JSON
    )

    assert response.status_code == 400
    assert response.json()["errors"]
    assert not PhaseNote.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"field": "nonsense", "text": "x", "version": 0},
        {"field": "aspect", "text": "x"},
        {"field": "aspect", "text": "x", "version": "one"},
    ],
)
def test_a_malformed_save_is_answered_400(client_as, running, data) -> None:
    data["group"] = running.groups[0].pk

    response = client_as("development_team").post(_url(running), data, **JSON)

    assert response.status_code == 400
    assert response.json()["errors"]


HUGE = [2**31, 10**30]


@pytest.mark.parametrize("number", HUGE)
@pytest.mark.parametrize("name", ["group", "member", "version"])
def test_a_huge_number_is_answered_400_not_500(
    client_as, running, development_team, name, number
) -> None:
    # An existing note, so a huge version reaches the conditional update if it gets through.
    note_save(meeting=running.meeting, group=running.groups[0], field=NoteField.ASPECT,
              member=None, text="first", base_version=0, actor=development_team)  # fmt: skip
    data = _data(running, version=1) | {name: number}

    response = client_as("development_team").post(_url(running), data, **JSON)

    assert response.status_code == 400
    assert response.json()["errors"]
    assert PhaseNote.objects.get().text == "first"


@pytest.mark.parametrize("number", HUGE)
@pytest.mark.parametrize("name", ["group", "member", "version"])
def test_a_huge_number_without_javascript_shows_a_message(
    client_as, running, development_team, name, number
) -> None:
    note_save(meeting=running.meeting, group=running.groups[0], field=NoteField.ASPECT,
              member=None, text="first", base_version=0, actor=development_team)  # fmt: skip
    data = _data(running, version=1) | {name: number}

    response = client_as("development_team").post(_url(running), data, follow=True)

    assert response.status_code == 200
    assert 'class="alert alert-danger"' in response.content.decode()
    assert PhaseNote.objects.get().text == "first"


def test_a_note_removed_meanwhile_is_answered_404(client_as, running, development_team) -> None:
    # Saved at version 1 on the screen, then the groups were made again: the note is gone.
    response = client_as("development_team").post(_url(running), _data(running, version=1), **JSON)

    assert response.status_code == 404
    assert response.json()["errors"]
    assert not PhaseNote.objects.exists()


def test_a_note_removed_meanwhile_without_javascript_keeps_the_typed_words(
    client_as, running
) -> None:
    response = client_as("development_team").post(
        _url(running), _data(running, text="my words", version=1)
    )

    assert response.status_code == 404
    assert ">my words</textarea>" in response.content.decode()


def test_a_learning_yield_of_someone_outside_the_group_is_answered_400(client_as, running) -> None:
    data = _data(running, NoteField.LEARNING_YIELD, "x", member=running.members[3].pk)

    response = client_as("development_team").post(_url(running), data, **JSON)

    assert response.status_code == 400


def test_a_group_of_another_meeting_is_not_found(client_as, running, meetings) -> None:
    url = reverse("casework:note_save", kwargs={"pk": meetings[2].pk})

    response = client_as("teacher_leader").post(url, _data(running), **JSON)

    assert response.status_code == 404


# Without JavaScript --------------------------------------------------------------------------


def test_save_button_goes_back_to_the_notes_of_that_phase(client_as, running) -> None:
    response = client_as("development_team").post(_url(running), _data(running))

    group_url = reverse(
        "casework:live_group", kwargs={"pk": running.meeting.pk, "group_pk": running.groups[0].pk}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{group_url}?phase=2#note-aspect"
    assert PhaseNote.objects.get().text == "the break itself"


def test_save_button_of_a_phase_six_note_goes_back_to_the_live_screen(client_as, running) -> None:
    data = _data(running, NoteField.CLOSING, "a round", group=None)

    response = client_as("teacher_leader").post(_url(running), data)

    live_url = reverse("casework:live", kwargs={"pk": running.meeting.pk})
    assert response["Location"] == f"{live_url}#note-closing"


def test_a_conflict_without_javascript_shows_both_versions_and_the_new_base(
    client, running, development_team, teacher_leader
) -> None:
    note_save(meeting=running.meeting, group=running.groups[0], field=NoteField.ASPECT,
              member=None, text="THEIR WORDS", base_version=0, actor=teacher_leader)  # fmt: skip
    client.force_login(development_team)

    response = client.post(_url(running), _data(running, text="MY WORDS", version=0))

    assert response.status_code == 409
    page = response.content.decode()
    assert 'id="conflict-aspect"' in page
    assert "THEIR WORDS" in page  # theirs, as saved
    assert ">MY WORDS</textarea>" in page  # mine, kept in the field
    assert 'name="version" value="1"' in page  # saving again is a deliberate overwrite
    assert PhaseNote.objects.get().text == "THEIR WORDS"


def test_saving_again_from_the_conflict_page_overwrites_deliberately(
    client, running, development_team, teacher_leader
) -> None:
    note_save(meeting=running.meeting, group=running.groups[0], field=NoteField.ASPECT,
              member=None, text="THEIR WORDS", base_version=0, actor=teacher_leader)  # fmt: skip
    client.force_login(development_team)
    client.post(_url(running), _data(running, text="MY WORDS", version=0))

    response = client.post(_url(running), _data(running, text="MY WORDS", version=1))

    assert response.status_code == 302
    assert PhaseNote.objects.get().text == "MY WORDS"


def test_a_phase_six_conflict_without_javascript_keeps_the_typed_words(
    client_as, running, teacher_leader
) -> None:
    note_save(meeting=running.meeting, group=None, field=NoteField.DO_BETTER, member=None,
              text="THEIR WORDS", base_version=0, actor=teacher_leader)  # fmt: skip
    data = _data(running, NoteField.DO_BETTER, "MY WORDS", group=None)

    response = client_as("teacher_leader").post(_url(running), data)

    assert response.status_code == 409
    page = response.content.decode()
    assert "THEIR WORDS" in page
    assert ">MY WORDS</textarea>" in page


def test_bad_input_without_javascript_shows_the_error_and_keeps_the_text(
    client_as, running
) -> None:
    response = client_as("development_team").post(
        _url(running), _data(running, NoteField.SCORE, "twelve")
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "invalid-feedback" in page
    assert 'id="note-score" name="text" value="twelve"' in page
    assert response.context["shown_phase"] == Phase.LOOKING_BACK
    assert not PhaseNote.objects.exists()


def test_a_malformed_save_without_javascript_shows_a_message(client_as, running) -> None:
    response = client_as("development_team").post(
        _url(running), {"field": "nonsense", "text": "x", "version": 0}, follow=True
    )

    assert 'class="alert alert-danger"' in response.content.decode()
