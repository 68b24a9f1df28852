"""The in-process CPU benchmark's pieces: the page list it keeps, the timing loop, the table."""

from __future__ import annotations

import pytest
import time_machine

from tests.bench.cpu import WARM_UP, cpu_ms_per_page, load_pages, results_table, save_pages
from tests.bench.load import LAYOUT_ONLY, TRIVIAL, Page, main_pages, reference_pages
from tests.bench.reports import AFTER_THE_YEAR
from tests.bench.school import build_school


@pytest.fixture
def pages(db):
    with time_machine.travel(AFTER_THE_YEAR, tick=False):
        school = build_school(plgs=2, members=4)
        main = main_pages(school)
    return [*reference_pages(main), *main]


def test_the_kept_page_list_reads_back_with_its_users(pages, tmp_path):
    path = tmp_path / "pages.json"
    save_pages(pages, path)
    assert load_pages(path) == pages


def test_every_page_is_timed_the_asked_number_of_times_after_a_first_request(pages):
    times = cpu_ms_per_page(pages[:3], repeat=2)
    assert list(times) == [page.name for page in pages[:3]]
    assert all(len(values) == 2 and min(values) > 0 for values in times.values())


def test_a_change_before_every_request_raises_the_platform_version_each_time(pages):
    from communities.models import PageVersion
    from communities.page_cache import PLATFORM

    cpu_ms_per_page(pages[:2], repeat=2, page_cache_seconds=60, changed=True)

    assert PageVersion.objects.get(scope=PLATFORM).version == 2 * (2 + WARM_UP)


def test_a_page_that_does_not_answer_200_stops_the_run(pages):
    missing = Page("missing page", "/no-such-page/", pages[0].user)
    with pytest.raises(SystemExit, match="missing page: /no-such-page/ answered 404"):
        cpu_ms_per_page([missing], repeat=1)


def test_the_table_gives_each_page_as_a_multiple_of_both_references():
    table = results_table({TRIVIAL: [2.0, 4.0], LAYOUT_ONLY: [5.0, 7.0], "meeting page": [18.0]})
    lines = table.splitlines()
    assert lines[2] == f"| {TRIVIAL} | 3.0 | 2.0 | 1.0 | 0.5 |"
    assert lines[3] == f"| {LAYOUT_ONLY} | 6.0 | 5.0 | 2.0 | 1.0 |"
    assert lines[4] == "| meeting page | 18.0 | 18.0 | 6.0 | 3.0 |"
