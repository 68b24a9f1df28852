"""Tampered preparer ids that look like digits to Python but are not ASCII are refused."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meetings.forms.preparation import PreparersForm
from meetings.services import preparation as services
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def dev_two(world):
    user = UserFactory(email="daan@lyceum.example", name="Daan Devteam")
    MembershipFactory(
        community=world.community, user=user, is_participant=True, is_development_team=True
    )
    return user


@pytest.fixture
def meeting(meetings, teacher_leader, development_team, dev_two):
    services.meeting_preparers_set(
        meeting=meetings[2], actor=teacher_leader, users=[development_team, dev_two]
    )
    return meetings[2]


@pytest.mark.parametrize("bad", ["²", "٣", "1²", "１"])
def test_unicode_digits_are_refused_by_the_form(meeting, bad) -> None:
    form = PreparersForm({"users": [bad]}, meeting=meeting)

    assert not form.is_valid()
    assert "users" in form.errors


@pytest.mark.parametrize("bad", ["²", "٣"])
def test_unicode_digits_in_the_post_give_a_message_not_a_crash(client_as, meeting, bad) -> None:
    url = reverse("meetings:meeting_preparers", kwargs={"pk": meeting.pk})

    response = client_as("teacher_leader").post(url, {"users": bad})

    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    assert meeting.preparers.count() == 2
