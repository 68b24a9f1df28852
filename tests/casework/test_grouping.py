"""The small-group split for phases 1-5: pure functions, no database."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from casework.grouping import (
    Split,
    allowed_group_counts,
    count_repeats,
    expected_random_repeats,
    move_member,
    pair_counts,
    random_groups,
    random_split_repeats,
    repeat_weight,
    split_into_groups,
)

FIFTEEN = list(range(1, 16))
DEVELOPMENT_TEAM = {1, 2, 3, 4}
TEACHER_LEADERS = {5, 6}
ALWAYS_FITTING_BOUNDS = [(2, 3), (3, 5), (3, 6), (4, 7)]


def _placed(split: Split) -> list[int]:
    return sorted(m for group in split.groups for m in group.members)


def _group_of(split: Split, member: int) -> int:
    return next(i for i, g in enumerate(split.groups) if member in g.members)


def _year_of_splits(meetings: int = 6) -> list[Split]:
    history: list[list[tuple[int, ...]]] = []
    splits = []
    for meeting in range(meetings):
        split = split_into_groups(
            members=FIFTEEN,
            history=history,
            leaders_ok=DEVELOPMENT_TEAM,
            fallback_leaders=TEACHER_LEADERS,
            seed=meeting,
        )
        splits.append(split)
        history.append([group.members for group in split.groups])
    return splits


def _random_year_repeats(sizes: tuple[int, ...], seed: int, meetings: int = 6) -> int:
    history: list[list[tuple[int, ...]]] = []
    total = 0
    for meeting in range(meetings):
        groups = random_groups(members=FIFTEEN, sizes=sizes, seed=seed * meetings + meeting)
        total += count_repeats(groups, pair_counts(history))
        history.append(groups)
    return total


# Sizes


@pytest.mark.parametrize("min_size,max_size", ALWAYS_FITTING_BOUNDS)
@pytest.mark.parametrize("member_count", range(4, 16))
def test_group_sizes_are_balanced_and_within_bounds(member_count, min_size, max_size):
    split = split_into_groups(
        members=range(member_count), min_size=min_size, max_size=max_size, seed=member_count
    )

    if member_count < min_size:
        assert split.sizes == (member_count,)
    else:
        assert all(min_size <= size <= max_size for size in split.sizes)
        assert max(split.sizes) - min(split.sizes) <= 1


@pytest.mark.parametrize("member_count", range(1, 16))
def test_every_member_is_placed_exactly_once(member_count):
    members = list(range(100, 100 + member_count))
    history = [[members[i::3] for i in range(3)]]

    split = split_into_groups(
        members=members,
        history=history,
        leaders_ok=members[:2],
        fallback_leaders=members[2:3],
        presenters_waiting=members[::2],
        seed=7,
    )

    assert _placed(split) == members


@pytest.mark.parametrize("seed", range(40))
def test_random_inputs_keep_every_rule(seed):
    rng = random.Random(seed)
    members = rng.sample(range(1, 60), rng.randint(1, 24))
    min_size = rng.randint(2, 4)
    max_size = min_size + rng.randint(1, 3)
    leaders = set(rng.sample(members, min(rng.randint(0, 5), len(members))))
    fallback = set(rng.sample(members, min(2, len(members))))
    waiting = set(rng.sample(members, rng.randint(0, len(members))))
    history = [[rng.sample(members, min(3, len(members)))] for _ in range(4)]

    split = split_into_groups(
        members=members,
        history=history,
        leaders_ok=leaders,
        fallback_leaders=fallback,
        presenters_waiting=waiting,
        min_size=min_size,
        max_size=max_size,
        seed=seed,
    )

    assert _placed(split) == sorted(members)
    assert max(split.sizes) - min(split.sizes) <= 1
    can_lead = leaders | fallback
    assert len(split.leaderless_groups) == max(0, len(split.groups) - len(can_lead))
    for group in split.groups:
        assert group.leader is None or group.leader in can_lead & set(group.members)
        assert group.presenter is None or group.presenter in waiting & set(group.members)
        assert group.leader is None or group.leader != group.presenter


@pytest.mark.parametrize("member_count", [1, 2])
def test_fewer_members_than_the_minimum_form_one_group(member_count):
    split = split_into_groups(members=range(member_count), min_size=3, max_size=5)

    assert split.sizes == (member_count,)


def test_three_members_form_one_group():
    split = split_into_groups(members=[7, 8, 9], leaders_ok={8})

    assert [g.members for g in split.groups] == [(7, 8, 9)]
    assert split.groups[0].leader == 8


def test_nobody_present_gives_no_groups():
    split = split_into_groups(members=[])

    assert split.groups == ()
    assert split.repeated_pairs == 0


def test_group_count_follows_who_can_lead_within_the_size_bounds():
    two_leaders = split_into_groups(members=FIFTEEN, leaders_ok={1, 2})
    four_leaders = split_into_groups(members=FIFTEEN, leaders_ok={1, 2}, fallback_leaders={3, 4})
    nine_leaders = split_into_groups(members=FIFTEEN, leaders_ok=range(1, 10))

    assert sorted(two_leaders.sizes) == [5, 5, 5]  # fewest groups the bounds allow
    assert sorted(four_leaders.sizes) == [3, 4, 4, 4]
    assert sorted(nine_leaders.sizes) == [3, 3, 3, 3, 3]  # most groups the bounds allow


def test_explicit_group_count_is_used():
    split = split_into_groups(members=FIFTEEN, group_count=3)

    assert split.sizes == (5, 5, 5)


def test_explicit_group_count_outside_the_bounds_is_refused():
    with pytest.raises(ValueError, match="do not fit"):
        split_into_groups(members=FIFTEEN, group_count=2)


def test_bounds_no_split_can_meet_keep_the_maximum_and_report_the_small_groups():
    assert allowed_group_counts(7, min_size=4, max_size=5) == range(2, 3)

    split = split_into_groups(members=range(7), min_size=4, max_size=5)

    assert sorted(split.sizes) == [3, 4]
    assert [split.sizes[i] for i in split.groups_outside_bounds] == [3]


def test_duplicate_members_are_refused():
    with pytest.raises(ValueError, match="more than once"):
        split_into_groups(members=[1, 2, 2, 3])


def test_invalid_size_bounds_are_refused():
    with pytest.raises(ValueError, match="bounds"):
        split_into_groups(members=FIFTEEN, min_size=5, max_size=3)


# Leaders


def test_each_group_is_led_by_a_development_team_member_when_there_are_enough():
    split = split_into_groups(
        members=FIFTEEN, leaders_ok={1, 2, 3, 4, 5}, fallback_leaders={14, 15}, seed=3
    )

    assert len(split.groups) == 5
    assert sorted(g.leader for g in split.groups) == [1, 2, 3, 4, 5]


def test_teacher_leaders_lead_only_the_groups_the_development_team_cannot_cover():
    split = split_into_groups(
        members=FIFTEEN, leaders_ok={1, 2, 3}, fallback_leaders={14, 15}, seed=3
    )

    leaders = [g.leader for g in split.groups]
    assert len(split.groups) == 5
    assert sorted(leaders) == [1, 2, 3, 14, 15]


def test_development_team_members_lead_before_teacher_leaders_when_groups_are_few():
    split = split_into_groups(
        members=FIFTEEN, leaders_ok={1, 2, 3}, fallback_leaders={14, 15}, group_count=3
    )

    assert sorted(g.leader for g in split.groups) == [1, 2, 3]


def test_a_group_nobody_can_lead_is_reported():
    split = split_into_groups(members=FIFTEEN, leaders_ok={1}, group_count=3)

    assert len(split.leaderless_groups) == 2
    assert all(split.groups[i].leader is None for i in split.leaderless_groups)


def test_nobody_able_to_lead_gives_the_fewest_groups_without_leaders():
    split = split_into_groups(members=FIFTEEN)

    assert split.sizes == (5, 5, 5)
    assert split.leaderless_groups == (0, 1, 2)


def test_everyone_in_the_development_team_still_gives_one_leader_per_group():
    split = split_into_groups(members=FIFTEEN, leaders_ok=FIFTEEN)

    assert len(split.groups) == 5
    assert all(g.leader in g.members for g in split.groups)
    assert split.leaderless_groups == ()


def test_leaders_who_are_not_present_are_ignored():
    split = split_into_groups(members=[1, 2, 3, 4, 5], leaders_ok={1, 99})

    assert len(split.groups) == 1
    assert split.groups[0].leader == 1


# Presenters


def test_waiting_presenters_are_spread_one_per_group():
    split = split_into_groups(
        members=FIFTEEN,
        leaders_ok=DEVELOPMENT_TEAM,
        fallback_leaders=TEACHER_LEADERS,
        presenters_waiting={10, 11, 12, 13, 14},
        seed=5,
    )

    assert sorted(g.presenter for g in split.groups) == [10, 11, 12, 13, 14]


def test_waiting_presenters_go_before_those_who_presented_this_year():
    split = split_into_groups(
        members=FIFTEEN,
        leaders_ok={1, 2, 3},
        presenters_waiting={10, 11},
        presenters_again={12, 13, 14},
        seed=2,
    )

    presenters = sorted(g.presenter for g in split.groups)
    assert len(split.groups) == 3
    assert presenters[:2] == [10, 11]
    assert presenters[2] in {12, 13, 14}


def test_more_waiting_presenters_than_groups_give_each_group_one_and_list_the_rest():
    split = split_into_groups(
        members=FIFTEEN, leaders_ok={1, 2, 3}, presenters_waiting=range(7, 16), seed=4
    )

    presenters = [g.presenter for g in split.groups]
    assert len(split.groups) == 3
    assert all(p in g.members for p, g in zip(presenters, split.groups, strict=True))
    assert sorted([*presenters, *split.waiting_presenters_left_out]) == list(range(7, 16))


def test_a_group_without_a_submitted_case_has_no_presenter():
    split = split_into_groups(members=FIFTEEN, leaders_ok={1, 2, 3}, presenters_waiting={10})

    assert sorted(g.presenter for g in split.groups if g.presenter) == [10]
    assert sum(g.presenter is None for g in split.groups) == 2


def test_a_leader_with_a_case_presents_while_someone_else_leads():
    split = split_into_groups(
        members=[1, 2, 3, 4], leaders_ok={1}, fallback_leaders={2}, presenters_waiting={1}
    )

    group = split.groups[0]
    assert (group.leader, group.presenter) == (2, 1)


def test_nobody_both_leads_and_presents():
    split = split_into_groups(members=[1, 2, 3], leaders_ok={1}, presenters_waiting={1})

    group = split.groups[0]
    assert (group.leader, group.presenter) == (1, None)


# Determinism


def test_the_same_input_gives_the_same_split():
    history = [[g.members for g in s.groups] for s in _year_of_splits(meetings=3)]
    arguments = dict(
        members=FIFTEEN,
        history=history,
        leaders_ok=DEVELOPMENT_TEAM,
        fallback_leaders=TEACHER_LEADERS,
        presenters_waiting={8, 9, 10},
        seed=11,
    )

    assert split_into_groups(**arguments) == split_into_groups(**arguments)


def test_the_order_of_the_input_does_not_change_the_split():
    history = [[g.members for g in s.groups] for s in _year_of_splits(meetings=3)]
    shuffled_members = list(FIFTEEN)
    random.Random(1).shuffle(shuffled_members)
    shuffled_history = [
        [tuple(reversed(group)) for group in reversed(meeting)] for meeting in reversed(history)
    ]
    common = dict(presenters_waiting={8, 9, 10}, seed=11)

    in_order = split_into_groups(
        members=FIFTEEN,
        history=history,
        leaders_ok=[1, 2, 3, 4],
        fallback_leaders=[5, 6],
        **common,
    )
    reordered = split_into_groups(
        members=shuffled_members,
        history=shuffled_history,
        leaders_ok=[4, 3, 2, 1],
        fallback_leaders=[6, 5],
        **common,
    )

    assert reordered == in_order


def test_history_as_pair_counts_gives_the_same_split_as_the_meetings():
    history = [[g.members for g in s.groups] for s in _year_of_splits(meetings=3)]

    from_meetings = split_into_groups(members=FIFTEEN, history=history, seed=2)
    from_counts = split_into_groups(members=FIFTEEN, history=pair_counts(history), seed=2)

    assert from_counts == from_meetings


def test_another_seed_can_give_another_split():
    splits = {split_into_groups(members=FIFTEEN, seed=seed).groups for seed in range(5)}

    assert len(splits) > 1


# Repeated pairs


def test_a_split_without_history_has_no_repeats():
    split = split_into_groups(members=FIFTEEN, leaders_ok=DEVELOPMENT_TEAM)

    assert (split.repeated_pairs, split.repeat_weight) == (0, 0)


def test_people_who_sat_together_are_kept_apart_when_possible():
    history = [[(1, 2, 3), (4, 5, 6), (7, 8, 9)]]

    split = split_into_groups(members=range(1, 10), history=history, min_size=3, max_size=3)

    assert split.repeated_pairs == 0
    assert all(len({(m - 1) // 3 for m in g.members}) == 3 for g in split.groups)


def test_pairs_that_sat_together_more_often_are_split_first():
    # 1-2 sat together twice, 3-4 once: with 4 people in 2 groups one pair must repeat.
    history = [[(1, 2), (3, 4)], [(1, 2), (3, 5)], [(1, 3), (2, 4)], [(1, 4), (2, 3)]]

    split = split_into_groups(members=[1, 2, 3, 4], history=history, min_size=2, max_size=2)

    assert {frozenset({1, 2})}.isdisjoint({frozenset(g.members) for g in split.groups})


def test_a_simulated_year_has_at_most_half_the_repeats_of_random_splits():
    splits = _year_of_splits()
    ours = sum(split.repeated_pairs for split in splits)
    sizes = splits[0].sizes
    random_mean = sum(_random_year_repeats(sizes, seed) for seed in range(100)) / 100

    assert sizes == (3, 3, 3, 3, 3)
    assert random_mean > 20  # the comparison only means something when random repeats
    assert ours <= random_mean / 2


def test_a_simulated_year_of_large_groups_stays_near_the_unavoidable_repeats():
    # Three groups of five make 30 pairs a meeting; over six meetings 180 pair slots
    # for 105 possible pairs, so at least 75 repeats. Random splits average about 89.
    history: list[list[tuple[int, ...]]] = []
    ours = 0
    for meeting in range(6):
        split = split_into_groups(members=FIFTEEN, history=history, group_count=3, seed=meeting)
        ours += split.repeated_pairs
        history.append([g.members for g in split.groups])
    random_mean = sum(_random_year_repeats((5, 5, 5), seed) for seed in range(100)) / 100

    assert ours <= 80
    assert random_mean - ours >= 5


def test_pair_counts_counts_each_pair_once_per_meeting():
    history = [[(1, 2, 3), (4, 5)], [(1, 2), (3, 4, 5)], [(1, 2, 2), (1, 3)]]

    counts = pair_counts(history)

    assert counts[frozenset({1, 2})] == 3
    assert counts[frozenset({4, 5})] == 2
    assert counts[frozenset({1, 4})] == 0


def test_pair_counts_accepts_existing_counts_and_drops_non_pairs():
    counts = pair_counts({frozenset({1, 2}): 2, frozenset({3, 4}): 0, frozenset({5}): 1})

    assert counts == Counter({frozenset({1, 2}): 2})


def test_repeated_pairs_count_each_pair_once_and_repeat_weight_counts_every_time():
    counts = pair_counts([[(1, 2, 3)], [(1, 2)]])
    groups = [(1, 2, 3), (4, 5)]

    assert count_repeats(groups, counts) == 3
    assert repeat_weight(groups, counts) == 4


def test_random_split_repeats_are_seeded():
    history = [[(1, 2, 3), (4, 5, 6)]]
    arguments = dict(members=range(1, 7), history=history, sizes=(3, 3))

    assert random_split_repeats(**arguments, seed=3) == random_split_repeats(**arguments, seed=3)


def test_expected_random_repeats_average_random_splits():
    history = [[(1, 2, 3), (4, 5, 6)]]

    mean = expected_random_repeats(members=range(1, 7), history=history, sizes=(3, 3))

    # Each of the 6 old pairs lands in the same group of three with chance 2/5.
    assert mean == pytest.approx(6 * 2 / 5, abs=0.3)


def test_expected_random_repeats_without_history_is_zero():
    assert expected_random_repeats(members=FIFTEEN, history=[], sizes=(5, 5, 5)) == 0


def test_random_groups_with_sizes_that_do_not_add_up_are_refused():
    with pytest.raises(ValueError, match="add up"):
        random_groups(members=FIFTEEN, sizes=(5, 5), seed=0)


# Moving people by hand


def test_moving_a_member_updates_the_repeated_pairs():
    history = [[(1, 2, 3), (4, 5, 6), (7, 8, 9)]]
    split = split_into_groups(members=range(1, 10), history=history, min_size=3, max_size=3)
    target = _group_of(split, 2)  # 1 and 2 sat together before

    moved = move_member(split, 1, target)

    assert (split.repeated_pairs, split.repeat_weight) == (0, 0)
    assert (moved.repeated_pairs, moved.repeat_weight) == (1, 1)


def test_moving_a_member_keeps_everyone_placed_once():
    split = split_into_groups(members=FIFTEEN, leaders_ok=DEVELOPMENT_TEAM, seed=1)
    target = (_group_of(split, 9) + 1) % len(split.groups)

    moved = move_member(split, 9, target)

    assert _placed(moved) == FIFTEEN
    assert 9 in moved.groups[target].members


def test_moving_a_groups_leader_out_gives_that_group_a_new_leader():
    split = split_into_groups(members=range(1, 9), leaders_ok={1, 2, 3}, group_count=2)
    source = _group_of(split, 1)
    stays = next(m for m in split.groups[source].members if m in {2, 3})

    moved = move_member(split, 1, 1 - source)

    assert moved.groups[source].leader == stays


def test_moving_a_leader_in_keeps_the_groups_current_leader():
    split = split_into_groups(members=range(1, 9), leaders_ok={1, 2}, group_count=2)
    source, target = _group_of(split, 1), _group_of(split, 2)

    moved = move_member(split, 1, target)

    assert moved.groups[target].leader == 2
    assert moved.groups[source].leader is None
    assert moved.leaderless_groups == (source,)


def test_moving_to_the_next_index_opens_a_new_group():
    split = split_into_groups(members=range(1, 7), group_count=1, min_size=3, max_size=6)

    moved = move_member(split, 4, 1)

    assert moved.groups[1].members == (4,)
    assert moved.groups_outside_bounds == (1,)


def test_moving_the_last_member_out_removes_the_empty_group():
    split = split_into_groups(members=range(1, 7), group_count=1, min_size=3, max_size=6)
    opened = move_member(split, 4, 1)

    moved = move_member(opened, 4, 0)

    assert moved.sizes == (6,)


def test_moving_a_member_to_their_own_group_changes_nothing():
    split = split_into_groups(members=FIFTEEN, seed=1)

    assert move_member(split, 3, _group_of(split, 3)) is split


def test_moving_someone_who_is_not_in_the_split_is_refused():
    split = split_into_groups(members=FIFTEEN)

    with pytest.raises(ValueError, match="not in this split"):
        move_member(split, 99, 0)


def test_moving_to_a_group_that_does_not_exist_is_refused():
    split = split_into_groups(members=FIFTEEN)

    with pytest.raises(IndexError):
        move_member(split, 1, len(split.groups) + 1)
