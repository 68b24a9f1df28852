"""A private reflection is read by its author alone: no other persona finds its words on any
page they can open, and the admin site has no reflection pages at all."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from casework.models import Reflection
from casework.services.reflections import reflection_save
from meetings.models import MeetingPreparer
from tests.factories import UserFactory
from tests.personas import PERSONAS

MARKER = "PRIVATE-MARKER-q7z3x"
OTHERS = [name for name in PERSONAS if name != "participant"]


@pytest.fixture(params=["in_the_meeting", "after_the_meeting"])
def moment(request):
    """The session while it runs (case texts are open) and on the evening after."""
    return request.getfixturevalue(request.param)


@pytest.fixture
def private_reflection(moment, participant) -> Reflection:
    return reflection_save(
        meeting=moment.meeting,
        author=participant,
        data={
            "learned": f"{MARKER} learned",
            "method": f"{MARKER} method",
            "bothers": f"{MARKER} bothers",
            "learning_question": f"{MARKER} question",
        },
    )


@pytest.fixture
def everyone_has_written(moment, private_reflection, development_team, teacher_leader):
    """Other members wrote (and shared) their own, so their lists are not empty."""
    for author in (development_team, teacher_leader, moment.members[0]):
        reflection_save(
            meeting=moment.meeting, author=author, data={"learned": "Mine", "shared": True}
        )
    # A preparer sees the case list too.
    MeetingPreparer.objects.create(meeting=moment.meeting, user=moment.members[0])
    return private_reflection


def _pages(session) -> list[str]:
    pk = session.meeting.pk
    return [
        reverse("meetings:meeting", kwargs={"pk": pk}),
        reverse("casework:shared_reflections", kwargs={"pk": pk}),
        reverse("casework:reflection", kwargs={"pk": pk}),
        reverse("casework:my_reflections"),
        reverse("casework:cases", kwargs={"pk": pk}),
        reverse("casework:case", kwargs={"pk": session.case.pk}),
        reverse("casework:case", kwargs={"pk": session.other_case.pk}),
        reverse("casework:my_case", kwargs={"pk": pk}),
        reverse("communities:detail", kwargs={"pk": session.meeting.community_id}),
    ]


def _assert_marker_absent(client, urls: list[str]) -> int:
    opened = 0
    for url in urls:
        response = client.get(url)
        assert MARKER not in response.content.decode(), url
        opened += response.status_code == 200
    return opened


@pytest.mark.parametrize("persona", OTHERS)
def test_a_private_reflection_is_on_no_page_another_persona_opens(
    client_as, moment, everyone_has_written, persona
) -> None:
    opened = _assert_marker_absent(client_as(persona), _pages(moment))

    if persona in ("teacher_leader", "development_team"):
        assert opened >= 6  # they do open the meeting's pages: the check means something


@pytest.mark.parametrize("member", [0, 2, 5])
def test_a_private_reflection_is_on_no_page_another_member_opens(
    client, moment, everyone_has_written, member
) -> None:
    client.force_login(moment.members[member])

    assert _assert_marker_absent(client, _pages(moment)) >= 4


def test_the_author_does_read_their_private_reflection(
    client_as, moment, private_reflection
) -> None:
    client = client_as("participant")

    assert MARKER in client.get(reverse("casework:my_reflections")).content.decode()
    page = client.get(reverse("casework:reflection", kwargs={"pk": moment.meeting.pk}))
    assert MARKER in page.content.decode()


def test_the_author_does_not_find_a_private_reflection_in_the_shared_list(
    client_as, moment, private_reflection
) -> None:
    page = client_as("participant").get(
        reverse("casework:shared_reflections", kwargs={"pk": moment.meeting.pk})
    )

    assert MARKER not in page.content.decode()


@pytest.fixture
def superuser(db):
    return UserFactory(email="root@lyceum.example", is_staff=True, is_superuser=True)


@pytest.mark.parametrize("suffix", ["", "add/", "{pk}/change/", "{pk}/delete/", "{pk}/history/"])
def test_the_admin_has_no_reflection_pages(client, superuser, private_reflection, suffix) -> None:
    client.force_login(superuser)
    url = f"/{settings.ADMIN_URL}casework/reflection/{suffix.format(pk=private_reflection.pk)}"

    response = client.get(url, follow=True)

    assert response.status_code == 404
    assert MARKER not in response.content.decode()


def test_the_admin_pages_of_case_sessions_do_not_show_a_reflection(
    client, superuser, private_reflection
) -> None:
    client.force_login(superuser)

    for url in (f"/{settings.ADMIN_URL}", f"/{settings.ADMIN_URL}casework/"):
        response = client.get(url)
        assert response.status_code == 200
        page = response.content.decode()
        assert MARKER not in page
        assert "casework/reflection/" not in page
