"""Pages of the phase-6 report and the team meeting: who sees what, print, PDF, query budgets."""

from __future__ import annotations

import io
import sys

import pytest
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from pypdf import PdfReader

from casework.models import MeetingReport, SmallGroup
from casework.services.reports import report_compile, report_finalise, report_save
from meetings.models import Meeting, MeetingStatus
from tests.casework.conftest import make_case
from tests.casework.report_notes import (
    REFLECTION_MARKER,
    THEME,
)
from tests.factories import CommunityFactory, UserFactory
from tests.helpers import assert_login_redirect, count_queries
from tests.personas import OUTSIDERS, SIGNED_IN

WRITERS = {"teacher_leader", "development_team"}
# A final report: the PLG's group members, the team's leader and the programme lead.
READS_FINAL = {"participant", "teacher_leader", "development_team", "team_leader", "school_admin"}
REPORT_PAGES = ["report", "report_print", "report_pdf"]


def _url(name: str, pk: int | None = None) -> str:
    return reverse(f"casework:{name}", kwargs={"pk": pk} if pk is not None else None)


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


# Who sees the report ------------------------------------------------------------------------


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_writers_open_a_meeting_without_report(client_as, noted, persona) -> None:
    response = client_as(persona).get(_url("report", noted.meeting.pk))

    assert response.status_code == (200 if persona in WRITERS else 404)


@pytest.mark.parametrize("page", REPORT_PAGES)
@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_writers_read_a_draft(client_as, draft, persona, page) -> None:
    response = client_as(persona).get(_url(page, draft.meeting_id))

    assert response.status_code == (200 if persona in WRITERS else 404)


@pytest.mark.parametrize("page", REPORT_PAGES)
@pytest.mark.parametrize("persona", SIGNED_IN)
def test_final_report_is_read_by_the_plg_and_its_leaders(client_as, final, persona, page) -> None:
    response = client_as(persona).get(_url(page, final.meeting_id))

    assert response.status_code == (200 if persona in READS_FINAL else 404)


@pytest.mark.parametrize("name", ["report", "report_print", "report_pdf", "team_meetings"])
def test_anonymous_visitor_is_sent_to_sign_in(client, final, name) -> None:
    url = _url(name) if name == "team_meetings" else _url(name, final.meeting_id)

    assert_login_redirect(client.get(url))


def test_anonymous_visitor_of_the_team_meeting_is_sent_to_sign_in(client, final, world) -> None:
    assert_login_redirect(client.get(_url("team_meeting", world.team.pk)))


@pytest.mark.parametrize("name", ["report_compile", "report_finalise", "report_discussed"])
def test_anonymous_post_is_sent_to_sign_in_and_changes_nothing(client, draft, name) -> None:
    assert_login_redirect(client.post(_url(name, draft.meeting_id), {"finalise-confirm": "on"}))
    assert MeetingReport.objects.get().status == "draft"


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_get_404_on_every_report_url(client_as, final, persona, world) -> None:
    client = client_as(persona)
    pk = final.meeting_id
    for name in REPORT_PAGES:
        assert client.get(_url(name, pk)).status_code == 404
    for name in ["report_compile", "report_finalise", "report_discussed"]:
        assert client.post(_url(name, pk)).status_code == 404
    assert client.get(_url("team_meeting", world.team.pk)).status_code == 404


def test_unknown_meeting_is_404(client_as, final) -> None:
    assert client_as("teacher_leader").get(_url("report", 999_999)).status_code == 404


# Compiling, editing, making final -----------------------------------------------------------


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_writers_compile_the_draft(client_as, noted, persona) -> None:
    response = client_as(persona).post(_url("report_compile", noted.meeting.pk))

    assert response.status_code == (302 if persona in WRITERS else 404)
    assert MeetingReport.objects.exists() == (persona in WRITERS)


def test_compile_before_the_meeting_shows_a_message(client_as, session, teacher_leader) -> None:
    client = client_as("teacher_leader")

    response = client.post(_url("report_compile", session.meeting.pk), follow=True)

    assert response.status_code == 200
    assert "alert-danger" in response.content.decode()
    assert not MeetingReport.objects.exists()


def test_compiling_again_needs_the_tick(client_as, draft, development_team) -> None:
    report_save(report=draft, actor=development_team, data={"cases": "EDITED"}, base_version=1)
    client = client_as("development_team")

    client.post(_url("report_compile", draft.meeting_id))
    assert MeetingReport.objects.get().cases == "EDITED"

    client.post(_url("report_compile", draft.meeting_id), {"compile-confirm": "on"})
    assert "Restless class after the break" in MeetingReport.objects.get().cases


