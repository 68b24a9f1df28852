"""A school's last programme lead cannot delete their own account: the school would be left
without anyone to run it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from communities.permissions import own_deletion_refusal
from plg_platform.users.services import user_delete
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SELF_URL = reverse("users:account_delete")


def _refusal() -> str:
    """The refusal as the (Dutch-speaking) programme lead reads it."""
    with translation.override("nl"):
        return translation.gettext(
            "You are the only programme lead of %(school)s. Ask the platform administrator to "
            "add another programme lead first; then you can delete your account."
        ) % {"school": "Het Lyceum"}


def test_the_last_programme_lead_is_refused_with_a_clear_message(client, world, school_admin):
    client.force_login(school_admin)

    response = client.post(SELF_URL, {"password": PASSWORD})

    assert response.status_code == 400
    assert _refusal() in response.content.decode()
    school_admin.refresh_from_db()
    assert school_admin.deleted_at is None
    assert list(world.school.admins.all()) == [school_admin]


def test_the_page_says_so_before_the_password_is_typed(client, world, school_admin):
    client.force_login(school_admin)

    response = client.get(SELF_URL)

    assert response.status_code == 200
    assert _refusal() in response.content.decode()


def test_the_service_refuses_it_too(world, school_admin):
    with pytest.raises(ValidationError):
        user_delete(user=school_admin, actor=school_admin)
    school_admin.refresh_from_db()
    assert school_admin.deleted_at is None


def test_with_a_second_programme_lead_they_may_delete_their_account(client, world, school_admin):
    world.school.admins.add(UserFactory(name="Petra Tweede"))
    client.force_login(school_admin)

    response = client.post(SELF_URL, {"password": PASSWORD})

    assert response.status_code == 302
    school_admin.refresh_from_db()
    assert school_admin.deleted_at is not None


def test_a_deleted_co_lead_does_not_count(world, school_admin):
    co_lead = UserFactory(name="Petra Tweede")
    world.school.admins.add(co_lead)
    assert own_deletion_refusal(school_admin) is None

    user_delete(user=co_lead, actor=school_admin)

    assert own_deletion_refusal(school_admin) is not None


def test_people_who_lead_no_school_are_never_refused(world, participant, team_leader):
    assert own_deletion_refusal(participant) is None
    assert own_deletion_refusal(team_leader) is None
