"""The meeting page's own small group, read as plain SQL, is the group the ORM reads."""

from __future__ import annotations

import pytest

from casework.models import SmallGroup, SmallGroupMember
from casework.selectors.groups import OwnGroup, own_group

pytestmark = pytest.mark.django_db


def _orm_group(group_id: int, user) -> OwnGroup:
    """The rule as the ORM reads it."""
    group = SmallGroup.objects.select_related("leader", "case").get(pk=group_id)
    members = [
        seat.member
        for seat in SmallGroupMember.objects.filter(group_id=group_id)
        .select_related("member")
        .order_by("member__name", "member__email")
    ]
    return OwnGroup(
        number=group.number,
        leader=group.leader,
        members=members,
        leads=group.leader_id == user.pk,
        presents=group.case is not None and group.case.presenter_id == user.pk,
    )


def _shape(group: OwnGroup) -> tuple:
    return (
        group.number,
        group.leader and (group.leader.pk, group.leader.display_name),
        [(member.pk, member.display_name) for member in group.members],
        group.leads,
        group.presents,
    )


@pytest.mark.parametrize("who", ["participant", "development_team", "members0"])
def test_a_group_with_leader_and_case_is_the_orms(session, who, persona_user):
    user = session.members[0] if who == "members0" else persona_user(who)
    group_id = session.groups[0].pk

    assert _shape(own_group(group_id, user)) == _shape(_orm_group(group_id, user))


def test_a_group_without_leader_or_case_is_the_orms(session):
    group = SmallGroup.objects.create(meeting=session.meeting, number=3)
    SmallGroupMember.objects.create(group=group, meeting=session.meeting, member=session.drafter)

    read = own_group(group.pk, session.drafter)

    assert _shape(read) == _shape(_orm_group(group.pk, session.drafter))
    assert read.leader is None
    assert not read.presents


def test_a_missing_group_is_not_found(session, participant):
    with pytest.raises(SmallGroup.DoesNotExist):
        own_group(10_000, participant)
