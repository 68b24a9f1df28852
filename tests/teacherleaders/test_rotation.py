"""Note-taking in turn: fair over a year, absentees skipped without losing their place."""

from __future__ import annotations

import random
from collections import Counter

from teacherleaders.rotation import propose

SEEDS = range(400)


def random_year(seed: int, *, with_absences: bool = True, with_history: bool = True):
    """Members, meetings, absences and fixed writers of one made-up teacher-leader year."""
    rng = random.Random(seed)
    members = [f"leader-{n}" for n in range(rng.randint(1, 12))]
    meetings = list(range(100, 100 + rng.randint(1, 14)))
    absent: dict[int, set[str]] = {}
    if with_absences:
        chance = rng.choice([0.0, 0.1, 0.3, 0.6])
        for meeting in meetings:
            away = {person for person in members if rng.random() < chance}
            if away:
                absent[meeting] = away
    history: dict[int, str] = {}
    if with_history:
        for meeting in rng.sample(meetings, rng.randint(0, len(meetings) // 2)):
            # Now and then the fixed writer has since left the group.
            history[meeting] = rng.choice([*members, "left-the-group"])
    return members, meetings, absent, history


def test_a_fixed_writer_stays():
    for seed in SEEDS:
        members, meetings, absent, history = random_year(seed)
        proposal = propose(members, meetings, absent, history)
        assert list(proposal) == meetings
        for meeting, writer in history.items():
            assert proposal[meeting] == writer


def test_an_absentee_is_never_proposed_and_nobody_only_when_all_are_away():
    for seed in SEEDS:
        members, meetings, absent, history = random_year(seed)
        proposal = propose(members, meetings, absent, history)
        for meeting in meetings:
            if meeting in history:
                continue
            present = [person for person in members if person not in absent.get(meeting, ())]
            if present:
                assert proposal[meeting] in present
            else:
                assert proposal[meeting] is None


def test_the_proposed_writer_has_the_fewest_turns_of_everyone_present():
    for seed in SEEDS:
        members, meetings, absent, history = random_year(seed)
        proposal = propose(members, meetings, absent, history)
        # Fixed turns count for the whole year, wherever they fall.
        turns = Counter(writer for writer in history.values() if writer in members)
        for meeting in meetings:
            if meeting in history:
                continue
            writer = proposal[meeting]
            present = [person for person in members if person not in absent.get(meeting, ())]
            if writer is None:
                continue
            assert turns[writer] == min(turns[person] for person in present), (seed, meeting)
            turns[writer] += 1


def test_nobody_writes_twice_before_everyone_wrote_once_when_all_are_present():
    for seed in SEEDS:
        members, meetings, _absent, _history = random_year(
            seed, with_absences=False, with_history=False
        )
        proposal = propose(members, meetings, {}, {})
        writers = [proposal[meeting] for meeting in meetings]
        for start in range(0, len(writers), len(members)):
            round_ = writers[start : start + len(members)]
            assert len(set(round_)) == len(round_), seed
        counts = Counter(writers)
        assert max(counts.values()) - min(counts.get(person, 0) for person in members) <= 1


def test_an_absentee_with_the_fewest_turns_writes_at_the_next_meeting_they_attend():
    for seed in SEEDS:
        members, meetings, absent, _history = random_year(seed, with_history=False)
        proposal = propose(members, meetings, absent, {})
        turns: Counter[str] = Counter()
        for meeting in meetings:
            present = [person for person in members if person not in absent.get(meeting, ())]
            fewest = [
                person
                for person in present
                if all(turns[person] < turns[other] for other in present if other != person)
            ]
            if fewest:
                assert proposal[meeting] == fewest[0], seed
            if proposal[meeting] is not None:
                turns[proposal[meeting]] += 1


def test_the_same_year_always_gives_the_same_proposal():
    for seed in SEEDS:
        members, meetings, absent, history = random_year(seed)
        first = propose(members, meetings, absent, history)
        reordered_absent = {m: sorted(away, reverse=True) for m, away in reversed(absent.items())}
        reordered_history = dict(reversed(history.items()))
        assert propose(list(members), list(meetings), reordered_absent, reordered_history) == first


def test_an_absent_leader_keeps_their_place_in_line():
    proposal = propose(["Ann", "Bob", "Cas"], [1, 2, 3, 4], {1: {"Ann"}}, {})
    assert proposal == {1: "Bob", 2: "Ann", 3: "Cas", 4: "Bob"}


def test_a_swap_later_in_the_year_counts_as_that_persons_turn_now():
    proposal = propose(["Ann", "Bob", "Cas"], [1, 2, 3], {}, {3: "Ann"})
    assert proposal == {1: "Bob", 2: "Cas", 3: "Ann"}


def test_after_a_full_round_the_longest_ago_writes_first():
    proposal = propose(["Ann", "Bob", "Cas"], [1, 2, 3, 4, 5], {}, {1: "Cas"})
    assert proposal == {1: "Cas", 2: "Ann", 3: "Bob", 4: "Cas", 5: "Ann"}


def test_no_members_proposes_nobody():
    assert propose([], [1, 2], {}, {}) == {1: None, 2: None}


def test_a_meeting_fixed_as_nobody_uses_up_no_turn():
    proposal = propose(["Ann", "Bob", "Cas"], [1, 2, 3, 4], {}, {1: None, 2: None})
    assert proposal == {1: None, 2: None, 3: "Ann", 4: "Bob"}