def test_writer_edits_the_draft(client_as, draft) -> None:
    data = {name: f"NEW {name}" for name in MeetingReport.SECTIONS}

    response = client_as("development_team").post(
        _url("report", draft.meeting_id), {**data, "version": 1}
    )

    assert response["Location"] == _url("report", draft.meeting_id)
    stored = MeetingReport.objects.get()
    assert stored.evaluation == "NEW evaluation"
    assert stored.version == 2


def test_save_from_an_older_version_shows_both_versions(client_as, draft, noted) -> None:
    report_save(
        report=draft, actor=noted.second_dev, data={"evaluation": "THEIR WORDS"}, base_version=1
    )

    response = client_as("development_team").post(
        _url("report", draft.meeting_id), {"evaluation": "MY WORDS", "version": 1}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "THEIR WORDS" in page
    assert "MY WORDS" in page
    assert "Dirk Devteam" in page
    assert 'name="version" value="2"' in page  # saving again now keeps the writer's text
    assert MeetingReport.objects.get().evaluation == "THEIR WORDS"


def test_too_long_section_is_shown_on_the_form(client_as, draft) -> None:
    response = client_as("development_team").post(
        _url("report", draft.meeting_id), {"cases": "x" * 20_001, "version": 1}
    )

    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    assert MeetingReport.objects.get().version == 1


def test_post_to_a_final_report_changes_nothing(client_as, final) -> None:
    response = client_as("development_team").post(
        _url("report", final.meeting_id), {"cases": "LATE", "version": 2}
    )

    assert response.status_code == 302
    assert MeetingReport.objects.get().cases != "LATE"


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_writers_make_the_report_final(client_as, draft, persona) -> None:
    response = client_as(persona).post(
        _url("report_finalise", draft.meeting_id),
        {"finalise-confirm": "on", "finalise-version": 1},
    )

    assert response.status_code == (302 if persona in WRITERS else 404)
    assert MeetingReport.objects.get().is_final == (persona in WRITERS)


def test_making_final_needs_the_tick(client_as, draft) -> None:
    client_as("development_team").post(
        _url("report_finalise", draft.meeting_id), {"finalise-version": 1}
    )

    assert not MeetingReport.objects.get().is_final


def test_making_final_from_the_page_sets_the_meeting_reported(client_as, draft) -> None:
    client_as("teacher_leader").post(
        _url("report_finalise", draft.meeting_id),
        {"finalise-confirm": "on", "finalise-version": 1},
    )

    assert MeetingReport.objects.get().is_final
    draft.meeting.refresh_from_db()
    assert draft.meeting.status == MeetingStatus.REPORTED


# Privacy: what the pages show ---------------------------------------------------------------


def test_draft_page_shows_the_compiled_text_without_case_text_or_reflections(
    client_as, draft
) -> None:
    page = client_as("development_team").get(_url("report", draft.meeting_id)).content.decode()

    assert "Restless class after the break" in page
    assert "FIRST-STEP-ONE" in page
    assert "SITUATION of" not in page
    assert REFLECTION_MARKER not in page


@pytest.mark.parametrize("page", ["report", "report_print"])
def test_final_pages_hold_no_reflection_or_case_text(client_as, final, page) -> None:
    html = client_as("team_leader").get(_url(page, final.meeting_id)).content.decode()

    assert THEME in html
    assert "Restless class after the break" in html
    assert REFLECTION_MARKER not in html
    assert "SITUATION of" not in html
    assert "PERSONAL-YIELD" not in html


def test_pdf_is_a_real_pdf_with_the_report_text(client_as, final) -> None:
    response = client_as("team_leader").get(_url("report_pdf", final.meeting_id))

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Content-Disposition"].endswith('-2-2026-09-29.pdf"')
    assert response.content.startswith(b"%PDF")
    text = _pdf_text(response.content)
    assert THEME in text
    assert "Restless class after the break" in text
    assert "FIRST-STEP-ONE" in text
    assert REFLECTION_MARKER not in text
    assert "SITUATION of" not in text


def test_draft_pdf_says_it_is_a_draft(client_as, draft) -> None:
    response = client_as("development_team").get(_url("report_pdf", draft.meeting_id))

    assert response.content.startswith(b"%PDF")
    assert REFLECTION_MARKER not in _pdf_text(response.content)


def test_without_pdf_libraries_the_pdf_link_falls_back_to_the_print_page(
    client_as, final, monkeypatch
) -> None:
    # A server without Pango: importing WeasyPrint fails with OSError.
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    client = client_as("team_leader")

    response = client.get(_url("report_pdf", final.meeting_id), follow=True)

    assert response.redirect_chain[-1][0] == _url("report_print", final.meeting_id)
    assert (
        gettext("A PDF cannot be made on this server right now. Print this page to PDF instead.")
        in response.content.decode()
    )


def test_print_page_carries_the_print_stylesheet(client_as, final) -> None:
    page = client_as("participant").get(_url("report_print", final.meeting_id)).content.decode()

    # A linked stylesheet: the Content Security Policy blocks inline <style> on web pages.
    assert "css/report-sheet.css" in page
    assert "<style" not in page
    assert 'class="d-print-none"' in page


# The meeting page panel ---------------------------------------------------------------------


def test_meeting_page_offers_the_writer_to_compile(client_as, noted) -> None:
    page = client_as("development_team").get(reverse("meetings:meeting", args=[noted.meeting.pk]))

    assert f'action="{_url("report_compile", noted.meeting.pk)}"' in page.content.decode()


def test_meeting_page_offers_no_compile_before_the_meeting(client_as, session, teacher_leader):
    page = client_as("teacher_leader").get(reverse("meetings:meeting", args=[session.meeting.pk]))

    assert _url("report_compile", session.meeting.pk) not in page.content.decode()


@pytest.mark.parametrize("persona", ["participant", "team_leader", "school_admin"])
def test_meeting_page_links_readers_to_a_final_report_only(client_as, draft, persona) -> None:
    client = client_as(persona)
    meeting_url = reverse("meetings:meeting", args=[draft.meeting_id])
    assert _url("report", draft.meeting_id) not in client.get(meeting_url).content.decode()

    report_finalise(report=draft, actor=draft.updated_by)

    assert _url("report", draft.meeting_id) in client.get(meeting_url).content.decode()


def test_meeting_6_lists_the_years_reports(client_as, final, meetings) -> None:
    page = client_as("participant").get(reverse("meetings:meeting", args=[meetings[5].pk]))

    html = page.content.decode()
    assert _url("report", meetings[1].pk) in html  # final: linked
    assert _url("report", meetings[2].pk) not in html  # no report yet
    assert html.count(gettext("not final yet")) == 4  # meetings 1, 3, 4 and 5
    for earlier in meetings[:5]:
        assert reverse("meetings:meeting", args=[earlier.pk]) in html
    assert "✓ " + str(MeetingStatus.REPORTED.label) in html


def test_other_meetings_have_no_year_overview(client_as, final, meetings) -> None:
    html = (
        client_as("participant")
        .get(reverse("meetings:meeting", args=[meetings[4].pk]))
        .content.decode()
    )

    assert 'id="year-reports-heading"' not in html


def test_meeting_6_does_not_link_a_draft(client_as, draft, meetings) -> None:
    html = (
        client_as("participant")
        .get(reverse("meetings:meeting", args=[meetings[5].pk]))
        .content.decode()
    )

    assert _url("report", meetings[1].pk) not in html


# The team meeting ---------------------------------------------------------------------------


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_team_leaders_open_the_team_meeting_list(client_as, final, persona) -> None:
    response = client_as(persona).get(_url("team_meetings"))

    assert response.status_code == (200 if persona == "team_leader" else 404)


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_the_teams_leaders_open_its_team_meeting(client_as, final, world, persona) -> None:
    response = client_as(persona).get(_url("team_meeting", world.team.pk))

    assert response.status_code == (200 if persona == "team_leader" else 404)


def test_leader_of_another_team_gets_404(client, final, world) -> None:
    other_leader = UserFactory(email="boss@college.example")
    world.other_team.leaders.add(other_leader)
    client.force_login(other_leader)

    assert client.get(_url("team_meeting", world.team.pk)).status_code == 404
    assert client.post(_url("report_discussed", final.meeting_id)).status_code == 404


def test_team_meeting_list_counts_reports_waiting(client_as, final, world) -> None:
    page = client_as("team_leader").get(_url("team_meetings")).content.decode()

    assert _url("team_meeting", world.team.pk) in page
    waiting = ngettext(
        "%(counter)s report not yet discussed", "%(counter)s reports not yet discussed", 1
    ) % {"counter": 1}
    assert waiting in page


def test_team_leader_sees_no_draft_but_the_final_report(
    client_as, draft, world, development_team
) -> None:
    client = client_as("team_leader")
    url = _url("team_meeting", world.team.pk)
    assert client.get(_url("report", draft.meeting_id)).status_code == 404
    assert _url("report", draft.meeting_id) not in client.get(url).content.decode()

    report_finalise(report=draft, actor=development_team)

    page = client.get(url).content.decode()
    assert _url("report", draft.meeting_id) in page
    assert _url("report_discussed", draft.meeting_id) in page
    assert THEME in page
    assert REFLECTION_MARKER not in page


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_only_team_leaders_mark_reports_discussed(client_as, final, persona) -> None:
    response = client_as(persona).post(_url("report_discussed", final.meeting_id))

    assert response.status_code == (302 if persona == "team_leader" else 404)
    assert (MeetingReport.objects.get().discussed_at is not None) == (persona == "team_leader")


def test_marking_discussed_moves_the_report_to_recently_discussed(
    client_as, final, world, team_leader
) -> None:
    client = client_as("team_leader")

    response = client.post(_url("report_discussed", final.meeting_id))

    assert response["Location"] == _url("team_meeting", world.team.pk)
    stored = MeetingReport.objects.get()
    assert stored.discussed_by == team_leader
    page = client.get(response["Location"]).content.decode()
    assert _url("report_discussed", final.meeting_id) not in page
    assert _url("report", final.meeting_id) in page


def test_draft_cannot_be_marked_discussed(client_as, draft) -> None:
    assert client_as("team_leader").post(
        _url("report_discussed", draft.meeting_id)
    ).status_code == (404)


def test_navigation_shows_team_meeting_to_team_leaders_only(client_as, world) -> None:
    leader_page = client_as("team_leader").get(reverse("communities:dashboard")).content.decode()
    assert _url("team_meetings") in leader_page


def test_navigation_hides_team_meeting_from_participants(client_as, world) -> None:
    page = client_as("participant").get(reverse("communities:dashboard")).content.decode()
    assert _url("team_meetings") not in page


# Query budgets ------------------------------------------------------------------------------


def _more_groups(session, count: int) -> None:
    """Extra small groups with cases and notes, so the compiled report grows."""
    for index in range(count):
        presenter = UserFactory(email=f"extra{index}@lyceum.example")
        case = make_case(session.meeting, presenter, f"Extra case {index}")
        SmallGroup.objects.create(meeting=session.meeting, number=10 + index, case=case)


@pytest.mark.parametrize("persona", ["development_team", "team_leader"])
def test_report_page_queries_do_not_grow_with_groups(
    client_as, noted, development_team, persona
) -> None:
    report = report_compile(meeting=noted.meeting, actor=development_team)
    if persona == "team_leader":
        report_finalise(report=report, actor=development_team)
    client = client_as(persona)
    url = _url("report", noted.meeting.pk)
    small = count_queries(client, url)

    _more_groups(noted, 5)
    MeetingReport.objects.all().delete()
    report = report_compile(meeting=noted.meeting, actor=development_team)
    if persona == "team_leader":
        report_finalise(report=report, actor=development_team)

    assert "Extra case 4" in MeetingReport.objects.get().cases
    assert count_queries(client, url) == small
    assert small <= 12  # session, user, meeting, access (7), report, navigation


def test_team_meeting_queries_do_not_grow_with_reports_or_plgs(
    client_as, final, world, meetings, teacher_leader
) -> None:
    client = client_as("team_leader")
    url = _url("team_meeting", world.team.pk)
    small = count_queries(client, url)
    list_small = count_queries(client, _url("team_meetings"))

    # Three more final reports, in two more PLGs of the team.
    for name, numbers in [("Rekenen", [1, 2]), ("Taal", [3])]:
        community = CommunityFactory(team=world.team, school_year=world.school_year, name=name)
        for number in numbers:
            meeting = Meeting.objects.create(
                community=community, number=number, starts_at=meetings[number - 1].starts_at
            )
            MeetingReport.objects.create(
                meeting=meeting, status="final", finalised_at=meeting.starts_at, cases="c"
            )

    assert MeetingReport.objects.filter(status="final").count() == 4
    assert count_queries(client, url) == small
    assert count_queries(client, _url("team_meetings")) == list_small
    assert small <= 6  # session, user, team, the reports (both lists), navigation, unread count
    assert list_small <= 5  # the navigation's unread notifications count included
