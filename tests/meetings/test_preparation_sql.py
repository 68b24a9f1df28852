"""The preparation section's plain SQL reads the same rows, in the same order, as the ORM."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from meetings.models import (
    AgendaItem,
    IntroductionKind,
    MeetingMaterial,
    MeetingPreparer,
    ThemeIntroduction,
)
from meetings.permissions import get_meeting_for, meeting_access
from meetings.selectors.preparation import (
    meeting_agenda,
    meeting_materials,
    meeting_preparers,
    theme_introduction,
)
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _values(row) -> list[object] | None:
    return row and [getattr(row, field.attname) for field in row._meta.concrete_fields]


@pytest.fixture
def prepared(meetings, development_team, teacher_leader, world):
    """Meeting 2 with two preparers, an introduction, materials and a saved agenda."""
    meeting = meetings[1]
    second = UserFactory(email="aart@lyceum.example", name="Aart Devteam")
    MembershipFactory(community=world.community, user=second, is_development_team=True)
    MeetingPreparer.objects.create(meeting=meeting, user=development_team)
    MeetingPreparer.objects.create(meeting=meeting, user=second, hours=2)
    # Another meeting's rows must not leak in.
    MeetingPreparer.objects.create(meeting=meetings[2], user=teacher_leader)
    ThemeIntroduction.objects.create(
        meeting=meeting,
        kind=IntroductionKind.ARTICLE,
        title="An article",
        updated_by=teacher_leader,
    )
    now = timezone.now()
    for title, added_at in (("Later", now), ("Same time", now - dt.timedelta(days=1))):
        MeetingMaterial.objects.create(
            meeting=meeting, title=title, url="https://example.org/", added_at=added_at
        )
    MeetingMaterial.objects.create(
        meeting=meeting,
        title="Same time, added after",
        file="a.pdf",
        added_at=now - dt.timedelta(days=1),
    )
    for phase, minutes in ((3, 25), (0, 30)):
        AgendaItem.objects.create(meeting=meeting, phase=phase, minutes=minutes, note=f"N{phase}")
    return meeting


def test_the_preparers_are_the_orms_with_their_users(prepared):
    read = meeting_preparers(prepared)
    orm = list(prepared.preparers.select_related("user").order_by("user__name", "user__email"))

    assert [_values(row) for row in read] == [_values(row) for row in orm]
    assert [_values(row.user) for row in read] == [_values(row.user) for row in orm]
    assert [row.user.name for row in read] == ["Aart Devteam", "Dana Devteam"]


def test_the_introduction_and_materials_are_the_orms(prepared, meetings):
    assert _values(theme_introduction(prepared)) == _values(
        ThemeIntroduction.objects.filter(meeting=prepared).first()
    )
    assert theme_introduction(meetings[2]) is None
    orm = prepared.materials.order_by("added_at", "pk")
    assert [_values(row) for row in meeting_materials(prepared)] == [_values(row) for row in orm]


def test_the_agenda_reads_the_saved_time_boxes(prepared):
    agenda = meeting_agenda(prepared)

    saved = {item.phase: (item.minutes, item.note) for item in prepared.agenda_items.all()}
    assert agenda.saved
    assert {row.phase: (row.minutes, row.note) for row in agenda.rows if row.phase in saved} == (
        saved
    )


def test_whether_one_prepares_the_meeting_agrees_with_the_orm(
    prepared, meetings, development_team, teacher_leader, participant
) -> None:
    checked = 0
    for user in (development_team, teacher_leader, participant):
        for meeting in meetings[1:3]:
            expected = MeetingPreparer.objects.filter(meeting=meeting, user=user).exists()
            opened = get_meeting_for(user, meeting.pk)
            assert meeting_access(user, opened).is_preparer == expected, (user, meeting)
            checked += expected
    assert checked == 2  # the development teacher of meeting 2, the teacher leader of meeting 3
