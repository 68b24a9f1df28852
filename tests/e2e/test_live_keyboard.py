"""The live facilitation screen with the keyboard only: a teacher leader starts the meeting, moves
the phases forward and back, opens a small group's screen, types a note and sets a score with the
arrow keys (both saved as they go), and closes the meeting. Every control is reached with Tab or
Shift+Tab, shows a visible focus ring, is operated with Enter or Space, and Tab leaves every
control again (no keyboard trap)."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from playwright.sync_api import Locator, Page, expect

from casework.models import PhaseNote, SmallGroup
from casework.services.cases import case_save
from casework.services.groups import groups_split
from communities.models import Membership
from meetings.models import Meeting
from tests.e2e import DEMO_PASSWORD

pytestmark = pytest.mark.browser
CARE_PLG = "PLG Begeleiding zorgleerlingen"
TEACHER_LEADER = "teacherleader3@demo.plg.nl"
NOTE = "Wat zegt de leerling zelf over de pauze"
# Enough presses to pass every control of the live screen (about thirty) more than once.
MAX_TABS = 120
# Tabs one control may keep the focus for: a date field's day, month, year and calendar button.
SAME_CONTROL_TABS = 4
# What the focused element shows: an outline (house style) or Bootstrap's focus shadow.
FOCUS_RING = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  const style = getComputedStyle(element);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
  const shadow = style.boxShadow && style.boxShadow !== "none";
  return {
    ring: outline || Boolean(shadow),
    label: (element.tagName + " " + (element.id || element.getAttribute("href") || "") + " "
            + (element.innerText || element.value || "").trim()).slice(0, 80),
  };
}"""
# Every control a keyboard user must be able to reach on the page as it is now.
CONTROLS = """() => Array.from(document.querySelectorAll(
    "a[href], button, input:not([type=hidden]), select, textarea, [tabindex]:not([tabindex='-1'])"
  )).filter((element) => !element.disabled && element.getClientRects().length > 0
    && getComputedStyle(element).visibility !== "hidden")
  .map((element, index) => {
    element.dataset.kbd = String(index);
    return element.dataset.kbd;
  })"""


@pytest.fixture
def live_meeting(demo_school) -> Meeting:
    """Meeting 3 of the demo's planned PLG, on today, with two cases split into small groups."""
    call_command("seed_demo_calendar", stdout=StringIO())
    meeting = Meeting.objects.get(community__name=CARE_PLG, number=3)
    participants = [
        membership.user
        for membership in Membership.objects.filter(
            community=meeting.community, is_participant=True, is_teacher_leader=False
        ).select_related("user")
    ]
    for number, presenter in enumerate(participants[:2], start=1):
        case_save(
            meeting=meeting,
            presenter=presenter,
            data={
                "title": f"Casus {number}",
                "situation": "Een leerling loopt weg na de pauze.",
                "question": "Hoe houd ik hem in de les?",
                "names_left_out": True,
            },
            submit=True,
        )
    leader = Membership.objects.get(community=meeting.community, user__email=TEACHER_LEADER).user
    # It began two minutes ago, today still (even just after midnight: it runs on its own day).
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=max(timezone.now() - dt.timedelta(minutes=2), today)
    )
    meeting.refresh_from_db()
    groups_split(meeting=meeting, actor=leader)
    return meeting


def _focused(page: Page) -> dict | None:
    return page.evaluate(FOCUS_RING)


