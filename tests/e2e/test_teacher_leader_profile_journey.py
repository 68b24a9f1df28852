"""A teacher leader fills in their page on a phone; the programme lead sees the checklist only."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e import DEMO_PASSWORD, DEMO_TEACHER_LEADER

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DEMO_PROGRAMME_LEAD = "projectleider@demo.plg.nl"
PRIVATE_SKILLS = "Dealing with negativity in the group"


def test_teacher_leader_page_and_programme_leads_checklist_overview(
    live_server, demo_school, new_page, sign_in, axe_check, ui, assert_no_sideways_scroll
):
    def checked(page) -> None:
        axe_check(page)
        assert_no_sideways_scroll(page)

    leader = new_page(viewport=PHONE)
    sign_in(leader, DEMO_TEACHER_LEADER, DEMO_PASSWORD)
    leader.get_by_role("button", name=ui("Show menu")).click()
    leader.get_by_role("link", name=ui("Teacher leader")).click()
    expect(leader.get_by_role("heading", level=1)).to_have_text(ui("Teacher leader"))
    checked(leader)

    leader.get_by_role("link", name=ui("Write my self-reflection")).click()
    checked(leader)
    leader.locator("input[name=roles_taken][value=mentor]").check()
    leader.locator("textarea[name=skills]").fill(PRIVATE_SKILLS)
    leader.get_by_role("button", name=ui("Save my self-reflection")).click()
    expect(leader.get_by_role("heading", level=1)).to_have_text(ui("Teacher leader"))
    expect(leader.get_by_role("main")).to_contain_text(PRIVATE_SKILLS)
    checked(leader)

    leader.get_by_role("link", name=ui("Update my checklist")).click()
    checked(leader)
    leader.locator("input[name=report_status][value=done]").check()
    leader.get_by_role("button", name=ui("Save my checklist")).click()
    # Done without a line of evidence: the form says so, at the field.
    expect(leader.locator("input[name=report_evidence]")).to_have_class(
        "textinput form-control is-invalid"
    )
    checked(leader)
    leader.locator("input[name=report_evidence]").fill("All meeting reports sent on time")
    leader.get_by_role("button", name=ui("Save my checklist")).click()
    expect(leader.get_by_role("heading", level=1)).to_have_text(ui("Teacher leader"))

    leader.get_by_role("link", name=ui("Add a course")).click()
    checked(leader)
    leader.locator("input[name=course]").fill("Leading a PLG")
    leader.locator("input[name=year]").fill("2026")
    leader.get_by_role("button", name=ui("Save")).click()
    expect(leader.get_by_role("row").filter(has_text="Leading a PLG")).to_be_visible()

    leader.get_by_role("link", name=ui("Self-reflections shared by other teacher leaders")).click()
    checked(leader)

    lead = new_page(viewport=PHONE)
    sign_in(lead, DEMO_PROGRAMME_LEAD, DEMO_PASSWORD)
    lead.goto("/school/")
    lead.get_by_role("link", name=ui("Teacher leaders' responsibilities")).click()
    expect(lead.get_by_role("heading", level=1)).to_have_text(
        ui("Teacher leaders' responsibilities")
    )
    expect(lead.get_by_role("main")).to_contain_text("All meeting reports sent on time")
    expect(lead.get_by_role("main")).not_to_contain_text(PRIVATE_SKILLS)
    checked(lead)
