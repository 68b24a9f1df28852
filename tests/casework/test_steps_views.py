"""Pages for first small steps: one's own list and looking back on one step."""

from __future__ import annotations

import pytest
from django.urls import reverse

from casework.models import NextStep, StepStatus
from tests.casework.test_steps_services import make_step
from tests.helpers import count_queries
from tests.personas import SIGNED_IN


def _review_url(step) -> str:
    return reverse("casework:step_review", kwargs={"pk": step.pk})


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_every_signed_in_user_has_a_list_of_their_own_steps(client_as, meetings, persona) -> None:
    assert client_as(persona).get(reverse("casework:my_steps")).status_code == 200


def test_the_list_shows_only_ones_own_steps(
    client_as, meetings, participant, development_team
) -> None:
    make_step(meetings[0], participant, "MY STEP")
    make_step(meetings[1], development_team, "SOMEONE ELSE'S STEP")

    page = client_as("participant").get(reverse("casework:my_steps")).content.decode()

    assert "MY STEP" in page
    assert "SOMEONE ELSE" not in page


def test_anonymous_visitor_of_the_list_is_sent_to_sign_in(client, meetings) -> None:
    response = client.get(reverse("casework:my_steps"))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_the_list_queries_do_not_grow_with_steps(client_as, meetings, participant) -> None:
    make_step(meetings[0], participant)
    client = client_as("participant")
    small = count_queries(client, reverse("casework:my_steps"))
    for meeting in meetings[1:5]:
        make_step(meeting, participant)

    assert count_queries(client, reverse("casework:my_steps")) == small


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_the_presenter_opens_the_look_back(client_as, meetings, participant, persona) -> None:
    step = make_step(meetings[0], participant)

    response = client_as(persona).get(_review_url(step))

    assert response.status_code == (200 if persona == "participant" else 404)


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_the_presenter_answers_the_look_back(
    client_as, meetings, participant, persona
) -> None:
    step = make_step(meetings[0], participant)

    response = client_as(persona).post(_review_url(step), {"status": "done", "outcome": ""})

    assert response.status_code == (302 if persona == "participant" else 404)
    expected = StepStatus.DONE if persona == "participant" else StepStatus.OPEN
    assert NextStep.objects.get().status == expected


def test_anonymous_look_back_is_sent_to_sign_in(client, meetings, participant) -> None:
    step = make_step(meetings[0], participant)

    response = client.post(_review_url(step), {"status": "done"})

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert NextStep.objects.get().status == StepStatus.OPEN


def test_looking_back_goes_to_the_list(client_as, meetings, participant) -> None:
    step = make_step(meetings[0], participant)

    response = client_as("participant").post(
        _review_url(step), {"status": "partly", "outcome": "Three days out of five"}
    )

    assert response["Location"] == reverse("casework:my_steps")
    step.refresh_from_db()
    assert (step.status, step.outcome) == (StepStatus.PARTLY, "Three days out of five")


@pytest.mark.parametrize(
    "data",
    [{"status": "", "outcome": "x"}, {"status": "open", "outcome": "x"},
     {"status": "not_done", "outcome": ""}, {"status": "done", "outcome": "x" * 1001}],
)  # fmt: skip
def test_a_bad_answer_is_shown_with_the_words_kept(client_as, meetings, participant, data) -> None:
    step = make_step(meetings[0], participant)

    response = client_as("participant").post(_review_url(step), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "invalid-feedback" in page
    if data["outcome"] and len(data["outcome"]) < 100:
        assert data["outcome"] in page
    assert NextStep.objects.get().status == StepStatus.OPEN


def test_meeting_page_asks_the_presenter_to_look_back(client_as, meetings, participant) -> None:
    step = make_step(meetings[0], participant)

    page = client_as("participant").get(reverse("meetings:meeting", kwargs={"pk": meetings[1].pk}))

    assert _review_url(step) in page.content.decode()


def test_meeting_page_does_not_show_a_step_to_someone_else(
    client_as, meetings, participant
) -> None:
    step = make_step(meetings[0], participant)

    page = client_as("development_team").get(
        reverse("meetings:meeting", kwargs={"pk": meetings[1].pk})
    )

    assert _review_url(step) not in page.content.decode()
