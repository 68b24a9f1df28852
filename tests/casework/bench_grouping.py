"""Benchmark the small-group split over simulated school years.

Run with ``.venv/bin/python -m tests.casework.bench_grouping``. Prints, per scenario,
the time one split takes (best of a few runs, worst meeting of the year) and the
repeated pairs over the year against random splits with the same sizes. Not collected
by pytest: speed depends on the machine, so it is measured here, not asserted.
"""

from __future__ import annotations

import math
import random
import statistics
import time
from dataclasses import dataclass

from casework.grouping import count_repeats, pair_counts, random_groups, split_into_groups

MEETINGS = 6
RANDOM_YEARS = 200
TIMING_RUNS = 5


@dataclass(frozen=True)
class Scenario:
    name: str
    members: int
    development_team: int
    teacher_leaders: int
    min_size: int = 3
    max_size: int = 5
    group_count: int | None = None


SCENARIOS = [
    Scenario("15 members, default 3-5", 15, 4, 2),
    Scenario("15 members, 4 groups", 15, 4, 2, group_count=4),
    Scenario("15 members, 3 groups of 5", 15, 4, 2, group_count=3),
    Scenario("30 members, default 3-5", 30, 6, 2),
    Scenario("40 members, 4-6", 40, 6, 2, min_size=4, max_size=6),
]


def simulate(scenario: Scenario) -> tuple[list[float], list[int], tuple[int, ...]]:
    """Run a year: each meeting some members submit a case; return times and repeats."""
    members = list(range(1, scenario.members + 1))
    development_team = set(members[: scenario.development_team])
    teacher_leaders = set(members[scenario.development_team :][: scenario.teacher_leaders])
    rng = random.Random(2024)
    history: list[list[tuple[int, ...]]] = []
    presented: set[int] = set()
    times, repeats = [], []
    sizes: tuple[int, ...] = ()
    for meeting in range(MEETINGS):
        submitted = set(rng.sample(members, k=len(members) // 3))
        arguments = dict(
            members=members,
            history=history,
            leaders_ok=development_team,
            fallback_leaders=teacher_leaders,
            presenters_waiting=submitted - presented,
            presenters_again=submitted & presented,
            min_size=scenario.min_size,
            max_size=scenario.max_size,
            group_count=scenario.group_count,
            seed=meeting,
        )
        best = math.inf
        for _ in range(TIMING_RUNS):
            started = time.perf_counter()
            split = split_into_groups(**arguments)
            best = min(best, time.perf_counter() - started)
        times.append(best)
        repeats.append(split.repeated_pairs)
        presented |= {g.presenter for g in split.groups if g.presenter is not None}
        history.append([g.members for g in split.groups])
        sizes = split.sizes
    return times, repeats, sizes


def random_years(member_count: int, sizes: tuple[int, ...]) -> list[int]:
    """Return the year totals of repeated pairs for seeded random splits."""
    members = range(1, member_count + 1)
    totals = []
    for year in range(RANDOM_YEARS):
        history: list[list[tuple[int, ...]]] = []
        total = 0
        for meeting in range(MEETINGS):
            groups = random_groups(members=members, sizes=sizes, seed=year * MEETINGS + meeting)
            total += count_repeats(groups, pair_counts(history))
            history.append(groups)
        totals.append(total)
    return totals


def unavoidable_repeats(member_count: int, sizes: tuple[int, ...]) -> int:
    """Return the pair slots of a year beyond the number of distinct pairs."""
    slots = MEETINGS * sum(math.comb(size, 2) for size in sizes)
    return max(0, slots - math.comb(member_count, 2))


def main() -> None:
    print(f"{MEETINGS} meetings a year; random = mean of {RANDOM_YEARS} seeded random years")
    header = (
        f"{'scenario':<28}{'sizes':<26}{'ms worst':>9}{'ms mean':>9}"
        f"{'ours':>6}{'random':>8}{'ratio':>7}{'floor':>7}  per meeting"
    )
    print(header)
    print("-" * len(header))
    for scenario in SCENARIOS:
        times, repeats, sizes = simulate(scenario)
        random_mean = statistics.mean(random_years(scenario.members, sizes))
        ours = sum(repeats)
        print(
            f"{scenario.name:<28}{str(sorted(sizes)):<26}"
            f"{max(times) * 1000:>9.1f}{statistics.mean(times) * 1000:>9.1f}"
            f"{ours:>6}{random_mean:>8.1f}{ours / random_mean:>7.2f}"
            f"{unavoidable_repeats(scenario.members, sizes):>7}  {repeats}"
        )


if __name__ == "__main__":
    main()
