"""A case session end to end: a presenter submits a work case; the teacher leader makes the small
groups and runs the meeting through phases 0-6 on the live screen, recording a scale score and a
first small step; the presenter writes a private reflection; a preparer makes the phase-6 report
final; the team leader reads it at the team meeting and never sees the reflection."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from casework.models import MeetingReport, PhaseNote, Reflection, SmallGroup
from meetings.models import Meeting, MeetingStatus
from tests.e2e import DEMO_PASSWORD

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
CARE_PLG = "PLG Begeleiding zorgleerlingen"
PRESENTER = "deelnemer7@demo.plg.nl"
TEACHER_LEADER = "teacherleader3@demo.plg.nl"
PREPARER = "ontwikkelteam3@demo.plg.nl"
TEAM_LEADER = "teamleider@demo.plg.nl"
CASE_TITLE = "Een leerling die na de pauze wegloopt"
FIRST_STEP = "Ik begin de les na de pauze met vijf minuten stillezen."
PRIVATE_WORDS = "Alleen voor mij: ik twijfel of ik dit volhoud."


@pytest.fixture
def care_meeting(demo_school) -> Meeting:
    """Meeting 3 of the demo's planned PLG, moved to tomorrow so the journey runs on any date."""
    call_command("seed_demo_calendar", stdout=StringIO())
    meeting = Meeting.objects.get(community__name=CARE_PLG, number=3)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() + dt.timedelta(days=1))
    return meeting


def _saved(field_status) -> None:
    with translation.override("nl"):
        dutch = translation.gettext("Saved {time}").split("{time}")[0].strip()
    expect(field_status).to_have_text(re.compile(f"^({re.escape(dutch)}|Saved)"))


def _submit_case_on_a_phone(page: Page, meeting: Meeting, ui, sign_in, axe_check, wide) -> None:
    sign_in(page, PRESENTER, DEMO_PASSWORD)
    page.get_by_role("main").get_by_role("link", name=CARE_PLG).click()
    page.get_by_role("link", name=ui("Year plan")).click()
    page.get_by_role("main").locator(f"a[href='/meeting/{meeting.pk}/']").first.click()
    page.get_by_role("link", name=ui("Write a work case")).click()
    axe_check(page)
    wide(page)
    page.locator("input[name=title]").fill(CASE_TITLE)
    page.locator("textarea[name=situation]").fill(
        "Een leerling uit 2 vmbo loopt na de pauze weg zodra het druk wordt in de klas."
    )
    page.locator("textarea[name=question]").fill("Hoe help ik hem om in de les te blijven?")
    page.locator("input[name=names_left_out]").check()
    page.get_by_role("button", name=ui("Submit to the meeting")).click()
    expect(page.get_by_role("main")).to_contain_text(CASE_TITLE)
    axe_check(page)


def _make_groups(leader: Page, meeting: Meeting, ui, axe_check) -> SmallGroup:
    leader.goto(f"/meeting/{meeting.pk}/")
    leader.locator("#casework-groups").get_by_role("link", name=ui("Small groups")).click()
    leader.get_by_role("button", name=ui("Make the groups")).click()
    expect(leader.get_by_role("main")).to_contain_text(CASE_TITLE)
    axe_check(leader)
    return SmallGroup.objects.get(meeting=meeting, case__title=CASE_TITLE)


def _run_the_meeting(leader: Page, meeting: Meeting, group: SmallGroup, ui, axe_check) -> None:
    leader.goto(f"/meeting/{meeting.pk}/")
    leader.get_by_role("link", name=ui("Open the live screen")).click()
    leader.get_by_role("button", name=ui("Start the meeting")).click()
    expect(leader.locator(".live-timer, [data-timer]").first).to_be_visible()
    axe_check(leader)
    leader.get_by_role("button", name=ui("Next phase")).first.click()  # phase 1: small groups
    expect(leader.get_by_role("link", name=re.compile(str(group)))).to_be_visible()
    leader.goto(f"/meeting/{meeting.pk}/live/group/{group.pk}/")
    expect(leader.get_by_role("main")).to_contain_text(CASE_TITLE)
    axe_check(leader)

    leader.locator("a.nav-link[href='?phase=4']").click()
    leader.locator("#note-score").fill("7")
    _saved(leader.locator("#status-score"))
    leader.locator("a.nav-link[href='?phase=5']").click()
    leader.locator("#note-first_step").fill(FIRST_STEP)
    _saved(leader.locator("#status-first_step"))
    axe_check(leader)

    leader.goto(f"/meeting/{meeting.pk}/live/")
    for _phase in range(2, 7):
        leader.get_by_role("button", name=ui("Next phase")).first.click()
        leader.wait_for_load_state()
    leader.locator("#note-went_well").fill("Iedereen kwam aan het woord.")
    _saved(leader.locator("#status-went_well"))
    axe_check(leader)
    leader.get_by_role("button", name=ui("Close the meeting")).click()
    expect(leader.get_by_role("button", name=ui("Close the meeting"))).to_have_count(0)