def _tab_to(page: Page, target: Locator, *, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until `target` has the focus; each stop must show a focus ring."""
    key = "Shift+Tab" if backwards else "Tab"
    for _press in range(MAX_TABS):
        if target.evaluate("(element) => element === document.activeElement"):
            return
        page.keyboard.press(key)
        focused = _focused(page)
        if focused is not None:
            assert focused["ring"], f"no visible focus on {focused}"
    pytest.fail(f"{key} never reached {target} on {page.url}")


def _assert_no_trap(page: Page) -> None:
    """Tab through the whole page: every control gets the focus, and the focus moves on."""
    page.locator("body").focus()
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    controls = set(page.evaluate(CONTROLS))
    reached: list[str] = []
    for _press in range(MAX_TABS):
        page.keyboard.press("Tab")
        current = page.evaluate("() => document.activeElement.dataset.kbd || null")
        if current is not None and reached and current == reached[0]:
            break  # round the page once
        if current is not None:
            # A date field takes a Tab per part (day, month, year), and the page's last control
            # keeps the focus for one press while it visits the browser's own controls; more
            # presses on one control is a trap.
            stuck = reached[-SAME_CONTROL_TABS:] == [current] * SAME_CONTROL_TABS
            assert not stuck, "the focus is stuck on " + page.evaluate(
                "(kbd) => document.querySelector(`[data-kbd='${kbd}']`).outerHTML.slice(0, 300)",
                current,
            )
            reached.append(current)
    assert controls <= set(reached), f"never reached with Tab: {controls - set(reached)}"


def _saved(status: Locator) -> None:
    with translation.override("nl"):
        dutch = translation.gettext("Saved {time}").split("{time}")[0].strip()
    expect(status).to_have_text(re.compile(f"^({re.escape(dutch)}|Saved)"))


def test_the_live_screen_works_with_the_keyboard_only(
    live_meeting: Meeting, page: Page, sign_in, axe_check, ui
) -> None:
    sign_in(page, TEACHER_LEADER, DEMO_PASSWORD)
    page.goto(f"/meeting/{live_meeting.pk}/live/")
    main = page.get_by_role("main")

    # Start the meeting with Enter.
    start = main.get_by_role("button", name=ui("Start the meeting"))
    _tab_to(page, start)
    page.keyboard.press("Enter")
    expect(page.locator("[data-timer]")).to_be_visible()
    axe_check(page)
    _assert_no_trap(page)

    # Phase 0 -> 1 with Space; then back with Shift+Tab to "Previous phase" and Enter, and on.
    next_phase = main.get_by_role("button", name=ui("Next phase"))
    _tab_to(page, next_phase)
    page.keyboard.press("Space")
    expect(page.locator("#phase-heading")).to_contain_text("1")
    page.locator("body").focus()
    _tab_to(page, next_phase)
    _tab_to(page, main.get_by_role("button", name=ui("Previous phase")), backwards=True)
    page.keyboard.press("Enter")
    expect(main.get_by_role("button", name=ui("Previous phase"))).to_have_count(0)
    _tab_to(page, next_phase)
    page.keyboard.press("Enter")
    expect(main.get_by_role("button", name=ui("Previous phase"))).to_be_visible()
    # The timer counts down on its own: a live region, no control to operate.
    expect(page.locator("[data-timer-text]")).to_have_text(re.compile(r"\d+:\d\d"))

    # A small group's screen: its phase buttons, a typed note and a score set with the arrows.
    group = SmallGroup.objects.filter(meeting=live_meeting).order_by("number").first()
    _tab_to(page, main.locator(f"a[href$='/live/group/{group.pk}/']"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(str(group))
    axe_check(page)
    _assert_no_trap(page)
    note = main.locator("form[data-note-form] textarea").first
    _tab_to(page, note)
    page.keyboard.type(NOTE)
    _saved(main.locator("form[data-note-form]").first.locator("[data-note-status]"))
    _tab_to(page, main.get_by_role("button", name=ui("Next phase")))
    page.keyboard.press("Enter")
    expect(page.locator(".live-current")).to_contain_text("2")
    _tab_to(page, main.locator("a.nav-link[href='?phase=4']"))
    page.keyboard.press("Enter")
    score = page.locator("#note-score")
    _tab_to(page, score)
    for _step in range(7):
        page.keyboard.press("ArrowUp")
    expect(score).to_have_value("7")
    _saved(page.locator("#status-score"))
    assert PhaseNote.objects.get(group=group, field="score").text == "7"
    assert PhaseNote.objects.filter(group=group, text=NOTE).exists()

    # Back on the main screen through the breadcrumb, on to phase 6, and close with Enter.
    _tab_to(
        page,
        page.get_by_role("navigation", name=ui("Breadcrumb")).get_by_role(
            "link", name=ui("Live screen")
        ),
    )
    page.keyboard.press("Enter")
    for _phase in range(2, 7):
        page.locator("body").focus()
        _tab_to(page, main.get_by_role("button", name=ui("Next phase")))
        page.keyboard.press("Enter")
        page.wait_for_load_state()
    close = main.get_by_role("button", name=ui("Close the meeting"))
    expect(close).to_be_visible()
    axe_check(page)
    _assert_no_trap(page)
    note = page.locator("#note-went_well")
    _tab_to(page, note)
    page.keyboard.type("Iedereen kwam aan het woord.")
    _saved(page.locator("#status-went_well"))
    page.locator("body").focus()
    _tab_to(page, close)
    page.keyboard.press("Enter")
    expect(close).to_have_count(0)
