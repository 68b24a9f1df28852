"""A teacher leader invites a new member, who follows the e-mailed link into the PLG."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e import DEMO_PASSWORD, DEMO_PLG, DEMO_TEACHER_LEADER

pytestmark = pytest.mark.browser

INVITEE_EMAIL = "nieuwe.collega@demo.plg.nl"
INVITEE_NAME = "Nora Nieuwenhuis"
INVITEE_PASSWORD = "Zonnebloem-Fiets-42"
PHONE = {"width": 390, "height": 844}


def test_invited_member_sets_a_password_and_sees_the_plg(
    live_server, settings, demo_school, page, new_page, sign_in, axe_check, ui, mailoutbox
):
    # The link in the mail must point at the live server, not at the test default.
    settings.SITE_URL = live_server.url

    sign_in(page, DEMO_TEACHER_LEADER, DEMO_PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(ui("My PLGs"))
    axe_check(page)

    page.get_by_role("main").get_by_role("link", name=DEMO_PLG).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(DEMO_PLG)
    axe_check(page)

    page.get_by_role("link", name=ui("Add member")).click()
    form = page.get_by_role("main").locator("form")
    expect(form.locator("input[name=email]")).to_be_visible()
    axe_check(page)
    form.locator("input[name=email]").fill(INVITEE_EMAIL)
    form.locator("input[name=name]").fill(INVITEE_NAME)
    expect(form.locator("input[name=roles][value=participant]")).to_be_checked()
    form.get_by_role("button", name=ui("Add member")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(DEMO_PLG)
    expect(page.get_by_role("status").filter(has_text=INVITEE_EMAIL)).to_be_visible()
    new_row = page.get_by_role("row").filter(has_text=INVITEE_EMAIL)
    expect(new_row).to_contain_text(INVITEE_NAME)
    expect(new_row).to_contain_text(ui("invited"))
    axe_check(page)

    assert [message.to for message in mailoutbox] == [[INVITEE_EMAIL]]
    link = re.search(rf"{re.escape(live_server.url)}/invitation/\S+/", mailoutbox[0].body)
    assert link, f"no invitation link in:\n{mailoutbox[0].body}"

    invitee = new_page()
    invitee.goto(link.group())
    expect(invitee.get_by_role("heading", level=1)).to_have_text(ui("Welcome to the PLG platform"))
    axe_check(invitee)
    invitee.locator("input[name=new_password1]").fill(INVITEE_PASSWORD)
    invitee.locator("input[name=new_password2]").fill(INVITEE_PASSWORD)
    invitee.get_by_role("button", name=ui("Set password and sign in")).click()

    expect(invitee).to_have_url(f"{live_server.url}/")
    expect(invitee.get_by_role("heading", level=1)).to_have_text(ui("My PLGs"))
    expect(invitee.get_by_role("main").get_by_role("link", name=DEMO_PLG)).to_be_visible()
    axe_check(invitee)


def test_dashboard_and_plg_page_fit_a_phone(
    demo_school, new_page, sign_in, axe_check, ui, assert_no_sideways_scroll
):
    page = new_page(viewport=PHONE, has_touch=True)
    sign_in(page, DEMO_TEACHER_LEADER, DEMO_PASSWORD)

    expect(page.get_by_role("heading", level=1)).to_have_text(ui("My PLGs"))
    assert_no_sideways_scroll(page)
    axe_check(page)

    page.get_by_role("main").get_by_role("link", name=DEMO_PLG).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(DEMO_PLG)
    assert_no_sideways_scroll(page)
    axe_check(page)
