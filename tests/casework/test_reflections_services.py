"""casework.services.reflections and casework.selectors.reflections: writing, sharing,
and reading reflections."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from casework.models import Reflection
from casework.permissions import casework_access
from casework.selectors import reflections as selectors
from casework.services.reflections import TEXT_MAX_LENGTH, reflection_save
from communities.models import LearningQuestion, Membership

TEXT = {
    "learned": "Asking before advising works.",
    "method": "The small group felt safe.",
    "bothers": "Time was short.",
    "learning_question": "One step closer.",
}


@pytest.fixture
def after_meeting_two(meetings, before_the_year):
    """The evening of meeting 2."""
    before_the_year.move_to(meetings[1].ends_at + dt.timedelta(hours=3))
    return meetings[1]


def _save(meeting, author, **changes) -> Reflection:
    return reflection_save(meeting=meeting, author=author, data={**TEXT, **changes})


def test_a_reflection_is_private_by_default(after_meeting_two, participant) -> None:
    reflection = _save(after_meeting_two, participant)

    reflection.refresh_from_db()
    assert reflection.shared is False
    assert reflection.learned == TEXT["learned"]


def test_a_reflection_is_shared_only_when_the_author_chooses_so(
    after_meeting_two, participant
) -> None:
    assert _save(after_meeting_two, participant, shared="yes").shared is False
    assert _save(after_meeting_two, participant, shared=True).shared is True


def test_saving_again_edits_and_can_unshare_the_one_reflection(
    after_meeting_two, participant
) -> None:
    _save(after_meeting_two, participant, shared=True)

    _save(after_meeting_two, participant, learned="Something else", shared=False)

    reflection = Reflection.objects.get()
    assert (reflection.learned, reflection.shared) == ("Something else", False)


def test_a_reflection_can_be_written_once_the_meeting_started(
    meetings, participant, before_the_year
) -> None:
    before_the_year.move_to(meetings[1].starts_at + dt.timedelta(minutes=5))

    assert _save(meetings[1], participant).pk is not None


def test_no_reflection_before_the_meeting(meetings, participant) -> None:
    with pytest.raises(ValidationError):
        _save(meetings[1], participant)

    assert not Reflection.objects.exists()


@pytest.mark.parametrize("persona", ["expert", "team_leader", "school_admin", "other_plg_member"])
def test_only_group_members_write_a_reflection(after_meeting_two, persona_user, persona) -> None:
    with pytest.raises(ValidationError):
        _save(after_meeting_two, persona_user(persona))

    assert not Reflection.objects.exists()


def test_an_empty_reflection_is_refused(after_meeting_two, participant) -> None:
    with pytest.raises(ValidationError):
        reflection_save(
            meeting=after_meeting_two,
            author=participant,
            data={name: "  " for name in TEXT} | {"shared": True},
        )

    assert not Reflection.objects.exists()


def test_a_very_long_part_is_refused(after_meeting_two, participant) -> None:
    with pytest.raises(ValidationError) as error:
        _save(after_meeting_two, participant, bothers="x" * (TEXT_MAX_LENGTH + 1))

    assert "bothers" in error.value.message_dict
    assert not Reflection.objects.exists()


def test_the_shared_list_holds_shared_reflections_only(
    after_meeting_two, participant, development_team, teacher_leader
) -> None:
    shared = _save(after_meeting_two, participant, shared=True)
    _save(after_meeting_two, development_team)
    access = casework_access(teacher_leader, after_meeting_two)

    assert selectors.shared_reflections(after_meeting_two, teacher_leader, access) == [shared]


def test_the_shared_list_is_empty_for_someone_outside_the_group(
    after_meeting_two, participant, team_leader
) -> None:
    _save(after_meeting_two, participant, shared=True)
    access = casework_access(team_leader, after_meeting_two)

    assert selectors.shared_reflections(after_meeting_two, team_leader, access) == []


def test_my_reflections_are_mine_newest_meeting_first(
    meetings, participant, development_team, before_the_year
) -> None:
    before_the_year.move_to(meetings[2].ends_at + dt.timedelta(hours=1))
    older = _save(meetings[1], participant)
    newer = _save(meetings[2], participant)
    _save(meetings[2], development_team)

    assert selectors.my_reflections(participant) == [newer, older]


def test_the_own_learning_question_is_found_for_the_plg(meetings, participant) -> None:
    membership = Membership.objects.get(user=participant, community=meetings[1].community)
    question = LearningQuestion.objects.create(
        membership=membership, text="How do I give feedback?"
    )

    assert selectors.own_learning_question(meetings[1], participant) == question


def test_panel_stays_closed_before_the_meeting(meetings, participant) -> None:
    access = casework_access(participant, meetings[1])

    context = selectors.meeting_panel(meetings[1], participant, access)

    assert context["reflections_open"] is False


def test_panel_counts_shared_reflections_only(
    after_meeting_two, participant, development_team
) -> None:
    _save(after_meeting_two, participant, shared=True)
    own = _save(after_meeting_two, development_team)
    access = casework_access(development_team, after_meeting_two)

    context = selectors.meeting_panel(after_meeting_two, development_team, access)

    assert context["reflections_open"] is True
    assert context["reflections_own"] == own
    assert context["reflections_shared_count"] == 1


@pytest.mark.parametrize("shared", [0, 5])
def test_panel_queries_do_not_grow_with_reflections(
    after_meeting_two, participant, session_members, django_assert_num_queries, shared
) -> None:
    members, _second_dev = session_members
    for member in members[:shared]:
        _save(after_meeting_two, member, shared=True)
    access = casework_access(participant, after_meeting_two)

    with django_assert_num_queries(2):  # own reflection, shared count
        selectors.meeting_panel(after_meeting_two, participant, access)