def _write_private_reflection(page: Page, meeting: Meeting, ui, axe_check, wide) -> None:
    page.goto(f"/meeting/{meeting.pk}/")
    page.get_by_role("link", name=ui("Write your reflection")).click()
    axe_check(page)
    page.locator("textarea[name=learned]").fill(PRIVATE_WORDS)
    expect(page.locator("input[name=shared]")).not_to_be_checked()
    page.get_by_role("button", name=ui("Save my reflection")).click()
    # Saved, it shows among the presenter's own reflections (reached from the navigation too).
    expect(page.get_by_role("heading", level=1)).to_have_text(ui("My reflections"))
    expect(page.get_by_role("main")).to_contain_text(PRIVATE_WORDS)
    axe_check(page)
    wide(page)


def _finalise_report(preparer: Page, meeting: Meeting, ui, axe_check) -> None:
    preparer.goto(f"/meeting/{meeting.pk}/")
    preparer.get_by_role("button", name=ui("Compile the draft from the notes")).click()
    expect(preparer.locator("textarea[name=first_steps]")).to_contain_text(FIRST_STEP)
    expect(preparer.locator("textarea[name=scores]")).to_contain_text("7")
    axe_check(preparer)
    finalise = preparer.locator("form[action$='/report/finalise/']")
    finalise.locator("input[type=checkbox]").check()
    finalise.get_by_role("button", name=ui("Make final")).click()
    expect(preparer.get_by_role("main")).to_contain_text(FIRST_STEP)
    expect(preparer.locator("textarea[name=first_steps]")).to_have_count(0)
    axe_check(preparer)


def _read_at_team_meeting(page: Page, meeting: Meeting, ui, sign_in, axe_check) -> None:
    sign_in(page, TEAM_LEADER, DEMO_PASSWORD)
    page.get_by_role("navigation", name=ui("Main navigation")).get_by_role(
        "link", name=ui("Team meeting")
    ).click()
    axe_check(page)
    page.get_by_role("main").get_by_role("link").filter(has_text="Bovenbouw").first.click()
    row = page.locator("tr", has_text=CARE_PLG)
    expect(row).to_have_count(1)
    axe_check(page)
    row.get_by_role("link").first.click()
    expect(page.get_by_role("main")).to_contain_text(FIRST_STEP)
    expect(page.get_by_role("main")).not_to_contain_text(PRIVATE_WORDS)
    axe_check(page)
    page.go_back()
    page.locator("tr", has_text=CARE_PLG).get_by_role("button").click()
    expect(page.locator("#waiting-heading")).to_contain_text("0")


def test_a_case_session_from_case_to_team_meeting(
    care_meeting, new_page, sign_in, axe_check, ui, assert_no_sideways_scroll
) -> None:
    presenter = new_page(viewport=PHONE)
    _submit_case_on_a_phone(
        presenter, care_meeting, ui, sign_in, axe_check, assert_no_sideways_scroll
    )

    # The clock reaches the meeting: it began two minutes ago (today still, even just after
    # midnight: a meeting is run on its own day).
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    Meeting.objects.filter(pk=care_meeting.pk).update(
        starts_at=max(timezone.now() - dt.timedelta(minutes=2), today)
    )
    leader = new_page()
    sign_in(leader, TEACHER_LEADER, DEMO_PASSWORD)
    group = _make_groups(leader, care_meeting, ui, axe_check)
    _run_the_meeting(leader, care_meeting, group, ui, axe_check)
    assert PhaseNote.objects.get(group=group, field="score").text == "7"

    _write_private_reflection(presenter, care_meeting, ui, axe_check, assert_no_sideways_scroll)
    assert not Reflection.objects.get(meeting=care_meeting).shared

    preparer = new_page()
    sign_in(preparer, PREPARER, DEMO_PASSWORD)
    _finalise_report(preparer, care_meeting, ui, axe_check)
    care_meeting.refresh_from_db()
    assert care_meeting.status == MeetingStatus.REPORTED

    _read_at_team_meeting(new_page(), care_meeting, ui, sign_in, axe_check)
    assert MeetingReport.objects.get(meeting=care_meeting).discussed_at is not None
