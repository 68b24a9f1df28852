"""The yearly report end to end: a team leader finds "Yearly reports" in the navigation, compiles
the report of a PLG, sees its charts, downloads it as PDF and as CSV (neither holds a private
reflection), and reads it on a phone without sideways scrolling."""

from __future__ import annotations

import io
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from casework.models import (
    CaseStatus,
    NextStep,
    NoteField,
    PhaseNote,
    Reflection,
    SmallGroup,
    StepStatus,
    WorkCase,
)
from communities.models import Community, Membership
from meetings.management.commands.seed_demo_calendar import DEMO_PLG
from meetings.models import Attendance, AttendanceStatus, MeetingStatus
from tests.e2e import DEMO_PASSWORD

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
TEAM_LEADER = "teamleider@demo.plg.nl"
PRIVATE_WORDS = "YEARLY-JOURNEY-PRIVATE-REFLECTION"


@pytest.fixture
def year_with_work(demo_school) -> Community:
    """The demo PLG with two meetings held: attendance, three cases with scores and steps."""
    call_command("seed_demo_calendar", stdout=StringIO())
    community = Community.objects.get(name=DEMO_PLG)
    members = [
        membership.user
        for membership in Membership.objects.group_members()
        .filter(community=community)
        .select_related("user")
        .order_by("user__email")
    ]
    first, second = community.meetings.order_by("number")[:2]
    for meeting in (first, second):
        meeting.status = MeetingStatus.HELD
        meeting.save(update_fields=["status"])
        for index, member in enumerate(members):
            status = AttendanceStatus.EXCUSED if index == 0 else AttendanceStatus.PRESENT
            Attendance.objects.create(meeting=meeting, member=member, status=status)
    for number, (presenter, score, step) in enumerate(
        zip(
            members[1:4],
            ("5", "7", "8"),
            (StepStatus.DONE, StepStatus.PARTLY, StepStatus.NOT_DONE),
            strict=True,
        ),
        start=1,
    ):
        case = WorkCase.objects.create(
            meeting=second,
            presenter=presenter,
            title=f"Casus {number}",
            situation="Situatie",
            question="Vraag",
            status=CaseStatus.SUBMITTED,
            submitted_at=timezone.now(),
        )
        group = SmallGroup.objects.create(meeting=second, number=number, case=case)
        PhaseNote.objects.create(meeting=second, group=group, field=NoteField.SCORE, text=score)
        note = PhaseNote.objects.create(
            meeting=second, group=group, field=NoteField.FIRST_STEP, text="Stap"
        )
        NextStep.objects.create(note=note, meeting=second, presenter=presenter, status=step)
    Reflection.objects.create(meeting=second, author=members[1], learned=PRIVATE_WORDS)
    return community


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _download(page: Page, name) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("link", name=name).click()
    download = info.value
    with open(download.path(), "rb") as handle:
        return handle.read()


def test_team_leader_compiles_reads_and_downloads_the_yearly_report(
    page: Page, new_page, year_with_work, sign_in, axe_check, ui, assert_no_sideways_scroll
):
    sign_in(page, TEAM_LEADER, DEMO_PASSWORD)
    page.get_by_role("navigation", name=ui("Main navigation")).get_by_role(
        "link", name=ui("Yearly reports")
    ).click()
    axe_check(page)
    page.get_by_role("main").get_by_role("link", name=DEMO_PLG).click()
    axe_check(page)
    page.get_by_role("button", name=ui("Compile the yearly report")).click()

    # Celery runs eagerly in tests, so the report is ready when the page comes back.
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", name=ui("Attendance over the year"))).to_be_visible()
    charts = main.locator("figure svg[role=img]")
    expect(charts).to_have_count(3)
    expect(main.locator("table").first).to_be_visible()
    axe_check(page)
    report_url = page.url

    pdf = _download(page, ui("Download as PDF"))
    assert pdf.startswith(b"%PDF")
    pdf_text = _pdf_text(pdf)
    assert DEMO_PLG in pdf_text
    assert PRIVATE_WORDS not in pdf_text

    csv_bytes = _download(page, ui("Download as CSV"))
    assert csv_bytes.startswith("\ufeff".encode())
    csv_text = csv_bytes.decode("utf-8-sig")
    assert DEMO_PLG in csv_text
    assert PRIVATE_WORDS not in csv_text

    phone = new_page(viewport=PHONE)
    sign_in(phone, TEAM_LEADER, DEMO_PASSWORD)
    phone.goto(report_url)
    expect(phone.get_by_role("main").locator("figure svg[role=img]")).to_have_count(3)
    assert_no_sideways_scroll(phone)
    axe_check(phone)
