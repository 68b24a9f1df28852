"""Pages for reflections: writing one's own, the shared ones of a meeting, all of one's own."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext

from casework.models import Reflection
from casework.services.reflections import reflection_save
from communities.models import LearningQuestion, Membership
from tests.helpers import assert_login_redirect, count_queries
from tests.personas import SIGNED_IN

GROUP_MEMBERS = {"participant", "teacher_leader", "development_team"}
TEXT = {
    "learned": "Asking before advising works.",
    "method": "The small group felt safe.",
    "bothers": "Time was short.",
    "learning_question": "One step closer.",
}


def _url(name: str, pk: int | None = None) -> str:
    return reverse(name, kwargs={"pk": pk} if pk is not None else None)


def _write(meeting, author, **changes) -> Reflection:
    return reflection_save(meeting=meeting, author=author, data={**TEXT, **changes})


# Writing one's reflection ------------------------------------------------------------------------


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_group_members_open_the_reflection_form(client_as, after_the_meeting, persona) -> None:
    response = client_as(persona).get(_url("casework:reflection", after_the_meeting.meeting.pk))

    assert response.status_code == (200 if persona in GROUP_MEMBERS else 404)


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_group_members_save_a_reflection(client_as, after_the_meeting, persona) -> None:
    response = client_as(persona).post(
        _url("casework:reflection", after_the_meeting.meeting.pk), TEXT
    )

    assert response.status_code == (302 if persona in GROUP_MEMBERS else 404)
    assert Reflection.objects.exists() == (persona in GROUP_MEMBERS)


def test_anonymous_visitor_of_the_reflection_form_is_sent_to_sign_in(
    client, after_the_meeting
) -> None:
    assert_login_redirect(client.get(_url("casework:reflection", after_the_meeting.meeting.pk)))


def test_anonymous_reflection_is_sent_to_sign_in_and_saves_nothing(
    client, after_the_meeting
) -> None:
    assert_login_redirect(
        client.post(_url("casework:reflection", after_the_meeting.meeting.pk), TEXT)
    )
    assert not Reflection.objects.exists()


def test_before_the_meeting_the_form_is_a_friendly_message(client_as, session) -> None:
    page = (
        client_as("participant")
        .get(_url("casework:reflection", session.meeting.pk))
        .content.decode()
    )

    assert 'role="status"' in page
    assert 'name="learned"' not in page


def test_posting_before_the_meeting_saves_nothing(client_as, session) -> None:
    response = client_as("participant").post(_url("casework:reflection", session.meeting.pk), TEXT)

    assert response.status_code == 200
    assert not Reflection.objects.exists()


def test_the_form_explains_private_and_has_the_share_box_off(client_as, after_the_meeting) -> None:
    page = (
        client_as("participant")
        .get(_url("casework:reflection", after_the_meeting.meeting.pk))
        .content.decode()
    )

    explanation = gettext(
        "Private means only you can read it: not the teacher leaders, not the team leader, "
        "not the admins. Share it with your PLG only if you want to; you can unshare it later."
    )
    assert escape(explanation) in page
    assert 'name="shared"' in page
    assert 'name="shared" checked' not in page
    assert 'for="id_learned"' in page


def test_a_reflection_saved_without_the_box_is_private(
    client_as, after_the_meeting, participant
) -> None:
    response = client_as("participant").post(
        _url("casework:reflection", after_the_meeting.meeting.pk), TEXT
    )

    assert response["Location"] == _url("casework:my_reflections")
    reflection = Reflection.objects.get()
    assert (reflection.author, reflection.shared) == (participant, False)


def test_a_reflection_saved_with_the_box_is_shared(client_as, after_the_meeting) -> None:
    client_as("participant").post(
        _url("casework:reflection", after_the_meeting.meeting.pk), {**TEXT, "shared": "on"}
    )

    assert Reflection.objects.get().shared is True


def test_the_author_unshares_later(client_as, after_the_meeting, participant) -> None:
    _write(after_the_meeting.meeting, participant, shared=True)

    client_as("participant").post(_url("casework:reflection", after_the_meeting.meeting.pk), TEXT)

    assert Reflection.objects.get().shared is False


def test_an_empty_reflection_is_refused_with_a_message(client_as, after_the_meeting) -> None:
    response = client_as("participant").post(
        _url("casework:reflection", after_the_meeting.meeting.pk), {"shared": "on"}
    )

    assert response.status_code == 200
    assert "alert" in response.content.decode()
    assert not Reflection.objects.exists()


def test_an_overlong_part_is_refused_and_the_rest_kept(client_as, after_the_meeting) -> None:
    response = client_as("participant").post(
        _url("casework:reflection", after_the_meeting.meeting.pk),
        {**TEXT, "method": "x" * 4001},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "invalid-feedback" in page
    assert TEXT["learned"] in page
    assert not Reflection.objects.exists()


def test_the_form_shows_the_own_learning_question(
    client_as, after_the_meeting, participant
) -> None:
    membership = Membership.objects.get(
        user=participant, community=after_the_meeting.meeting.community
    )
    LearningQuestion.objects.create(membership=membership, text="How do I give feedback?")

    page = (
        client_as("participant")
        .get(_url("casework:reflection", after_the_meeting.meeting.pk))
        .content.decode()
    )

    assert "How do I give feedback?" in page


# The shared reflections of a meeting -------------------------------------------------------------


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_group_members_open_the_shared_reflections(
    client_as, after_the_meeting, persona
) -> None:
    response = client_as(persona).get(
        _url("casework:shared_reflections", after_the_meeting.meeting.pk)
    )

    assert response.status_code == (200 if persona in GROUP_MEMBERS else 404)


def test_anonymous_visitor_of_the_shared_reflections_is_sent_to_sign_in(
    client, after_the_meeting
) -> None:
    assert_login_redirect(
        client.get(_url("casework:shared_reflections", after_the_meeting.meeting.pk))
    )


def test_shared_reflections_show_the_text_and_the_author(
    client_as, after_the_meeting, participant
) -> None:
    _write(after_the_meeting.meeting, participant, learned="SHARED-LESSON", shared=True)

    page = client_as("development_team").get(
        _url("casework:shared_reflections", after_the_meeting.meeting.pk)
    )

    assert "SHARED-LESSON" in page.content.decode()
    assert "Pia Participant" in page.content.decode()


def test_the_shared_reflections_queries_do_not_grow(
    client_as, after_the_meeting, participant
) -> None:
    client = client_as("participant")
    url = _url("casework:shared_reflections", after_the_meeting.meeting.pk)
    _write(after_the_meeting.meeting, participant, shared=True)
    few = count_queries(client, url)
    for member in after_the_meeting.members:
        _write(after_the_meeting.meeting, member, shared=True)

    assert count_queries(client, url) == few


# My reflections ---------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_everyone_signed_in_opens_their_own_reflections(client_as, persona, world) -> None:
    assert client_as(persona).get(_url("casework:my_reflections")).status_code == 200


def test_anonymous_visitor_of_my_reflections_is_sent_to_sign_in(client, world) -> None:
    assert_login_redirect(client.get(_url("casework:my_reflections")))


def test_my_reflections_show_meeting_plg_and_badge(
    client_as, after_the_meeting, participant
) -> None:
    _write(after_the_meeting.meeting, participant, learned="MY-OWN-LESSON")

    page = client_as("participant").get(_url("casework:my_reflections")).content.decode()

    assert "MY-OWN-LESSON" in page
    assert after_the_meeting.meeting.community.name in page
    assert "badge" in page
    assert _url("casework:reflection", after_the_meeting.meeting.pk) in page


def test_my_reflections_queries_do_not_grow(
    client_as, after_the_meeting, participant, meetings
) -> None:
    client = client_as("participant")
    _write(meetings[0], participant)
    few = count_queries(client, _url("casework:my_reflections"))
    _write(meetings[1], participant)

    assert count_queries(client, _url("casework:my_reflections")) == few


# The meeting page --------------------------------------------------------------------------------


def test_meeting_page_offers_no_reflection_before_the_meeting(client_as, session) -> None:
    page = client_as("participant").get(_url("meetings:meeting", session.meeting.pk))

    assert _url("casework:reflection", session.meeting.pk) not in page.content.decode()


def test_meeting_page_invites_a_member_to_write_a_reflection(client_as, after_the_meeting) -> None:
    page = client_as("participant").get(_url("meetings:meeting", after_the_meeting.meeting.pk))
    page = page.content.decode()

    assert _url("casework:reflection", after_the_meeting.meeting.pk) in page
    assert _url("casework:shared_reflections", after_the_meeting.meeting.pk) in page


@pytest.mark.parametrize("persona", ["team_leader", "school_admin", "expert"])
def test_meeting_page_offers_no_reflections_to_non_members(
    client_as, after_the_meeting, persona
) -> None:
    page = client_as(persona).get(_url("meetings:meeting", after_the_meeting.meeting.pk))

    assert _url("casework:shared_reflections", after_the_meeting.meeting.pk) not in (
        page.content.decode()
    )
