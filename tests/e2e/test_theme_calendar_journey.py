"""The theme calendar end to end: plan the year, vote and fix themes, assign preparers, and an
absence request that the team leader approves and the participant sees approved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from meetings.models import Meeting
from tests.e2e import DEMO_PASSWORD, DEMO_PLG, DEMO_TEACHER_LEADER

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
PARTICIPANT = "deelnemer@demo.plg.nl"
TEAM_LEADER = "teamleider@demo.plg.nl"
LIBRARY_CHOICES = {3: "Pesten", 4: "Autisme", 5: "Zorgleerlingen"}


def _message(page: Page):
    """The flash message after an action (other status regions may be on the page too)."""
    return page.locator("main [aria-live=polite] [role=status]")


def _choose(page: Page, field: str, text: str) -> None:
    select = page.locator(f"select[name={field}]")
    value = select.locator("option", has_text=text).first.get_attribute("value")
    select.select_option(value)


def _plan_the_year(leader: Page, ui, axe_check) -> None:
    leader.get_by_role("main").get_by_role("link", name=DEMO_PLG).click()
    leader.get_by_role("link", name=ui("Year plan")).click()
    form = leader.get_by_role("main").locator("form")
    form.locator("select[name=weekday]").select_option("1")
    form.locator("input[name=location]").fill("Mediatheek")
    form.get_by_role("button", name=ui("Make the year plan")).click()
    expect(_message(leader)).to_contain_text(ui("The year plan has been made."))
    expect(leader.locator(".year-view-meeting")).to_have_count(6)
    axe_check(leader)


def _vote_and_fix_themes(leader: Page, ui, axe_check) -> None:
    leader.get_by_role("navigation", name=ui("Breadcrumb")).get_by_role(
        "link", name=DEMO_PLG
    ).click()
    leader.get_by_role("main").get_by_role("link", name=ui("Themes")).first.click()
    axe_check(leader)
    propose = leader.locator("#propose form")
    propose.locator("input[name=title]").fill("Feedback die werkt")
    propose.locator("textarea[name=why]").fill("Mijn leerlingen lezen mijn feedback niet.")
    propose.get_by_role("button", name=ui("Propose this theme")).click()
    expect(_message(leader)).to_contain_text(ui("Thank you, your theme has been proposed."))
    row = leader.locator("#proposals tbody tr", has_text="Feedback die werkt")
    row.get_by_role("button").first.click()
    expect(_message(leader)).to_contain_text("Feedback die werkt")
    leader.get_by_role("button", name=ui("Close the vote and show the results")).click()
    expect(leader.locator("#proposals h2")).to_contain_text(ui("Results of the vote"))
    expect(leader.locator("#proposals tbody tr", has_text="Feedback die werkt")
           .locator(".vote-count")).to_contain_text("1")  # fmt: skip
    axe_check(leader)

    _choose(leader, "meeting_2", "Feedback die werkt")
    for number, title in LIBRARY_CHOICES.items():
        _choose(leader, f"meeting_{number}", title)
    leader.get_by_role("button", name=ui("Save the themes")).click()
    expect(_message(leader)).to_contain_text(ui("The themes of the meetings have been saved."))
    themes = leader.locator("#meeting-themes tbody")
    for title in ("Feedback die werkt", *LIBRARY_CHOICES.values()):
        expect(themes).to_contain_text(title)
    axe_check(leader)


def _assign_preparers(leader: Page, meeting: Meeting, ui, axe_check) -> None:
    leader.goto(f"/meeting/{meeting.pk}/")
    axe_check(leader)
    leader.get_by_role("link", name=ui("Assign preparers")).click()
    leader.get_by_label("Chantal Smit").check()
    leader.get_by_label("Daan Mulder").check()
    leader.get_by_role("button", name=ui("Save the preparers")).click()
    expect(_message(leader)).to_contain_text(ui("The preparers have been saved."))
    section = leader.locator("section", has=leader.locator("#preparation-heading"))
    expect(section).to_contain_text("Chantal Smit")
    expect(section).to_contain_text("Daan Mulder")
    axe_check(leader)


def test_theme_calendar_from_year_plan_to_approved_absence(
    demo_school, new_page, sign_in, axe_check, ui, assert_no_sideways_scroll
):
    leader = new_page()
    sign_in(leader, DEMO_TEACHER_LEADER, DEMO_PASSWORD)
    _plan_the_year(leader, ui, axe_check)
    _vote_and_fix_themes(leader, ui, axe_check)
    # The next meeting that is still more than a day away (the demo year is 2026-2027).
    meeting = (
        Meeting.objects.filter(
            community__name=DEMO_PLG, starts_at__gt=timezone.now() + dt.timedelta(days=1)
        )
        .order_by("number")
        .first()
    )
    assert meeting is not None, "the demo school year has no meeting left to request absence for"
    _assign_preparers(leader, meeting, ui, axe_check)

    # A participant, on a phone, asks to be excused.
    member = new_page(viewport=PHONE, has_touch=True)
    sign_in(member, PARTICIPANT, DEMO_PASSWORD)
    member.goto(f"/meeting/{meeting.pk}/")
    member.locator("textarea[name=reason]").fill("Ouderavond van mijn eigen kind.")
    member.get_by_role("button", name=ui("Request absence")).click()
    expect(member.get_by_role("main")).to_contain_text(
        ui("Your absence request is waiting for the team leader's decision.")
    )
    assert_no_sideways_scroll(member)
    axe_check(member)

    # The team leader finds it in the navigation and approves it.
    boss = new_page()
    sign_in(boss, TEAM_LEADER, DEMO_PASSWORD)
    boss.get_by_role("navigation", name=ui("Main navigation")).get_by_role(
        "link", name=ui("Absence requests")
    ).click()
    row = boss.get_by_role("main").locator("tr", has_text="Fatima El Amrani").first
    expect(row).to_contain_text("Ouderavond van mijn eigen kind.")
    axe_check(boss)
    row.get_by_role("button").first.click()
    expect(_message(boss)).to_be_visible()
    axe_check(boss)

    # The participant sees the approval; the teacher leader never sees the reason.
    member.reload()
    expect(member.get_by_role("main")).to_contain_text(
        ui("Your absence request has been approved.")
    )
    axe_check(member)
    leader.goto(f"/meeting/{meeting.pk}/")
    expect(leader.get_by_role("main")).to_contain_text("Fatima El Amrani")
    expect(leader.get_by_role("main")).not_to_contain_text("Ouderavond")
