"""The team-meeting packet: a final report's PDF is made in the background, and the team leader
downloads every final report not yet discussed as one PDF."""

from __future__ import annotations

import io
import sys

import pytest
from django.urls import reverse
from django.utils.translation import gettext
from pypdf import PdfReader

from casework.models import MeetingReport
from casework.services.reports import (
    report_compile,
    report_finalise,
    report_mark_discussed,
    report_pdf_render,
)
from casework.tasks import report_render
from meetings.models import MeetingPreparer
from tests.casework.report_notes import REFLECTION_MARKER, THEME
from tests.personas import SIGNED_IN


def _text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _packet_url(world) -> str:
    return reverse("casework:team_packet", args=[world.team.pk])


def test_making_a_report_final_renders_its_pdf_in_the_background(
    draft, development_team, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        report_finalise(report=draft, actor=development_team)

    assert len(callbacks) == 1
    stored = MeetingReport.objects.get()
    assert stored.pdf_rendered_at is not None
    content = stored.pdf.read()
    assert content.startswith(b"%PDF")
    assert THEME in _text(content)
    assert REFLECTION_MARKER not in _text(content)


def test_rendering_a_draft_does_nothing(draft) -> None:
    assert report_render.delay(report_id=draft.pk).get() is False
    assert not MeetingReport.objects.get().pdf


def test_rendering_twice_keeps_one_current_pdf(final) -> None:
    assert report_pdf_render(report_id=final.pk)
    first = MeetingReport.objects.get().pdf.name
    assert report_pdf_render(report_id=final.pk)

    stored = MeetingReport.objects.get()
    assert stored.pdf.name != first
    assert not stored.pdf.storage.exists(first)


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_the_teams_leaders_download_the_packet(client_as, final, world, persona) -> None:
    response = client_as(persona).get(_packet_url(world))

    assert response.status_code == (200 if persona == "team_leader" else 404)


def test_packet_holds_the_waiting_reports_oldest_first(
    client_as, final, world, development_team, before_the_year
) -> None:
    later = world.community.meetings.get(number=3)
    before_the_year.move_to(later.ends_at)
    MeetingPreparer.objects.create(meeting=later, user=development_team)
    report_finalise(
        report=report_compile(meeting=later, actor=development_team), actor=development_team
    )
    report_pdf_render(report_id=final.pk)  # one stored, one rendered on the fly

    response = client_as("team_leader").get(_packet_url(world))

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    reader = PdfReader(io.BytesIO(response.content))
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert titles == [
        f"{world.community.name}: {final.meeting}",
        f"{world.community.name}: {later}",
    ]
    assert REFLECTION_MARKER not in _text(response.content)


def test_packet_leaves_out_discussed_reports(client_as, final, world, team_leader) -> None:
    report_mark_discussed(report=final, actor=team_leader)

    response = client_as("team_leader").get(_packet_url(world), follow=True)

    assert response.redirect_chain[-1][0] == reverse("casework:team_meeting", args=[world.team.pk])
    assert gettext("No final reports are waiting to be discussed.") in response.content.decode()


def test_team_meeting_page_links_the_packet(client_as, final, world) -> None:
    page = client_as("team_leader").get(reverse("casework:team_meeting", args=[world.team.pk]))

    assert _packet_url(world) in page.content.decode()


def test_without_pdf_libraries_the_packet_explains_instead_of_failing(
    client_as, final, world, monkeypatch
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)

    response = client_as("team_leader").get(_packet_url(world), follow=True)

    assert (
        gettext("A PDF cannot be made on this server right now. Print each report instead.")
        in response.content.decode()
    )
