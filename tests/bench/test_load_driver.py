"""The load benchmark's pieces work without running locust: pages, sessions, stats, the table."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.bench.load import (
    LAYOUT_ONLY,
    TRIVIAL,
    CpuSample,
    Stats,
    bench_database_url,
    bench_redis_url,
    count_page_queries,
    cpu_sample,
    cpu_split,
    cpu_table,
    locust_spec,
    main_pages,
    read_locust_stats,
    reference_pages,
    results_table,
    session_cookies,
    verdict,
)
from tests.bench.reports import AFTER_THE_YEAR
from tests.bench.school import build_school

STATS_CSV = (
    '"Type","Name","Request Count","Failure Count","Median Response Time",'
    '"Average Response Time","Min Response Time","Max Response Time","Average Content Size",'
    '"Requests/s","Failures/s","50%","66%","75%","80%","90%","95%","98%","99%","99.9%",'
    '"99.99%","100%"\n'
    '"GET","year view","400","0","41","45.2","12","300","11949","20.5","0.0",'
    '"41","50","55","60","80","120","200","250","300","300","300"\n'
    '"","Aggregated","400","0","41","45.2","12","300","11949","20.5","0.0",'
    '"41","50","55","60","80","120","200","250","300","300","300"\n'
)


@pytest.fixture
def school(db):
    with time_machine.travel(AFTER_THE_YEAR, tick=False):
        yield build_school(plgs=2, members=4)


def test_bench_database_defaults_to_the_throwaway_postgresql_database():
    assert bench_database_url({}) == "postgres://postgres@127.0.0.1:5432/plg_bench_load"


def test_bench_database_never_takes_a_database_without_bench_in_its_name():
    url = bench_database_url({"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/plg_ci"})
    assert url == "postgres://postgres@127.0.0.1:5432/plg_ci_bench_load"


def test_bench_redis_defaults_to_its_own_database_unless_given():
    assert bench_redis_url({}) == "redis://127.0.0.1:6379/14"
    assert bench_redis_url({"REDIS_URL": "redis://r:6379/2"}) == "redis://r:6379/2"
    assert (
        bench_redis_url({"REDIS_URL": "redis://r:6379/2", "BENCH_REDIS_URL": "redis://b:6379/3"})
        == "redis://b:6379/3"
    )


def test_bench_database_refuses_sqlite():
    with pytest.raises(SystemExit):
        bench_database_url({"DATABASE_URL": "sqlite:///db.sqlite3"})


def test_every_main_page_answers_its_persona(school):
    pages = main_pages(school, index=1)
    assert len(pages) == 8
    for page in [*reference_pages(pages), *pages]:
        client = Client()
        if page.user is not None:
            client.force_login(page.user)
        response = client.get(page.path)
        assert response.status_code == 200, page


def test_the_references_are_the_trivial_view_and_the_layout_only_privacy_page(school):
    pages = main_pages(school)
    trivial, layout = reference_pages(pages)
    assert (trivial.name, trivial.path) == (TRIVIAL, "/robots.txt")
    assert (layout.name, layout.path) == (LAYOUT_ONLY, "/privacy/")
    assert trivial.user == layout.user == pages[0].user


def test_signed_in_sessions_open_the_pages_with_the_cookie_alone(school):
    pages = main_pages(school)
    cookies = session_cookies([page.user for page in pages])
    assert len(cookies) == 2  # the teacher leader and the team leader
    spec = locust_spec("PLG page", [pages[1]], cookies)
    variant = spec["variants"][0]
    assert Client().get(variant["path"], HTTP_COOKIE=variant["cookie"]).status_code == 200


def test_calendar_feed_goes_without_a_session(school):
    feed = main_pages(school)[-1]
    spec = locust_spec(feed.name, [feed], {})
    assert spec["variants"][0]["cookie"] is None
    assert Client().get(feed.path)["Content-Type"].startswith("text/calendar")


def test_trivial_view_is_robots_txt_that_keeps_search_engines_out(client):
    response = client.get("/robots.txt")
    assert response.content == b"User-agent: *\nDisallow: /\n"
    assert response["Content-Type"].startswith("text/plain")


def test_locust_stats_are_read_from_the_csv(tmp_path):
    path = tmp_path / "year_stats.csv"
    path.write_text(STATS_CSV)
    stats = read_locust_stats(path, "year view")
    assert (stats.requests, stats.failures, stats.rps, stats.p50, stats.p95) == (
        400,
        0,
        20.5,
        41.0,
        120.0,
    )


def test_verdict_names_each_missed_target():
    trivial = Stats(TRIVIAL, 1000, 0, 100.0, 10, 30)
    assert verdict(Stats("fast", 600, 0, 60.0, 20, 90), trivial) == "ok"
    assert verdict(Stats("slow", 300, 2, 30.0, 90, 200), trivial) == (
        "< 50% of trivial; p95 >= 150 ms; 2 failed"
    )


def test_verdict_reads_the_p95_target_from_the_paced_run_when_there_is_one():
    trivial = Stats(TRIVIAL, 1000, 0, 100.0, 10, 30)
    saturated_slow = Stats("page", 600, 0, 60.0, 120, 400, paced_p50=40, paced_p95=90)
    assert verdict(saturated_slow, trivial) == "ok"
    paced_slow = Stats("page", 600, 0, 60.0, 20, 90, paced_p50=100, paced_p95=160)
    assert verdict(paced_slow, trivial) == "p95 >= 150 ms"


def test_results_table_shows_the_ratio_to_the_trivial_view():
    table = results_table(
        [Stats(TRIVIAL, 1000, 0, 100.0, 10, 30, 2), Stats("PLG page", 400, 0, 40.0, 50, 140, 8)]
    )
    assert "| trivial view (robots.txt) | 2 | 1000 | 100.0 | 1.00 | 10 | 30 | - | - | ok |" in table
    assert "| PLG page | 8 | 400 | 40.0 | 0.40 | 50 | 140 | - | - | < 50% of trivial |" in table


def test_results_table_shows_the_paced_run_next_to_the_saturated_one():
    table = results_table(
        [
            Stats(TRIVIAL, 1000, 0, 100.0, 10, 30, 2, paced_p50=4, paced_p95=9),
            Stats("PLG page", 600, 0, 60.0, 50, 140, 8, paced_p50=20, paced_p95=45),
        ]
    )
    assert "| PLG page | 8 | 600 | 60.0 | 0.60 | 50 | 140 | 20 | 45 | ok |" in table


def test_each_persona_sends_the_session_and_csrf_cookies_a_signed_in_browser_has(school):
    cookies = session_cookies([main_pages(school)[0].user])
    (header,) = cookies.values()
    names = [part.split("=", 1)[0] for part in header.split("; ")]
    assert names == sorted([settings.CSRF_COOKIE_NAME, settings.SESSION_COOKIE_NAME])


def test_cpu_split_gives_each_part_per_request_and_the_rest_of_the_machine():
    before = CpuSample(machine=10.0, server=4.0, driver=1.0)
    after = CpuSample(machine=12.0, server=5.0, driver=1.5)

    split = cpu_split(before, after, requests=200)

    assert split == pytest.approx({"server": 5.0, "driver": 2.5, "rest": 2.5, "machine": 10.0})
    assert cpu_split(before, after, requests=0) == {}


def test_cpu_sample_counts_the_servers_work_and_a_finished_child_as_the_driver():
    before = cpu_sample(os.getpid())
    sum(range(3_000_000))
    subprocess.run([sys.executable, "-c", "sum(range(3_000_000))"], check=True)  # noqa: S603
    after = cpu_sample(os.getpid())

    assert after.server > before.server
    assert after.driver > before.driver
    assert after.machine >= before.machine


def test_cpu_table_lists_the_pages_that_were_measured():
    measured = Stats(
        "year view",
        10,
        0,
        1.0,
        40,
        80,
        cpu={"server": 8.0, "driver": 1.0, "rest": 2.3, "machine": 11.3},
    )
    table = cpu_table([measured, Stats("not measured", 1, 0, 1.0, 1, 1)])

    assert table.splitlines()[0].startswith("| page | Django (gunicorn) ms | locust ms |")
    assert table.splitlines()[2:] == ["| year view | 8.0 | 1.0 | 2.3 | 11.3 |"]


def test_the_queries_column_counts_the_page_built_afresh_even_when_it_is_kept(school, settings):
    settings.PAGE_CACHE_SECONDS = 60
    plg_page = main_pages(school)[1]
    cookies = session_cookies([plg_page.user])
    browser = Client(HTTP_COOKIE=cookies[plg_page.user.pk])
    browser.get(plg_page.path)  # built and kept for this session
    with CaptureQueriesContext(connection) as kept:
        assert browser.get(plg_page.path).status_code == 200

    built = count_page_queries(plg_page, cookies)

    assert len(kept) == 3  # session, user, versions
    assert built > len(kept)
