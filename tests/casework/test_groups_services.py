"""Services for the small groups: the split from who is present, hand moves, leader and case."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from casework.grouping import count_repeats, pair_counts
from casework.models import GroupSplit, NoteField, PhaseNote, SmallGroup, SmallGroupMember
from casework.selectors.groups import present_members
from casework.selectors.turns import earlier_groups
from casework.services.groups import group_member_move, group_update, groups_split
from meetings.models import AbsenceRequest, AbsenceStatus, Attendance, AttendanceStatus
from tests.casework.conftest import make_case, seat
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture(autouse=True)
def english():
    """Messages in English: the Dutch catalogue for new strings is filled in afterwards."""
    with translation.override("en"):
        yield


def _seats(meeting) -> dict[int, int]:
    """Group number per member id."""
    return dict(
        SmallGroupMember.objects.filter(meeting=meeting).values_list("member_id", "group__number")
    )


def _composition(meeting) -> list[tuple[int, ...]]:
    groups: dict[int, list[int]] = {}
    for member, number in _seats(meeting).items():
        groups.setdefault(number, []).append(member)
    return [tuple(sorted(groups[number])) for number in sorted(groups)]


def _group(meeting, number: int) -> SmallGroup:
    return SmallGroup.objects.get(meeting=meeting, number=number)


def _message(error: pytest.ExceptionInfo) -> str:
    return " ".join(error.value.messages)


@pytest.fixture
def plain_meeting(meetings, participant, teacher_leader, development_team, expert, session_members):
    """Meeting 3: no attendance recorded, no groups; nine group members and an expert."""
    return meetings[2]


# Who is present -------------------------------------------------------------------------------


def test_split_seats_every_member_recorded_present_exactly_once(session, teacher_leader) -> None:
    groups_split(meeting=session.meeting, actor=teacher_leader)

    present = set(
        Attendance.objects.filter(
            meeting=session.meeting, status=AttendanceStatus.PRESENT
        ).values_list("member_id", flat=True)
    )
    seats = list(
        SmallGroupMember.objects.filter(meeting=session.meeting).values_list("member_id", flat=True)
    )
    assert sorted(seats) == sorted(present)


def test_members_recorded_absent_sit_in_no_group(session, teacher_leader) -> None:
    Attendance.objects.filter(meeting=session.meeting, member=session.members[0]).update(
        status=AttendanceStatus.ABSENT
    )

    groups_split(meeting=session.meeting, actor=teacher_leader)

    assert session.members[0].pk not in _seats(session.meeting)


def test_before_attendance_every_group_member_but_approved_absences_is_present(
    plain_meeting, participant, teacher_leader, session_members
) -> None:
    members, _second_dev = session_members
    AbsenceRequest.objects.create(
        meeting=plain_meeting, member=members[0], reason="x", status=AbsenceStatus.APPROVED
    )
    AbsenceRequest.objects.create(meeting=plain_meeting, member=members[1], reason="x")
    AbsenceRequest.objects.create(
        meeting=plain_meeting, member=members[2], reason="x", status=AbsenceStatus.DECLINED
    )

    present = {m.user_id for m in present_members(plain_meeting)}

    assert members[0].pk not in present
    assert {participant.pk, members[1].pk, members[2].pk} <= present


def test_external_expert_never_sits_in_a_group(plain_meeting, teacher_leader, expert) -> None:
    groups_split(meeting=plain_meeting, actor=teacher_leader)

    assert expert.pk not in _seats(plain_meeting)


def test_external_expert_recorded_present_still_sits_in_no_group(
    session, teacher_leader, expert
) -> None:
    Attendance.objects.create(
        meeting=session.meeting, member=expert, status=AttendanceStatus.PRESENT
    )

    groups_split(meeting=session.meeting, actor=teacher_leader)

    assert expert.pk not in _seats(session.meeting)


# Leaders ------------------------------------------------------------------------------------


def test_development_team_members_lead_and_teacher_leaders_facilitate(
    session, teacher_leader, development_team
) -> None:
    Attendance.objects.create(
        meeting=session.meeting, member=teacher_leader, status=AttendanceStatus.PRESENT
    )

    groups_split(meeting=session.meeting, actor=teacher_leader)

    leaders = set(
        SmallGroup.objects.filter(meeting=session.meeting).values_list("leader_id", flat=True)
    )
    assert leaders == {development_team.pk, session.second_dev.pk}
    assert teacher_leader.pk not in _seats(session.meeting)


def test_teacher_leader_joins_as_leader_when_the_development_team_is_too_small(
    session, teacher_leader, development_team
) -> None:
    Attendance.objects.filter(meeting=session.meeting, member=session.second_dev).update(
        status=AttendanceStatus.ABSENT
    )
    Attendance.objects.create(
        meeting=session.meeting, member=teacher_leader, status=AttendanceStatus.PRESENT
    )

    groups_split(meeting=session.meeting, actor=teacher_leader)

    leaders = set(
        SmallGroup.objects.filter(meeting=session.meeting).values_list("leader_id", flat=True)
    )
    assert leaders == {development_team.pk, teacher_leader.pk}


# Presenters ---------------------------------------------------------------------------------


def test_presenters_without_a_case_this_year_go_first(
    session, meetings, teacher_leader, participant
) -> None:
    # The participant presented at meeting 1 already; members[3] and [2] have not.
    earlier = make_case(meetings[0], participant, "Earlier case")
    first = SmallGroup.objects.create(meeting=meetings[0], number=1, case=earlier)
    seat(first, participant)
    third = make_case(session.meeting, session.members[3], "A third case")

    groups_split(meeting=session.meeting, actor=teacher_leader)

    discussed = set(
        SmallGroup.objects.filter(meeting=session.meeting).values_list("case_id", flat=True)
    )
    assert discussed == {session.other_case.pk, third.pk}


def test_every_group_gets_a_submitted_case_and_never_a_draft(session, teacher_leader) -> None:
    groups_split(meeting=session.meeting, actor=teacher_leader)

    cases = set(
        SmallGroup.objects.filter(meeting=session.meeting).values_list("case_id", flat=True)
    )
    assert cases == {session.case.pk, session.other_case.pk}


def test_nobody_presents_and_leads_the_same_group(session, teacher_leader) -> None:
    groups_split(meeting=session.meeting, actor=teacher_leader)

    for group in SmallGroup.objects.filter(meeting=session.meeting).select_related("case"):
        assert group.leader_id != group.case.presenter_id


# Deterministic, replacing, the quality figures ------------------------------------------------


def test_split_is_the_same_for_the_same_input(session, teacher_leader) -> None:
    groups_split(meeting=session.meeting, actor=teacher_leader)
    first = _composition(session.meeting)

    groups_split(meeting=session.meeting, actor=teacher_leader)

    assert _composition(session.meeting) == first


def test_split_replaces_the_earlier_groups(session, teacher_leader) -> None:
    old = [group.pk for group in session.groups]

    groups_split(meeting=session.meeting, actor=teacher_leader)

    assert not SmallGroup.objects.filter(pk__in=old).exists()
    assert SmallGroup.objects.filter(meeting=session.meeting).count() == 2
    assert GroupSplit.objects.filter(meeting=session.meeting).count() == 1


def test_split_records_sizes_quality_and_who_made_it(session, meetings, teacher_leader) -> None:
    # Everyone of meeting 2 sat together at meeting 1: a random split repeats pairs.
    earlier = SmallGroup.objects.create(meeting=meetings[0], number=1)
    seat(
        earlier, *[seat.member for seat in SmallGroupMember.objects.filter(meeting=session.meeting)]
    )

    split = groups_split(meeting=session.meeting, actor=teacher_leader, min_size=2, max_size=4)

    assert (split.min_size, split.max_size, split.made_by) == (2, 4, teacher_leader)
    history = pair_counts([[group] for group in earlier_groups(session.meeting)])
    assert split.repeated_pairs == count_repeats(_composition(session.meeting), history)
    assert split.random_repeated_pairs > 0


def test_split_is_refused_when_notes_exist_and_nothing_is_lost(session, teacher_leader) -> None:
    note = PhaseNote.objects.create(
        meeting=session.meeting, group=session.groups[0], field=NoteField.ASPECT, text="kept"
    )
    before = _composition(session.meeting)

    with pytest.raises(ValidationError) as error:
        groups_split(meeting=session.meeting, actor=teacher_leader)

    assert "Notes have already been taken" in _message(error)
    assert PhaseNote.objects.get(pk=note.pk).text == "kept"
    assert _composition(session.meeting) == before


def test_split_over_a_year_repeats_fewer_pairs_than_a_random_split(
    world, meetings, teacher_leader
) -> None:
    """Fifteen people, five meetings: the saved figures compare the split with chance.

    Three groups of about five hold 26 pairs of the 91 possible, so from the fourth meeting
    on repeats cannot be avoided: "half of random" (the pure benchmark with smaller groups)
    is out of reach here, "clearly below random" is not.
    """
    for index in range(14):
        user = UserFactory(email=f"year{index}@lyceum.example", name=f"Year {index:02d}")
        MembershipFactory(
            community=world.community,
            user=user,
            is_participant=True,
            is_development_team=index < 3,
        )
    repeated = random = 0.0
    for meeting in meetings[:5]:
        split = groups_split(meeting=meeting, actor=teacher_leader)
        repeated += split.repeated_pairs
        random += split.random_repeated_pairs

    assert random > 0
    assert repeated < random


# Bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sizes", "field", "words"),
    [
        ({"min_size": 4, "max_size": 3}, "max_size", "cannot be smaller than the smallest"),
        ({"min_size": 1}, "min_size", "at least 2 people"),
        ({"max_size": 1, "min_size": 1}, "max_size", "at least 2 people"),
        ({"group_count": 0}, "group_count", "at least one group"),
        ({"group_count": 5}, "group_count", "Choose from 2 to 2 groups"),
        ({"min_size": 9, "max_size": 10}, "min_size", "Only 8 members are present"),
    ],
)
def test_impossible_splits_are_refused_with_a_clear_message(
    session, teacher_leader, sizes, field, words
) -> None:
    before = _composition(session.meeting)

    with pytest.raises(ValidationError) as error:
        groups_split(meeting=session.meeting, actor=teacher_leader, **sizes)

    assert words in " ".join(error.value.message_dict[field])
    assert _composition(session.meeting) == before


@pytest.mark.parametrize("persona", ["participant", "development_team", "school_admin"])
def test_only_teacher_leaders_split(session, persona_user, persona) -> None:
    with pytest.raises(ValidationError) as error:
        groups_split(meeting=session.meeting, actor=persona_user(persona))

    assert "teacher leaders" in _message(error)


# Hand moves ---------------------------------------------------------------------------------


@pytest.fixture
def sat_together_before(session, meetings, participant):
    """At meeting 1 the participant sat with members[2] (now in group 2)."""
    earlier = SmallGroup.objects.create(meeting=meetings[0], number=1)
    seat(earlier, participant, session.members[2])
    return session


def test_moving_a_member_recounts_the_repeated_pairs(
    sat_together_before, teacher_leader, participant
) -> None:
    session = sat_together_before
    group_member_move(
        meeting=session.meeting, actor=teacher_leader, member=session.members[0],
        to_group=session.groups[1],
    )  # fmt: skip
    assert GroupSplit.objects.get(meeting=session.meeting).repeated_pairs == 0

    group_member_move(
        meeting=session.meeting, actor=teacher_leader, member=participant,
        to_group=session.groups[1],
    )  # fmt: skip

    split = GroupSplit.objects.get(meeting=session.meeting)
    assert split.repeated_pairs == 1
    assert split.random_repeated_pairs > 0


def test_moving_the_presenter_out_takes_the_case_along_to_a_group_without_one(
    session, teacher_leader, participant
) -> None:
    group_update(
        group=session.groups[1], actor=teacher_leader, leader=session.second_dev, case=None
    )

    group_member_move(
        meeting=session.meeting, actor=teacher_leader, member=participant,
        to_group=session.groups[1],
    )  # fmt: skip

    assert _group(session.meeting, 2).case == session.case
    assert _group(session.meeting, 1).case is None


def test_moving_the_presenter_into_a_group_with_a_case_leaves_their_case_out(
    session, teacher_leader, participant
) -> None:
    group_member_move(
        meeting=session.meeting, actor=teacher_leader, member=participant,
        to_group=session.groups[1],
    )  # fmt: skip

    assert _group(session.meeting, 2).case == session.other_case
    assert _group(session.meeting, 1).case is None


def test_group_that_loses_its_presenter_takes_a_waiting_case_of_its_members(
    session, teacher_leader, participant
) -> None:
    waiting = make_case(session.meeting, session.members[0], "Waiting case")

    group_member_move(
        meeting=session.meeting, actor=teacher_leader, member=participant,
        to_group=session.groups[1],
    )  # fmt: skip

    assert _group(session.meeting, 1).case == waiting


def test_moving_the_leaders_out_re_chooses_a_development_team_member(
    session, teacher_leader, development_team
) -> None:
    group_member_move(
        meeting=session.meeting, actor=teacher_leader, member=development_team,
        to_group=session.groups[1],
    )  # fmt: skip
    assert _group(session.meeting, 1).leader is None  # nobody left who may lead
    assert _group(session.meeting, 2).leader == session.second_dev  # kept

    group_member_move(
        meeting=session.meeting, actor=teacher_leader, member=session.second_dev,
        to_group=session.groups[0],
    )  # fmt: skip

    assert _group(session.meeting, 1).leader == session.second_dev
    assert _group(session.meeting, 2).leader == development_team


def test_moving_to_a_new_group_opens_it_with_the_next_number(session, teacher_leader) -> None:
    group = group_member_move(
        meeting=session.meeting, actor=teacher_leader, member=session.members[0], to_group=None
    )

    assert group.number == 3
    assert _seats(session.meeting)[session.members[0].pk] == 3


def test_group_left_empty_disappears_and_later_groups_close_the_gap(
    session, teacher_leader
) -> None:
    first, second = session.members[0], session.members[1]
    group_member_move(meeting=session.meeting, actor=teacher_leader, member=first, to_group=None)
    group_member_move(meeting=session.meeting, actor=teacher_leader, member=second, to_group=None)

    group_member_move(
        meeting=session.meeting, actor=teacher_leader, member=first, to_group=session.groups[0]
    )

    numbers = list(
        SmallGroup.objects.filter(meeting=session.meeting).values_list("number", flat=True)
    )
    assert numbers == [1, 2, 3]
    assert _seats(session.meeting)[second.pk] == 3


def test_presenter_of_a_group_with_notes_is_not_moved(session, teacher_leader, participant) -> None:
    PhaseNote.objects.create(
        meeting=session.meeting, group=session.groups[0], field=NoteField.ASPECT, text="kept"
    )

    with pytest.raises(ValidationError) as error:
        group_member_move(
            meeting=session.meeting, actor=teacher_leader, member=participant,
            to_group=session.groups[1],
        )  # fmt: skip

    assert "already taken notes" in _message(error)
    assert _seats(session.meeting)[participant.pk] == 1


@pytest.mark.parametrize("who", ["drafter", "teacher_leader"])
def test_moving_someone_without_a_seat_is_refused(session, teacher_leader, persona_user, who):
    member = session.drafter if who == "drafter" else teacher_leader

    with pytest.raises(ValidationError) as error:
        group_member_move(
            meeting=session.meeting, actor=teacher_leader, member=member,
            to_group=session.groups[0],
        )  # fmt: skip

    assert "sits in no small group" in _message(error)


def test_moving_to_the_own_group_is_refused(session, teacher_leader, participant) -> None:
    with pytest.raises(ValidationError) as error:
        group_member_move(
            meeting=session.meeting, actor=teacher_leader, member=participant,
            to_group=session.groups[0],
        )  # fmt: skip

    assert "already sits in group 1" in _message(error)


def test_moving_to_a_group_of_another_meeting_is_refused(
    session, meetings, teacher_leader, participant
) -> None:
    elsewhere = SmallGroup.objects.create(meeting=meetings[0], number=1)

    with pytest.raises(ValidationError):
        group_member_move(
            meeting=session.meeting, actor=teacher_leader, member=participant, to_group=elsewhere
        )

    assert _seats(session.meeting)[participant.pk] == 1


def test_only_teacher_leaders_move_members(session, development_team, participant) -> None:
    with pytest.raises(ValidationError):
        group_member_move(
            meeting=session.meeting, actor=development_team, member=participant,
            to_group=session.groups[1],
        )  # fmt: skip

    assert _seats(session.meeting)[participant.pk] == 1


# A group's leader and case by hand -------------------------------------------------------------


def test_teacher_leader_sets_a_groups_leader_and_case(session, teacher_leader) -> None:
    own = make_case(session.meeting, session.members[0], "Own choice")

    group_update(group=session.groups[0], actor=teacher_leader, leader=session.members[1], case=own)

    group = _group(session.meeting, 1)
    assert (group.leader, group.case) == (session.members[1], own)


@pytest.mark.parametrize(
    ("leader", "case", "field", "words"),
    [
        ("second_dev", None, "leader", "does not sit in group 1"),
        (None, "other_case", "case", "does not sit in group 1"),
        (None, "draft", "case", "submitted to this meeting"),
        ("participant", "case", "leader", "does not lead their own group"),
    ],
)
def test_group_update_refuses_what_does_not_fit_the_group(
    session, teacher_leader, participant, leader, case, field, words
) -> None:
    people = {"second_dev": session.second_dev, "participant": participant, None: None}
    cases = {
        "other_case": session.other_case, "draft": session.draft, "case": session.case, None: None
    }  # fmt: skip

    with pytest.raises(ValidationError) as error:
        group_update(
            group=session.groups[0], actor=teacher_leader, leader=people[leader], case=cases[case]
        )

    assert words in " ".join(error.value.message_dict[field])
    group = _group(session.meeting, 1)
    assert group.case == session.case


def test_case_of_a_group_with_notes_stays(session, teacher_leader) -> None:
    PhaseNote.objects.create(
        meeting=session.meeting, group=session.groups[0], field=NoteField.ASPECT, text="kept"
    )

    with pytest.raises(ValidationError):
        group_update(group=session.groups[0], actor=teacher_leader, leader=None, case=None)

    assert _group(session.meeting, 1).case == session.case


def test_the_only_member_moved_to_a_new_group_keeps_the_numbers_closed(
    session, teacher_leader
) -> None:
    first = session.members[0]
    group_member_move(meeting=session.meeting, actor=teacher_leader, member=first, to_group=None)

    group = group_member_move(
        meeting=session.meeting, actor=teacher_leader, member=first, to_group=None
    )

    assert group.number == 3
    numbers = list(
        SmallGroup.objects.filter(meeting=session.meeting).values_list("number", flat=True)
    )
    assert numbers == [1, 2, 3]
