"""The health check end to end: a participant answers the seven characteristics on a phone; after
two more answers the teacher leader sees the radar chart with averages and spread and turns a
suggested action into an agreed one; the programme lead finds the PLG in the programme overview.
axe-core on every page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from communities.health_services import health_answer_submit
from communities.models import (
    Community,
    HealthAction,
    HealthCheckAnswer,
    HealthCheckMoment,
    HealthCheckParticipation,
)
from plg_platform.users.models import User
from tests.e2e import DEMO_PASSWORD, DEMO_PLG, DEMO_TEACHER_LEADER

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
PARTICIPANT = "deelnemer@demo.plg.nl"
PROGRAMME_LEAD = "projectleider@demo.plg.nl"
OTHERS = ("deelnemer2@demo.plg.nl", "deelnemer3@demo.plg.nl")
# The participant's scores, characteristic 1 to 7; the two others answer below.
MY_SCORES = (4, 4, 3, 4, 2, 3, 4)
COMMENT = "We could share more lesson material."


@pytest.fixture
def open_moment(demo_school) -> Community:
    """The demo PLG with its three moments, the first open today (whatever day the test runs)."""
    community = Community.objects.get(name=DEMO_PLG)
    today = timezone.localdate()
    for number, opens_on in ((1, today - dt.timedelta(days=1)), (2, today + dt.timedelta(days=60))):
        HealthCheckMoment.objects.create(
            community=community,
            number=number,
            opens_on=opens_on,
            closes_on=opens_on + dt.timedelta(days=14),
        )
    HealthCheckMoment.objects.create(
        community=community,
        number=3,
        opens_on=today + dt.timedelta(days=120),
        closes_on=today + dt.timedelta(days=134),
    )
    return community


def _participant_answers_on_a_phone(phone: Page, sign_in, axe_check, ui, no_sideways) -> None:
    sign_in(phone, PARTICIPANT, DEMO_PASSWORD)
    phone.get_by_role("main").get_by_role("link", name=DEMO_PLG).first.click()
    axe_check(phone)
    phone.get_by_role("main").get_by_role("link", name=ui("Health check")).first.click()
    axe_check(phone)
    no_sideways(phone)
    # Back on the PLG page, the prompt for members who have not answered leads to the form.
    phone.go_back()
    phone.get_by_role("main").get_by_role("link", name=ui("Answer the health check")).click()
    axe_check(phone)
    no_sideways(phone)
    fieldsets = phone.locator("main form fieldset")
    expect(fieldsets).to_have_count(7)
    for index, score in enumerate(MY_SCORES):
        fieldsets.nth(index).locator(f"input[type=radio][value='{score}']").check()
    phone.get_by_label(ui("Comment (optional)")).fill(COMMENT)
    phone.get_by_role("button", name=ui("Send my answer")).click()
    expect(
        phone.get_by_text(ui("Thank you. Your answer has been saved anonymously."))
    ).to_be_visible()
    axe_check(phone)
    no_sideways(phone)


def test_health_check_from_answer_to_agreed_action_and_overview(
    page: Page, new_page, open_moment, sign_in, axe_check, ui, assert_no_sideways_scroll
):
    community = open_moment
    moment = community.health_check_moments.get(number=1)

    phone = new_page(viewport=PHONE)
    _participant_answers_on_a_phone(phone, sign_in, axe_check, ui, assert_no_sideways_scroll)
    participant = User.objects.get(email=PARTICIPANT)
    assert HealthCheckParticipation.objects.filter(moment=moment, user=participant).exists()
    assert HealthCheckAnswer.objects.filter(moment=moment).count() == 1

    # Two more members answer; characteristic 5 ends low (2, 1, 2) and 6 divided (3, 5, 1).
    for email, scores in zip(OTHERS, ((3, 4, 3, 5, 1, 5, 4), (5, 4, 3, 3, 2, 1, 4)), strict=True):
        health_answer_submit(
            moment=moment,
            user=User.objects.get(email=email),
            scores=dict(enumerate(scores, start=1)),
        )

    # The teacher leader reads the results: radar chart, averages and spread, suggestions.
    sign_in(page, DEMO_TEACHER_LEADER, DEMO_PASSWORD)
    page.get_by_role("main").get_by_role("link", name=DEMO_PLG).first.click()
    page.get_by_role("main").get_by_role("link", name=ui("Health check")).first.click()
    axe_check(page)
    page.get_by_role("main").get_by_role("link", name=ui("Results")).first.click()
    main = page.get_by_role("main")
    expect(main.locator("figure svg")).to_have_count(1)
    table = main.get_by_role("table")
    expect(table.get_by_role("columnheader", name=ui("Average"))).to_be_visible()
    expect(table.get_by_role("columnheader", name=ui("Spread"))).to_be_visible()
    # Characteristic 5 (action and reflection): (2 + 1 + 2) / 3.
    expect(table.get_by_role("row").nth(5)).to_contain_text("1,7")
    expect(main.get_by_text(COMMENT)).to_be_visible()
    axe_check(page)

    main.get_by_role("link", name=ui("Turn into an action")).first.click()
    axe_check(page)
    owner = page.get_by_label(ui("Owner"))
    owner.select_option(index=1)
    page.get_by_role("button", name=ui("Agree on this action")).click()
    expect(page.get_by_text(ui("The action has been agreed."))).to_be_visible()
    axe_check(page)
    action = HealthAction.objects.get(moment=moment)
    expect(page.get_by_role("main").get_by_text(action.text).first).to_be_visible()

    # The programme lead sees the PLG and its first moment's average in the overview.
    lead = new_page()
    sign_in(lead, PROGRAMME_LEAD, DEMO_PASSWORD)
    lead.get_by_role("navigation", name=ui("Main navigation")).get_by_role(
        "link", name=ui("Programme overview")
    ).click()
    overview = lead.get_by_role("main")
    expect(overview.get_by_role("heading", name=ui("Programme overview"))).to_be_visible()
    row = overview.get_by_role("row").filter(has=lead.get_by_role("link", name=DEMO_PLG))
    expect(row).to_contain_text("Anna Visser")
    expect(row.locator("td").nth(5)).to_contain_text("3,4")  # 23.67 / 7
    axe_check(lead)

    lead_phone = new_page(viewport=PHONE)
    sign_in(lead_phone, PROGRAMME_LEAD, DEMO_PASSWORD)
    lead_phone.goto(lead.url)
    assert_no_sideways_scroll(lead_phone)
    axe_check(lead_phone)
