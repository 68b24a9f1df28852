"""Split the members present at a meeting into rotating small groups (pure, no database).

For phases 1-5 the members present split into small groups. Each group needs a leader
(a development-team member, or a teacher leader when there are too few) and one work
case, and the composition should differ from earlier meetings. This module only computes;
loading attendance and history and saving the split belong to services.

The cost of a split is lexicographic, most important first:

1. groups without any leader;
2. groups without a case (no presenter);
3. groups whose presenter already presented this year while someone waits;
4. groups led by a teacher leader instead of a development-team member;
5. the repeat weight: for every pair in the same group, how many earlier meetings
   they already sat together.

Sizes are not part of the cost: they are fixed up front (balanced, within bounds) and
every move of the search keeps them. Roles come before repeats because a group without
a leader or a case cannot run phases 1-5 at all; a repeated pair only makes it a little
less rich. A case goes before who leads: a development-team member with a case presents
while a teacher leader leads, rather than the case waiting.
"""

from __future__ import annotations

import itertools
import math
import random
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

PairCounts = Mapping[frozenset[int], int]
# Earlier meetings, each a list of groups, each group the member ids sitting together.
History = Iterable[Iterable[Iterable[int]]]

_DEV, _FALLBACK, _WAITING, _AGAIN = 1, 2, 4, 8
# (leader level, presenter level) in the order of the cost tiers in the module docstring.
_LEVELS_BEST_FIRST = sorted(
    itertools.product(range(3), range(3)),
    key=lambda levels: (levels[0] == 2, levels[1] == 2, levels[1] == 1, levels[0] == 1),
)
_RESTARTS = 4
_KICKS = 12


@dataclass(frozen=True)
class Group:
    members: tuple[int, ...]
    leader: int | None
    presenter: int | None


@dataclass(frozen=True)
class SplitRules:
    """What a split was made from; kept so a hand move can be re-scored without the caller."""

    counts: Mapping[frozenset[int], int]
    leaders_ok: frozenset[int]
    fallback_leaders: frozenset[int]
    presenters_waiting: frozenset[int]
    presenters_again: frozenset[int]
    min_size: int
    max_size: int

    def mask(self, member: int) -> int:
        mask = _DEV if member in self.leaders_ok else 0
        if not mask and member in self.fallback_leaders:
            mask |= _FALLBACK
        if member in self.presenters_waiting:
            mask |= _WAITING
        elif member in self.presenters_again:
            mask |= _AGAIN
        return mask


@dataclass(frozen=True)
class Split:
    """Groups plus their score.

    ``repeated_pairs`` counts each pair in a group that sat together at one or more
    earlier meetings once; ``repeat_weight`` counts it once per earlier meeting.
    """

    groups: tuple[Group, ...]
    repeated_pairs: int
    repeat_weight: int
    rules: SplitRules

    @property
    def sizes(self) -> tuple[int, ...]:
        return tuple(len(group.members) for group in self.groups)

    @property
    def leaderless_groups(self) -> tuple[int, ...]:
        """Return the indices of groups nobody present can lead."""
        return tuple(i for i, group in enumerate(self.groups) if group.leader is None)

    @property
    def waiting_presenters_left_out(self) -> tuple[int, ...]:
        """Return who waits to present but was not chosen (more waiting than groups)."""
        chosen = {group.presenter for group in self.groups}
        return tuple(sorted(self.rules.presenters_waiting - chosen))

    @property
    def groups_outside_bounds(self) -> tuple[int, ...]:
        """Return the indices of groups smaller or larger than the size bounds allow."""
        low, high = self.rules.min_size, self.rules.max_size
        return tuple(i for i, size in enumerate(self.sizes) if not low <= size <= high)


def pair_counts(history: History | PairCounts) -> Counter[frozenset[int]]:
    """Count for every pair how many meetings they sat in the same group."""
    if isinstance(history, Mapping):
        return Counter({pair: n for pair, n in history.items() if len(pair) == 2 and n > 0})
    counts: Counter[frozenset[int]] = Counter()
    for meeting in history:
        pairs: set[frozenset[int]] = set()  # a pair counts once per meeting, even in messy data
        for group in meeting:
            ids = sorted(set(group))
            pairs.update(frozenset(pair) for pair in itertools.combinations(ids, 2))
        counts.update(pairs)
    return counts


