"""A teacher leader generates the year plan from the PLG page (first part of issue 3)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e import DEMO_PASSWORD, DEMO_PLG, DEMO_TEACHER_LEADER

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def test_teacher_leader_generates_the_year_plan(
    demo_school, page, sign_in, axe_check, ui, new_page, assert_no_sideways_scroll
):
    sign_in(page, DEMO_TEACHER_LEADER, DEMO_PASSWORD)
    page.get_by_role("main").get_by_role("link", name=DEMO_PLG).click()
    page.get_by_role("link", name=ui("Year plan")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(ui("Year plan"))
    axe_check(page)

    form = page.get_by_role("main").locator("form")
    form.locator("select[name=weekday]").select_option("1")
    form.locator("input[name=location]").fill("Mediatheek")
    form.get_by_role("button", name=ui("Make the year plan")).click()

    expect(page.get_by_role("status")).to_contain_text(ui("The year plan has been made."))
    rows = page.get_by_role("main").locator("tbody tr")
    expect(rows).to_have_count(6)
    expect(rows.first).to_contain_text("1 september 2026")
    expect(rows.last).to_contain_text("13 juli 2027")
    axe_check(page)

    phone = new_page(viewport=PHONE, has_touch=True)
    sign_in(phone, DEMO_TEACHER_LEADER, DEMO_PASSWORD)
    phone.goto(page.url)
    expect(phone.get_by_role("main").locator("tbody tr")).to_have_count(6)
    assert_no_sideways_scroll(phone)
    axe_check(phone)
