"""Propose who writes the notes of each teacher-leader meeting, in turn (pure, no database).

The teacher leaders take turns with the notes of their own PLG's meetings. Fair means:

1. nobody writes a second time while someone present has not yet written once (and in
   general: the proposed writer has the fewest turns of everyone present that day);
2. someone with an approved absence is skipped for that meeting and loses nothing by it:
   they keep their place and are first in line at the next meeting they attend;
3. a writer already fixed by the teacher leaders (confirmed or swapped) stays, and counts
   as that person's turn, wherever it falls in the year; a meeting fixed as None (one that
   is over without a confirmed writer) has no writer and uses up nobody's turn;
4. the same input always gives the same proposal.

Among people with equally many turns, the one whose last turn lies furthest back goes
first, then the order of `members` (the caller passes them in a stable order, e.g. by name).
Loading members, meetings, absences and fixed writers belongs to the selectors.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Hashable, Mapping, Sequence
from typing import TypeVar

Person = TypeVar("Person", bound=Hashable)
MeetingKey = TypeVar("MeetingKey", bound=Hashable)

_NEVER = -1


def propose(
    members: Sequence[Person],
    meetings: Sequence[MeetingKey],
    absent: Mapping[MeetingKey, Collection[Person]],
    history: Mapping[MeetingKey, Person | None],
) -> dict[MeetingKey, Person | None]:
    """Return the writer for each meeting (in the order given); None when nobody can write."""
    position = {person: index for index, person in enumerate(dict.fromkeys(members))}
    # Fixed writers count wherever they fall: a turn agreed for May is a turn in October too.
    # A fixed None is not in `position`, so it counts for nobody.
    turns: Counter[Person] = Counter(
        writer
        for meeting, writer in history.items()
        if meeting in meetings and writer is not None and writer in position
    )
    last_turn: dict[Person, int] = {}
    proposal: dict[MeetingKey, Person | None] = {}
    for index, meeting in enumerate(meetings):
        if meeting in history:
            writer: Person | None = history[meeting]
        else:
            away = absent.get(meeting, ())
            candidates = [person for person in position if person not in away]
            writer = min(
                candidates,
                key=lambda person: (
                    turns[person],
                    last_turn.get(person, _NEVER),
                    position[person],
                ),
                default=None,
            )
            if writer is not None:
                turns[writer] += 1
        if writer is not None:
            last_turn[writer] = index
        proposal[meeting] = writer
    return proposal