def count_repeats(groups: Iterable[Iterable[int]], counts: PairCounts) -> int:
    """Count the pairs placed together that sat together at an earlier meeting."""
    return sum(1 for pair in _pairs(groups) if counts.get(pair, 0) > 0)


def repeat_weight(groups: Iterable[Iterable[int]], counts: PairCounts) -> int:
    """Sum over the pairs placed together how often they sat together before."""
    return sum(counts.get(pair, 0) for pair in _pairs(groups))


def allowed_group_counts(member_count: int, *, min_size: int, max_size: int) -> range:
    """Return the numbers of groups whose balanced sizes fit the bounds.

    Fewer members than ``min_size`` make one group. When no number fits both bounds
    (7 members in groups of 4-5), the largest groups stay within ``max_size`` and the
    smallest fall below ``min_size``.
    """
    if not 1 <= min_size <= max_size:
        raise ValueError(f"invalid group size bounds {min_size}-{max_size}")
    if member_count < 0:
        raise ValueError("member_count must not be negative")
    if member_count == 0:
        return range(0, 1)
    if member_count < min_size:
        return range(1, 2)
    fewest, most = math.ceil(member_count / max_size), member_count // min_size
    return range(fewest, max(fewest, most) + 1)


def balanced_sizes(member_count: int, group_count: int) -> tuple[int, ...]:
    """Return group sizes that differ by at most one, largest first."""
    if group_count == 0:
        if member_count:
            raise ValueError("members need at least one group")
        return ()
    base, extra = divmod(member_count, group_count)
    return tuple(base + 1 if i < extra else base for i in range(group_count))


def split_into_groups(
    *,
    members: Iterable[int],
    history: History | PairCounts = (),
    leaders_ok: Iterable[int] = (),
    fallback_leaders: Iterable[int] = (),
    presenters_waiting: Iterable[int] = (),
    presenters_again: Iterable[int] = (),
    min_size: int = 3,
    max_size: int = 5,
    group_count: int | None = None,
    seed: int = 0,
) -> Split:
    """Split the members present into small groups with rotating composition.

    ``leaders_ok`` are development-team members, ``fallback_leaders`` teacher leaders who
    lead only groups the development team cannot cover. ``presenters_waiting`` have a
    submitted case and have not presented yet this year; ``presenters_again`` have a
    submitted case but presented before. Ids of people not present are ignored.

    Without ``group_count`` there are as many groups as people who can lead one, within
    the size bounds: smaller groups discuss more cases and mix people more.
    """
    member_list = list(members)
    ids = sorted(set(member_list))
    if len(ids) != len(member_list):
        raise ValueError("a member appears more than once")
    present = frozenset(ids)
    rules = SplitRules(
        counts=_counts_among(pair_counts(history), present),
        leaders_ok=frozenset(leaders_ok) & present,
        fallback_leaders=frozenset(fallback_leaders) & present,
        presenters_waiting=frozenset(presenters_waiting) & present,
        presenters_again=frozenset(presenters_again) & present,
        min_size=min_size,
        max_size=max_size,
    )
    allowed = allowed_group_counts(len(ids), min_size=min_size, max_size=max_size)
    if group_count is None:
        can_lead = len(rules.leaders_ok | rules.fallback_leaders)
        group_count = min(max(can_lead, allowed.start), allowed.stop - 1)
    elif group_count not in allowed:
        raise ValueError(
            f"{group_count} groups do not fit {len(ids)} members in {min_size}-{max_size}"
        )
    sizes = balanced_sizes(len(ids), group_count)
    search = _Search(ids, sizes, rules, random.Random(seed))  # noqa: S311 - reproducible, not secret
    return _split_from(search.best(), rules)


