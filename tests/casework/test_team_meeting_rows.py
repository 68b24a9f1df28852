"""The team meeting's page reads its rows in plain SQL (casework.selectors.reports.
team_meeting_rows): held here to the ORM lists of `team_meeting_reports` it stands for."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework.models import MeetingReport
from casework.selectors.reports import (
    RECENTLY_DISCUSSED,
    get_led_team,
    team_meeting_reports,
    team_meeting_rows,
)
from meetings.models import Meeting, Theme
from tests.factories import CommunityFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 9, 1, 13, 30, tzinfo=dt.UTC)


@pytest.fixture
def reports(world):
    """Final reports waiting and discussed (more than the page lists), drafts, and reports of
    another team; some meetings without a theme, one marked by a leader since erased."""
    leader = UserFactory(email="leader@lyceum.example", name="Lotte Leader")
    nameless = UserFactory(email="nameless@lyceum.example", name="")
    erased = UserFactory(email="erased@lyceum.example", name="Erased Leader")
    erased.deleted_at = START
    erased.save()
    theme = Theme.objects.create(school=world.school, title="Formatief evalueren")
    other_team = TeamFactory(school=world.school, name="Bovenbouw")
    markers = [leader, nameless, erased, None]
    made = 0
    for index, (team, plgs) in enumerate([(world.team, 4), (other_team, 1)]):
        for plg in range(plgs):
            community = CommunityFactory(
                team=team, school_year=world.school_year, name=f"PLG {index}-{plg}"
            )
            for number in range(1, 7):
                made += 1
                starts_at = START + dt.timedelta(days=7 * made)
                meeting = Meeting.objects.create(
                    community=community,
                    number=number,
                    starts_at=starts_at,
                    theme=theme if number % 2 else None,
                )
                status = "draft" if number == 6 else "final"
                discussed = number in (1, 2, 3)
                MeetingReport.objects.create(
                    meeting=meeting,
                    status=status,
                    # Two reports made final at the same moment: the id decides.
                    finalised_at=START + dt.timedelta(days=made // 2)
                    if status == "final"
                    else None,
                    discussed_at=START + dt.timedelta(days=100 + made % 5) if discussed else None,
                    discussed_by=markers[made % 4] if discussed else None,
                )
    return erased


def _orm(team) -> dict[str, list[tuple]]:
    lists = team_meeting_reports(team)
    return {
        name: [
            (
                report.pk,
                report.meeting_id,
                str(report.meeting),
                report.meeting.community.name,
                report.meeting.starts_at,
                report.meeting.theme.title if report.meeting.theme else None,
                report.finalised_at,
                report.discussed_at,
                report.discussed_by.display_name if report.discussed_by else None,
            )
            for report in reports
        ]
        for name, reports in lists.items()
    }


def _sql(team) -> dict[str, list[tuple]]:
    return {
        name: [
            (
                row.report_id,
                row.meeting_id,
                row.meeting,
                row.plg,
                row.starts_at,
                row.theme,
                row.finalised_at,
                row.discussed_at,
                row.discussed_by,
            )
            for row in rows
        ]
        for name, rows in team_meeting_rows(team).items()
    }


@pytest.mark.parametrize("which", ["team", "other_team"])
def test_rows_are_the_orm_lists(world, reports, which):
    team = world.team if which == "team" else world.school.teams.get(name="Bovenbouw")

    rows = _sql(team)

    assert rows == _orm(team)
    if which == "team":
        assert len(rows["waiting"]) == 4 * 2
        assert len(rows["discussed"]) == RECENTLY_DISCUSSED
        names = {row[-1] for row in rows["discussed"]}
        assert names >= {"Lotte Leader", "nameless@lyceum.example", reports.display_name, None}


def test_rows_of_a_team_without_reports_are_empty(world):
    assert team_meeting_rows(world.team) == {"waiting": [], "discussed": []}


def test_rows_link_to_the_reports_pages(world, reports):
    row = team_meeting_rows(world.team)["waiting"][0]
    assert row.read_url == reverse("casework:report", kwargs={"pk": row.meeting_id})
    assert row.print_url == reverse("casework:report_print", kwargs={"pk": row.meeting_id})
    assert row.pdf_url == reverse("casework:report_pdf", kwargs={"pk": row.meeting_id})
    assert row.discussed_url == reverse("casework:report_discussed", kwargs={"pk": row.meeting_id})


def test_rows_show_times_in_the_same_time_zone(world, reports):
    row = team_meeting_rows(world.team)["waiting"][0]
    assert timezone.is_aware(row.starts_at) and timezone.is_aware(row.finalised_at)


def test_a_led_team_opens_with_its_school_in_one_query(world, team_leader, school_admin) -> None:
    with CaptureQueriesContext(connection) as queries:
        team = get_led_team(team_leader, world.team.pk)
    assert len(queries) == 1
    assert team == world.team
    assert team.school == world.school  # cached: no second query
    assert len(queries) == 1


@pytest.mark.parametrize("pk", ["other", "missing", 2**63, -(2**63) - 1])
def test_another_team_or_an_impossible_id_is_not_found(world, team_leader, pk) -> None:
    ids = {"other": world.other_team.pk, "missing": world.other_team.pk + 100}
    with pytest.raises(Http404):
        get_led_team(team_leader, ids.get(pk, pk))


def test_a_programme_lead_who_leads_no_team_is_not_let_in(world, school_admin) -> None:
    with pytest.raises(Http404):
        get_led_team(school_admin, world.team.pk)
