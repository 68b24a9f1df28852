"""The meeting page's place in the theme vote, read as plain SQL, is the ORM ranking's place."""

from __future__ import annotations

import pytest
from django.db.models import Count

from meetings.models import Theme, ThemeProposal, ThemeVote, ThemeVoting
from meetings.selectors.themes import _places, vote_place
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _orm_place(meeting) -> tuple[int, int, int] | None:
    """The rule as the ORM reads it: (place, votes, proposal id) of the meeting's theme."""
    voting = ThemeVoting.objects.filter(community_id=meeting.community_id).first()
    if meeting.theme is None or voting is None or voting.is_open:
        return None
    ranked = ThemeProposal.objects.filter(community_id=meeting.community_id).annotate(
        vote_count=Count("votes", distinct=True)
    )
    for place, proposal in _places(ranked):
        if proposal.title.casefold() == meeting.theme.title.casefold():
            return place, proposal.vote_count, proposal.pk
    return None


def _read(meeting) -> tuple[int, int, int] | None:
    place = vote_place(meeting)
    return place and (place.place, place.votes, place.proposal.pk)


@pytest.fixture
def voted(world, meetings, participant):
    """Four proposals: 'Pesten' 3 votes, 'Autisme' and 'Huiswerk' 1 each (a shared place),
    'Stilte' none; and a proposal with votes in another PLG."""
    voters = []
    for index in range(3):
        voter = UserFactory(email=f"voter{index}@lyceum.example")
        MembershipFactory(community=world.community, user=voter, is_participant=True)
        voters.append(voter)
    titles = {"Pesten": 3, "Autisme": 1, "Huiswerk": 1, "Stilte": 0}
    for title, votes in titles.items():
        proposal = ThemeProposal.objects.create(
            community=world.community, author=participant, title=title, why=f"Why {title}"
        )
        for voter in voters[:votes]:
            ThemeVote.objects.create(proposal=proposal, voter=voter)
    elsewhere = ThemeProposal.objects.create(
        community=world.other_community, author=participant, title="Pesten", why="x"
    )
    ThemeVote.objects.create(proposal=elsewhere, voter=voters[0])
    return meetings


def _theme(meeting, title: str) -> None:
    theme, _ = Theme.objects.get_or_create(school=meeting.community.team.school, title=title)
    meeting.theme = theme
    meeting.save(update_fields=["theme"])


@pytest.mark.parametrize("title", ["Pesten", "autisme", "HUISWERK", "Stilte", "Not proposed"])
def test_the_place_of_a_closed_vote_is_the_orms(voted, world, teacher_leader, title):
    ThemeVoting.objects.create(community=world.community, closed_by=teacher_leader)
    ThemeVoting.objects.filter(community=world.community).update(closed_at="2026-09-01T12:00Z")
    _theme(voted[1], title)

    assert _read(voted[1]) == _orm_place(voted[1])
    assert (_read(voted[1]) is None) == (title == "Not proposed")


def test_an_open_vote_no_vote_and_no_theme_have_no_place(voted, world):
    _theme(voted[1], "Pesten")
    assert _read(voted[1]) is None  # no vote at all
    ThemeVoting.objects.create(community=world.community)
    assert _read(voted[1]) is None  # still open
    ThemeVoting.objects.filter(community=world.community).update(closed_at="2026-09-01T12:00Z")
    assert _read(voted[1])[:2] == (1, 3)
    assert _orm_place(voted[2]) is None
    assert _read(voted[2]) is None  # no theme


def test_a_closed_vote_without_proposals_has_no_place(meetings, world):
    ThemeVoting.objects.create(community=world.community, closed_at="2026-09-01T12:00Z")
    _theme(meetings[1], "Pesten")

    assert _read(meetings[1]) is None
