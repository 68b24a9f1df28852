"""The yearly report's rendered body is cached under a digest of what it shows: a change of the
stored data (retention, erasure), of the reader's right to names or of the language shows at
once; every opening is still audit-logged; a failing cache only costs the rendering."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from casework.erasure import yearly_highlights_delete
from casework.models import YearlyReport
from casework.selectors.yearly_pages import body_cache_key
from casework.services.yearly import yearly_report_request
from communities.models import AuditAction, AuditEvent
from tests.casework.yearly_world import HIGHLIGHT, build_year


@pytest.fixture
def plg_report(
    django_capture_on_commit_callbacks,
    world,
    meetings,
    teacher_leader,
    development_team,
    participant,
    expert,
    school_admin,
) -> YearlyReport:
    build_year(
        world, meetings, tom=teacher_leader, dana=development_team, pia=participant, expert=expert
    )
    with django_capture_on_commit_callbacks(execute=True):
        report = yearly_report_request(
            actor=school_admin,
            school_year=world.school_year,
            scope="plg",
            community=world.community,
        )
    report.refresh_from_db()
    return report


def _page(client, report: YearlyReport) -> str:
    response = client.get(reverse("casework:yearly_report", args=[report.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_erasing_the_highlights_shows_on_the_next_opening(client_as, plg_report, world):
    client = client_as("team_leader")
    assert HIGHLIGHT in _page(client, plg_report)
    assert HIGHLIGHT in _page(client, plg_report)  # now from the cache

    yearly_highlights_delete([world.school_year.pk])

    assert HIGHLIGHT not in _page(client, plg_report)


def test_a_rewritten_report_shows_its_new_data(client_as, plg_report):
    client = client_as("team_leader")
    assert "Bram Beta" in _page(client, plg_report)
    data = plg_report.data
    for row in data["members"]["rows"]:
        if row["name"] == "Bram Beta":
            row["name"] = "Renamed Person"
    YearlyReport.objects.filter(pk=plg_report.pk).update(data=data)

    page = _page(client, plg_report)

    assert "Bram Beta" not in page
    assert "Renamed Person" in page


def test_a_reader_without_names_never_gets_the_body_with_names(client_as, plg_report):
    assert "Bram Beta" in _page(client_as("team_leader"), plg_report)
    assert "Bram Beta" not in _page(client_as("school_admin"), plg_report)


def test_the_key_changes_with_data_names_and_language(plg_report):
    data = plg_report.data
    with translation.override("nl"):
        key = body_cache_key(data, show_names=True)
        assert body_cache_key({**data}, show_names=True) == key
        assert body_cache_key(data, show_names=False) != key
        assert body_cache_key({**data, "highlights": []}, show_names=True) != key
    with translation.override("en"):
        assert body_cache_key(data, show_names=True) != key


def test_every_opening_is_audit_logged_also_from_the_cache(client_as, plg_report):
    client = client_as("team_leader")
    _page(client, plg_report)
    _page(client, plg_report)
    assert AuditEvent.objects.filter(action=AuditAction.YEARLY_REPORT_OPENED).count() == 2


def test_a_failing_cache_still_shows_the_report(client_as, plg_report, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get", down)
    monkeypatch.setattr(cache, "set", down)

    assert HIGHLIGHT in _page(client_as("team_leader"), plg_report)
