"""Query budget: page queries do not grow with the number of members or PLGs."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities.models import LearningQuestion
from tests.factories import CommunityFactory, MembershipFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

# Session, user, the page's own reads, the navigation's school-admin check and its unread
# notifications count; on the PLG page one more for a member's health-check prompt (its saved
# moments and the meeting dates in one plain SQL query, docs/performance.md); and the PLG is read
# first, then the viewer's relation to it in one plain SQL query (viewer_relation), read once for
# both the access check and the page's rights; the warnings are counted from the listed members.
# The dashboard reads its PLGs, with the viewer's roles and the counts, in one plain SQL query.
DASHBOARD_MAX_QUERIES = 6
DETAIL_MAX_QUERIES = 8


def _plg_with_members(team, count: int, *, leader=None, with_questions: bool = True):
    """A PLG with `count` people: the leader (if given) plus participants, half with a question."""
    community = CommunityFactory(team=team, school_year__school=team.school)
    people = count
    if leader is not None:
        MembershipFactory(
            community=community, user=leader, is_participant=False, is_teacher_leader=True
        )
        people -= 1
    memberships = MembershipFactory.create_batch(people, community=community)
    if with_questions:
        LearningQuestion.objects.bulk_create(
            LearningQuestion(membership=m, text=f"Question {m.pk}") for m in memberships[::2]
        )
    # One invited member without a password, so the "invite again" branch renders too.
    MembershipFactory(community=community, user=UserFactory(password=None))
    return community


def _queries(client, user, url) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    client.logout()
    return len(context.captured_queries)


def _dashboard_queries(client, *, plgs: int, members: int) -> int:
    user = UserFactory()
    team = TeamFactory(leaders=[UserFactory()])
    team.school.admins.add(user)
    for _ in range(plgs):
        _plg_with_members(team, members, leader=user)
    return _queries(client, user, reverse("communities:dashboard"))


def _detail_queries(client, *, members: int) -> int:
    leader = UserFactory()
    team = TeamFactory()
    community = _plg_with_members(team, members, leader=leader)
    return _queries(client, leader, reverse("communities:detail", args=[community.pk]))


def test_dashboard_queries_do_not_grow_with_plgs_and_members(client):
    small = _dashboard_queries(client, plgs=1, members=3)
    large = _dashboard_queries(client, plgs=10, members=30)
    assert small == large


def test_dashboard_stays_within_its_query_budget(client):
    assert _dashboard_queries(client, plgs=10, members=30) <= DASHBOARD_MAX_QUERIES


def test_plg_page_queries_do_not_grow_with_members(client):
    small = _detail_queries(client, members=3)
    large = _detail_queries(client, members=30)
    assert small == large


def test_plg_page_stays_within_its_query_budget(client):
    assert _detail_queries(client, members=30) <= DETAIL_MAX_QUERIES


def test_plg_page_for_a_team_leader_does_not_grow_with_members(client):
    counts = []
    for members in (3, 30):
        team_leader = UserFactory()
        team = TeamFactory(leaders=[team_leader])
        community = _plg_with_members(team, members)
        url = reverse("communities:detail", args=[community.pk])
        counts.append(_queries(client, team_leader, url))
    assert counts[0] == counts[1]
