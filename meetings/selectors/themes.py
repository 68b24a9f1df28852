"""Reads for the theme calendar: the theme library, a PLG's proposals and vote, and the theme
section of the meeting page."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, OuterRef
from django.shortcuts import get_object_or_404

from communities.models import Community, School
from communities.permissions import is_group_member
from plg_platform.sql import all_rows, columns, instance, table

from ..models import Meeting, Theme, ThemeProposal, ThemeVote, ThemeVoting

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from django.db.models import Field, QuerySet

    from plg_platform.users.models import User

    from ..permissions import MeetingAccess

# Meeting 1 has its own theme and meeting 6 is the evaluation; the vote is about these.
VOTED_MEETINGS = (2, 3, 4, 5)


# The school's theme library.


def library_themes(school: School) -> QuerySet[Theme]:
    """All themes of a school, by title, with how many meetings use each."""
    return Theme.objects.filter(school=school).annotate(meeting_count=Count("meetings"))


def get_school_theme(school: School, pk: int) -> Theme:
    """A theme of a school the caller administers (check the school first); 404 otherwise."""
    return get_object_or_404(Theme, school=school, pk=pk)


# A PLG's vote.


def get_proposal_in(community: Community, pk: int) -> ThemeProposal:
    """A proposal of a PLG the caller may see (check the PLG first); 404 otherwise."""
    return get_object_or_404(
        ThemeProposal.objects.select_related("community"), community=community, pk=pk
    )


def theme_voting(community: Community) -> ThemeVoting:
    """The PLG's vote; an unsaved open one until someone proposes, votes or closes it."""
    voting = ThemeVoting.objects.filter(community=community).first()
    return voting or ThemeVoting(community=community)


@dataclass(frozen=True)
class ProposalRow:
    """A proposal as one viewer sees it: votes and place only once the vote is closed."""

    proposal: ThemeProposal
    mine: bool  # the viewer voted for it
    is_authors: bool  # the viewer proposed it
    votes: int | None = None
    place: int | None = None


def proposal_rows(community: Community, user: User, *, closed: bool) -> list[ProposalRow]:
    """The PLG's proposals: in the order proposed while voting is open (no counts, so nothing
    can be read from the order), ranked by votes once it is closed. Who voted is never read."""
    proposals = community.theme_proposals.select_related("author").annotate(
        mine=Exists(ThemeVote.objects.filter(proposal=OuterRef("pk"), voter=user))
    )
    if not closed:
        return [
            ProposalRow(proposal=p, mine=p.mine, is_authors=p.author_id == user.pk)
            for p in proposals.order_by("created_at", "pk")
        ]
    ranked = proposals.annotate(vote_count=Count("votes", distinct=True))
    return [
        ProposalRow(
            proposal=proposal,
            mine=proposal.mine,
            is_authors=proposal.author_id == user.pk,
            votes=proposal.vote_count,
            place=place,
        )
        for place, proposal in _places(ranked)
    ]


def _places(proposals: QuerySet[ThemeProposal]) -> Iterator[tuple[int, ThemeProposal]]:
    """Rank proposals annotated with vote_count; equal votes share a place (1, 2, 2, 4)."""
    return _ranked(proposals.order_by("-vote_count", "created_at", "pk"))


def _ranked(ordered: Iterable[ThemeProposal]) -> Iterator[tuple[int, ThemeProposal]]:
    """Places of proposals ordered by votes (most first), then age: equal votes share one."""
    place = 0
    previous: int | None = None
    for position, proposal in enumerate(ordered, start=1):
        if proposal.vote_count != previous:
            place, previous = position, proposal.vote_count
        yield place, proposal


@dataclass(frozen=True)
class ThemeOptions:
    """What a planner can choose as a meeting's theme."""

    proposals: list[ProposalRow]
    library: list[Theme]
    others: list[Theme] = field(default_factory=list)  # used by a meeting, outside the library
    ranked: bool = False


def theme_options(
    community: Community, rows: list[ProposalRow], meetings: list[Meeting], *, ranked: bool
) -> ThemeOptions:
    library = list(
        Theme.objects.filter(school_id=community.team.school_id, in_library=True).order_by("title")
    )
    in_library = {theme.pk for theme in library}
    others: dict[int, Theme] = {}
    for meeting in meetings:
        if meeting.theme is not None and meeting.theme.pk not in in_library:
            others[meeting.theme.pk] = meeting.theme
    return ThemeOptions(
        proposals=rows,
        library=library,
        others=sorted(others.values(), key=lambda theme: theme.title.lower()),
        ranked=ranked,
    )