def move_member(split: Split, member: int, to_group_index: int) -> Split:
    """Move one member to another group (``len(groups)`` opens a new one) and re-score.

    A group left empty disappears. Leaders and presenters are re-chosen only in the two
    groups involved, keeping the current ones where the rules allow.
    """
    source = next((i for i, g in enumerate(split.groups) if member in g.members), None)
    if source is None:
        raise ValueError(f"member {member} is not in this split")
    if not 0 <= to_group_index <= len(split.groups):
        raise IndexError(f"no group {to_group_index}")
    if to_group_index == source:
        return split
    groups = list(split.groups)
    if to_group_index == len(groups):
        groups.append(Group(members=(), leader=None, presenter=None))
    old_source, old_target = groups[source], groups[to_group_index]
    groups[source] = _group([m for m in old_source.members if m != member], split.rules, old_source)
    groups[to_group_index] = _group([*old_target.members, member], split.rules, old_target)
    return _scored(tuple(g for g in groups if g.members), split.rules)


def random_groups(
    *, members: Iterable[int], sizes: Sequence[int], seed: int
) -> list[tuple[int, ...]]:
    """Split members at random into groups of the given sizes (the comparison baseline)."""
    ids = sorted(set(members))
    if sum(sizes) != len(ids):
        raise ValueError("sizes must add up to the number of members")
    random.Random(seed).shuffle(ids)  # noqa: S311 - reproducible, not secret
    bounds = itertools.pairwise(itertools.accumulate(sizes, initial=0))
    return [tuple(sorted(ids[start:end])) for start, end in bounds]


def random_split_repeats(
    *, members: Iterable[int], history: History | PairCounts, sizes: Sequence[int], seed: int
) -> int:
    """Count the repeated pairs of one seeded random split with the given sizes."""
    groups = random_groups(members=members, sizes=sizes, seed=seed)
    return count_repeats(groups, pair_counts(history))


def expected_random_repeats(
    *,
    members: Iterable[int],
    history: History | PairCounts,
    sizes: Sequence[int],
    samples: int = 200,
    seed: int = 0,
) -> float:
    """Return the mean repeated pairs over ``samples`` seeded random splits."""
    ids, counts = sorted(set(members)), pair_counts(history)
    total = sum(
        count_repeats(random_groups(members=ids, sizes=sizes, seed=seed * samples + i), counts)
        for i in range(samples)
    )
    return total / samples


def _pairs(groups: Iterable[Iterable[int]]) -> Iterable[frozenset[int]]:
    for group in groups:
        for pair in itertools.combinations(sorted(set(group)), 2):
            yield frozenset(pair)


def _counts_among(
    counts: Counter[frozenset[int]], present: frozenset[int]
) -> dict[frozenset[int], int]:
    return {pair: n for pair, n in counts.items() if pair <= present}


def _role_choice(
    people: Sequence[tuple[int, int]],
    *,
    leader_first: int | None = None,
    presenter_first: int | None = None,
) -> tuple[int, int, int | None, int | None]:
    """Choose a leader and a presenter among (id, role mask) pairs, lowest id first.

    Returns (leader level, presenter level, leader, presenter). Leader levels: 0 a
    development-team member, 1 a teacher leader, 2 nobody; presenter levels: 0 waiting,
    1 presented before, 2 nobody. Nobody both leads and presents.
    """

    def options(bits: tuple[int, int], first: int | None) -> list[list[int | None]]:
        levels: list[list[int | None]] = [
            sorted((p for p, mask in people if mask & bit), key=lambda p: (p != first, p))
            for bit in bits
        ]
        return [*levels, [None]]

    leaders, presenters = (
        options((_DEV, _FALLBACK), leader_first),
        options((_WAITING, _AGAIN), presenter_first),
    )
    for leader_level, presenter_level in _LEVELS_BEST_FIRST:
        for leader in leaders[leader_level]:
            for presenter in presenters[presenter_level]:
                if leader is None or leader != presenter:
                    return leader_level, presenter_level, leader, presenter
    raise AssertionError("unreachable: the last levels always pair nobody with nobody")


def _group(ids: Sequence[int], rules: SplitRules, keep: Group | None = None) -> Group:
    """Build a group, keeping ``keep``'s leader and presenter where the rules allow."""
    _, _, leader, presenter = _role_choice(
        [(m, rules.mask(m)) for m in ids],
        leader_first=keep.leader if keep else None,
        presenter_first=keep.presenter if keep else None,
    )
    return Group(members=tuple(sorted(ids)), leader=leader, presenter=presenter)


