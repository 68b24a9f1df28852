"""The main pages of the load benchmark run as many queries in a large school as in a small one.

The same pages as `make bench` (tests.bench.load.main_pages), each opened by the same persona in
a school of 2 PLGs x 4 members and in one of 20 PLGs x 40 members (all in one team, so the team
leader's lists grow tenfold too): a query inside a loop over PLGs, members, meetings, groups or
reports shows up as a difference.
"""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from tests.bench.load import Page, main_pages
from tests.bench.reports import AFTER_THE_YEAR
from tests.bench.school import build_school
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

SMALL = {"plgs": 2, "members": 4}
LARGE = {"plgs": 20, "members": 40}
PAGES = [
    "Mijn PLG's (dashboard)",
    "PLG page",
    "year view",
    "meeting page",
    "live screen",
    "team meeting (reports)",
    "yearly report",
    "iCalendar feed",
]


@pytest.fixture
def after_the_year():
    """Build and read both schools as the year stands at its end, like the benchmark."""
    with time_machine.travel(AFTER_THE_YEAR, tick=False):
        yield


def _queries(page: Page) -> int:
    """Count one GET of the page as its persona, after a first GET that fills any caches."""
    client = Client()
    if page.user is not None:
        client.force_login(page.user)
    client.get(page.path)
    return count_queries(client, page.path)


def _page(pages: list[Page], name: str) -> Page:
    return next(page for page in pages if page.name == name)


def _both(name: str) -> tuple[int, int]:
    small = build_school(**SMALL, plgs_per_team=20, name="Klein College")
    large = build_school(**LARGE, plgs_per_team=20, name="Groot College")
    return (
        _queries(_page(main_pages(small), name)),
        _queries(_page(main_pages(large), name)),
    )


def test_page_list_matches_the_benchmark(after_the_year):
    school = build_school(**SMALL, name="Lijst College")
    assert [page.name for page in main_pages(school)] == PAGES


def test_dashboard_queries_do_not_grow_with_the_school(after_the_year):
    small, large = _both("Mijn PLG's (dashboard)")
    assert small == large


def test_plg_page_queries_do_not_grow_with_the_school(after_the_year):
    small, large = _both("PLG page")
    assert small == large


def test_year_view_queries_do_not_grow_with_the_school(after_the_year):
    small, large = _both("year view")
    assert small == large


def test_meeting_page_queries_do_not_grow_with_the_school(after_the_year):
    small, large = _both("meeting page")
    assert small == large


def test_live_screen_queries_do_not_grow_with_the_school(after_the_year):
    small, large = _both("live screen")
    assert small == large


def test_team_meeting_queries_do_not_grow_with_the_school(after_the_year):
    small, large = _both("team meeting (reports)")
    assert small == large


def test_yearly_report_queries_do_not_grow_with_the_school(after_the_year):
    small, large = _both("yearly report")
    assert small == large


def test_calendar_feed_queries_do_not_grow_with_the_school(after_the_year):
    small, large = _both("iCalendar feed")
    assert small == large


@pytest.mark.parametrize("persona", ["team leader", "programme lead"])
def test_dashboard_of_those_who_oversee_plgs_does_not_grow_with_the_school(after_the_year, persona):
    counts = []
    for size, name in ((SMALL, "Klein College"), (LARGE, "Groot College")):
        school = build_school(**size, plgs_per_team=20, name=name)
        user = school.team_leaders[0] if persona == "team leader" else school.programme_lead
        counts.append(_queries(Page(persona, "/", user)))
    assert counts[0] == counts[1]
