"""The meeting page's own small group and its small groups' cases, read as plain SQL, are what
the ORM reads (the cases with the listed fields only, never a text)."""

from __future__ import annotations

import pytest

from casework.models import CaseStatus, SmallGroup, SmallGroupMember, WorkCase
from casework.selectors.cases import LISTED_FIELDS, _group_cases
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


def _orm_group_cases(meeting, user, group_ids) -> list[WorkCase]:
    """The rule as the ORM reads it (`LISTED_FIELDS` only)."""
    return list(
        WorkCase.objects.filter(
            meeting=meeting, status=CaseStatus.SUBMITTED, small_group__pk__in=group_ids
        )
        .exclude(presenter=user)
        .select_related("presenter", "small_group")
        .only(*LISTED_FIELDS)
        .order_by("small_group__number")
    )


def _listed(case: WorkCase) -> tuple:
    return (
        case.pk,
        case.meeting_id,
        case.title,
        case.status,
        case.submitted_at,
        case.presenter.pk,
        case.presenter.display_name,
        case.small_group.pk,
        str(case.small_group),
    )


@pytest.mark.parametrize("who", ["participant", "development_team", "members0", "second_dev"])
def test_the_group_cases_are_the_orms_and_never_load_a_text(in_the_meeting, who, persona_user):
    session = in_the_meeting
    user = {"members0": session.members[0], "second_dev": session.second_dev}.get(who) or (
        persona_user(who)
    )
    group_ids = sorted(group.pk for group in session.groups)

    read = _group_cases(session.meeting, user, group_ids)
    orm = _orm_group_cases(session.meeting, user, group_ids)

    assert [_listed(case) for case in read] == [_listed(case) for case in orm]
    for case in read:
        assert {"situation", "question", "tried", "why_now"} <= case.get_deferred_fields()
        assert case.small_group.case is case


def test_the_group_cases_of_one_group_leave_the_others_out(in_the_meeting, persona_user):
    session = in_the_meeting
    teacher = persona_user("teacher_leader")

    read = _group_cases(session.meeting, teacher, [session.groups[1].pk])

    assert [case.pk for case in read] == [session.other_case.pk]