def _scored(groups: tuple[Group, ...], rules: SplitRules) -> Split:
    member_lists = [g.members for g in groups]
    return Split(
        groups=groups,
        repeated_pairs=count_repeats(member_lists, rules.counts),
        repeat_weight=repeat_weight(member_lists, rules.counts),
        rules=rules,
    )


def _split_from(member_groups: list[list[int]], rules: SplitRules) -> Split:
    groups = tuple(_group(ids, rules) for ids in sorted(sorted(g) for g in member_groups))
    return _scored(groups, rules)


class _Search:
    """Seeded greedy construction plus iterated local search over swaps and moves."""

    def __init__(
        self, ids: list[int], sizes: tuple[int, ...], rules: SplitRules, rng: random.Random
    ):
        self.ids, self.sizes, self.rng = ids, sizes, rng
        n, k = len(ids), len(sizes)
        position = {m: i for i, m in enumerate(ids)}
        self.weight = [[0] * n for _ in range(n)]
        for pair, times in rules.counts.items():
            a, b = (position[m] for m in sorted(pair))
            self.weight[a][b] = self.weight[b][a] = times
        self.masks = [rules.mask(m) for m in ids]
        # Tier weights make the sum lexicographic: each tier outweighs every lower tier
        # in full, since at most k groups can miss it.
        self.tier_not_dev = sum(rules.counts.values()) + 1
        self.tier_not_waiting = self.tier_not_dev * (k + 1)
        self.tier_no_presenter = self.tier_not_waiting * (k + 1)
        self.tier_leaderless = self.tier_no_presenter * (k + 1)
        self.role_cache: dict[tuple[int, ...], int] = {}
        self.change_cache: dict[
            tuple[tuple[int, ...], int | None, int | None], tuple[tuple[int, ...], int]
        ] = {}
        self.index_pairs = list(itertools.combinations(range(n), 2))
        self.floor = self._lower_bound()

    def best(self) -> list[list[int]]:
        best_groups: list[list[int]] = []
        best_cost = -1
        for _ in range(_RESTARTS):
            groups = self._descend(self._construct())
            cost = self._total(groups)
            for _ in range(_KICKS):
                if cost == self.floor:
                    break
                candidate = self._descend(self._kick(groups))
                candidate_cost = self._total(candidate)
                if candidate_cost <= cost:  # equal cost too, to drift across plateaus
                    groups, cost = candidate, candidate_cost
            if best_cost == -1 or cost < best_cost:
                best_groups, best_cost = groups, cost
            if best_cost == self.floor:
                break
        return [[self.ids[i] for i in g] for g in best_groups]

    def _lower_bound(self) -> int:
        """Return a cost no split can beat: every role spread perfectly, no repeats."""
        k = len(self.sizes)

        def short(bits: int) -> int:
            return max(0, k - sum(1 for m in self.masks if m & bits))

        return (
            short(_DEV | _FALLBACK) * self.tier_leaderless
            + short(_WAITING | _AGAIN) * self.tier_no_presenter
            + short(_WAITING) * self.tier_not_waiting
            + short(_DEV) * self.tier_not_dev
        )

    def _after(
        self, key: tuple[int, ...], leaving: int | None, joining: int | None
    ) -> tuple[tuple[int, ...], int]:
        """Return a group's role key and role cost after one person leaves and/or joins."""
        cached = self.change_cache.get((key, leaving, joining))
        if cached is None:
            masks = list(key)
            if leaving is not None:
                masks.remove(leaving)
            if joining is not None:
                masks.append(joining)
            new_key = tuple(sorted(masks))
            cached = self.change_cache[key, leaving, joining] = (new_key, self._role_cost(new_key))
        return cached

    def _role_cost(self, key: tuple[int, ...]) -> int:
        """Return the role cost of a group given its sorted role masks."""
        cost = self.role_cache.get(key)
        if cost is None:
            # Positions stand in for people: only the mix of roles decides the cost.
            leader_level, presenter_level, _, _ = _role_choice(list(enumerate(key)))
            cost = (
                (leader_level == 2) * self.tier_leaderless
                + (presenter_level == 2) * self.tier_no_presenter
                + (presenter_level >= 1) * self.tier_not_waiting
                + (leader_level >= 1) * self.tier_not_dev
            )
            self.role_cache[key] = cost
        return cost

    def _group_cost(self, group: list[int]) -> int:
        weight = self.weight
        pairs = sum(weight[a][b] for a, b in itertools.combinations(group, 2))
        return pairs + self._role_cost(tuple(sorted(self.masks[i] for i in group)))

    def _total(self, groups: list[list[int]]) -> int:
        return sum(self._group_cost(g) for g in groups)

    def _construct(self) -> list[list[int]]:
        # People with a role go first so the greedy step spreads them over the groups.
        order = list(range(len(self.ids)))
        self.rng.shuffle(order)
        order.sort(key=lambda i: -self.masks[i])
        groups: list[list[int]] = [[] for _ in self.sizes]
        for person in order:
            open_groups = [g for g, size in enumerate(self.sizes) if len(groups[g]) < size]
            self.rng.shuffle(open_groups)
            target = min(
                open_groups,
                key=lambda g: self._group_cost([*groups[g], person]) - self._group_cost(groups[g]),
            )
            groups[target].append(person)
        return groups

    def _kick(self, groups: list[list[int]]) -> list[list[int]]:
        groups = [list(g) for g in groups]
        if len(groups) < 2:
            return groups
        for _ in range(2):
            first, second = self.rng.sample(range(len(groups)), 2)
            i, j = self.rng.randrange(len(groups[first])), self.rng.randrange(len(groups[second]))
            groups[first][i], groups[second][j] = groups[second][j], groups[first][i]
        return groups

    def _descend(self, groups: list[list[int]]) -> list[list[int]]:
        """Apply improving swaps and size-preserving moves until none is left."""
        weight, masks, k = self.weight, self.masks, len(groups)
        where = {person: g for g, group in enumerate(groups) for person in group}
        # to_group[p][g]: how often p sat before with the people now in group g, so a
        # swap or move is priced in constant time.
        to_group = [[sum(w[x] for x in group) for group in groups] for w in weight]
        role_key = [tuple(sorted(masks[i] for i in g)) for g in groups]
        role_cost = [self._role_cost(key) for key in role_key]
        people = list(range(len(masks)))
        self.rng.shuffle(self.index_pairs)
        self.rng.shuffle(people)
        sizes_differ = len(set(self.sizes)) > 1
        improved = True
        while improved:
            improved = False
            for a, b in self.index_pairs:
                ga, gb = where[a], where[b]
                if ga == gb:
                    continue
                ta, tb = to_group[a], to_group[b]
                delta = tb[ga] + ta[gb] - ta[ga] - tb[gb] - 2 * weight[a][b]
                if masks[a] != masks[b]:
                    key_a, role_a = self._after(role_key[ga], masks[a], masks[b])
                    key_b, role_b = self._after(role_key[gb], masks[b], masks[a])
                    delta += role_a + role_b - role_cost[ga] - role_cost[gb]
                    if delta >= 0:
                        continue
                    role_key[ga], role_key[gb] = key_a, key_b
                    role_cost[ga], role_cost[gb] = role_a, role_b
                elif delta >= 0:
                    continue
                groups[ga] = [b if x == a else x for x in groups[ga]]
                groups[gb] = [a if y == b else y for y in groups[gb]]
                where[a], where[b] = gb, ga
                for p, w in enumerate(weight):
                    shift = w[b] - w[a]
                    to_group[p][ga] += shift
                    to_group[p][gb] -= shift
                improved = True
            if not sizes_differ:
                continue  # equal sizes: any move would unbalance them
            for person in people:
                source = where[person]
                for target in range(k):
                    if len(groups[source]) != len(groups[target]) + 1:
                        continue
                    delta = to_group[person][target] - to_group[person][source]
                    key_s, role_s = self._after(role_key[source], masks[person], None)
                    key_t, role_t = self._after(role_key[target], None, masks[person])
                    delta += role_s + role_t - role_cost[source] - role_cost[target]
                    if delta >= 0:
                        continue
                    groups[source].remove(person)
                    groups[target].append(person)
                    role_key[source], role_key[target] = key_s, key_t
                    role_cost[source], role_cost[target] = role_s, role_t
                    where[person] = target
                    for p, w in enumerate(weight):
                        to_group[p][source] -= w[person]
                        to_group[p][target] += w[person]
                    improved = True
                    break
        return groups