@dataclass(frozen=True)
class ThemesPage:
    community: Community
    voting: ThemeVoting
    rows: list[ProposalRow]
    meetings: list[Meeting]
    is_member: bool
    can_manage: bool
    options: ThemeOptions | None

    @property
    def votes_used(self) -> int:
        return sum(1 for row in self.rows if row.mine)

    @property
    def votes_left(self) -> int:
        return max(self.voting.votes_per_member - self.votes_used, 0)

    @property
    def voted_meetings(self) -> list[Meeting]:
        return [meeting for meeting in self.meetings if meeting.number in VOTED_MEETINGS]

    @property
    def first_meeting(self) -> Meeting | None:
        return next((meeting for meeting in self.meetings if meeting.number == 1), None)


def themes_page(community: Community, user: User, *, can_manage: bool) -> ThemesPage:
    """Everything the PLG's themes page shows, in a fixed number of queries."""
    voting = theme_voting(community)
    rows = proposal_rows(community, user, closed=not voting.is_open)
    meetings = list(community.meetings.select_related("theme").order_by("number"))
    is_member = is_group_member(user, community)
    options = (
        theme_options(community, rows, meetings, ranked=not voting.is_open)
        if can_manage and meetings
        else None
    )
    return ThemesPage(
        community=community,
        voting=voting,
        rows=rows,
        meetings=meetings,
        is_member=is_member,
        can_manage=can_manage,
        options=options,
    )


def meeting_theme_options(meeting: Meeting, user: User) -> ThemeOptions:
    """The choices on a meeting's change-theme page."""
    community = meeting.community
    voting = theme_voting(community)
    rows = proposal_rows(community, user, closed=not voting.is_open)
    return theme_options(community, rows, [meeting], ranked=not voting.is_open)


# The theme section of the meeting page.


@dataclass(frozen=True)
class VotePlace:
    place: int
    votes: int
    proposal: ThemeProposal


def vote_place(meeting: Meeting) -> VotePlace | None:
    """Where the meeting's theme ended in the PLG's closed vote, if it came from there.

    One plain SQL query (plg_platform.sql) for the vote and, once it is closed, its proposals
    ranked as `_places` ranks them: the ORM's two queries cost 3-5 ms of CPU on every meeting
    page. tests/meetings/test_theme_vote_place.py holds it to the ORM.
    """
    if meeting.theme is None:
        return None
    sql, fields = _vote_place_sql()
    rows = all_rows(sql, {"community": meeting.community_id})
    if not rows or rows[0][0] is None:  # no vote, or still open
        return None
    proposals = []
    for _closed, *values, vote_count in rows:
        if values[0] is None:  # closed without proposals
            break
        proposal = instance(ThemeProposal, fields, values)
        proposal.vote_count = vote_count
        proposals.append(proposal)
    for place, proposal in _ranked(proposals):
        if proposal.title.casefold() == meeting.theme.title.casefold():
            return VotePlace(place=place, votes=proposal.vote_count, proposal=proposal)
    return None


@functools.cache
def _vote_place_sql() -> tuple[str, list[Field]]:
    """The PLG's vote's closing time, and once closed each proposal with its number of votes,
    most votes first, then the oldest (the order of `_places`)."""
    selected, fields = columns(ThemeProposal, "p")
    sql = f"""
        SELECT v.closed_at, {selected},
          (SELECT COUNT(*) FROM {table(ThemeVote)} tv WHERE tv.proposal_id = p.id) AS vote_count
        FROM {table(ThemeVoting)} v
        LEFT JOIN {table(ThemeProposal)} p
          ON p.community_id = v.community_id AND v.closed_at IS NOT NULL
        WHERE v.community_id = %(community)s
        ORDER BY vote_count DESC, p.created_at, p.id
    """  # noqa: S608
    return sql, fields


def meeting_panel(meeting: Meeting, user: User, access: MeetingAccess) -> dict[str, object]:
    """Context for this area's section of the meeting page (templates/meetings/meeting/_themes.html)."""
    return {"theme_vote_place": vote_place(meeting)}
