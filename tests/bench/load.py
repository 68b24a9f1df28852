"""Load benchmark: the main pages under 20 signed-in users, next to a trivial view, on gunicorn.

Run with ``make bench`` or ``.venv/bin/python -m tests.bench.load [--plgs 50] [--members 14]
[--users 20] [--seconds 20] [--workers 5] [--keep]`` (needs ``pip install -e ".[bench]"`` for
locust). It drops and creates a throwaway PostgreSQL database (BENCH_DATABASE_URL, else
DATABASE_URL's server, else postgres://postgres@127.0.0.1:5432/plg_bench_load; a name without
"bench" in it gets a ``_bench_load`` suffix so a real database is never touched), migrates it,
builds a school with `tests.bench.school.build_school`, compiles the yearly reports and signs the
users in up front (session cookies, no login form under load). Then it serves the app with
gunicorn under the production settings (DEBUG off, Redis as the broker) and runs locust headless
once per page, each time with `--users` concurrent users that ask for that page without pause,
against the same server: the trivial view (robots.txt: the middleware and a session lookup,
no page work) first, so every page's throughput is shown as a ratio to the stack's own limit,
then the privacy page (the layout and the navigation with static text: what a page costs before
it shows any data). For each saturated run it also prints where the machine's CPU went per
request: gunicorn, locust, and the rest (PostgreSQL, Redis, the system).
Not collected by pytest: speed depends on the machine, so it is measured here, not asserted.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent.parent
OUT_DIR = BASE_DIR / "var" / "bench-load"
LOCUSTFILE = Path(__file__).with_name("locustfile.py")
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/plg_bench_load"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"
TRIVIAL = "trivial view (robots.txt)"
# A page with the layout and the navigation and only static text of its own: what any page costs
# before it shows any data. Measured next to the trivial view as a second reference.
LAYOUT_ONLY = "privacy page (layout only)"
# The targets of issue 7: half the trivial view's throughput, p95 under 150 ms.
TARGET_RATIO = 0.5
TARGET_P95_MS = 150
# The meeting every persona opens: mid-year, held and reported, with groups and notes.
MEETING_NUMBER = 3


@dataclass(frozen=True)
class Page:
    """One page of the benchmark as one persona opens it (user None: a secret link)."""

    name: str
    path: str
    user: Any | None


@dataclass
class Stats:
    """What locust measured for one page."""

    name: str
    requests: int
    failures: int
    rps: float
    p50: float
    p95: float
    queries: int | None = None
    # The same page under --users users with think time (--paced-wait): what 20 people clicking
    # through the site at once see. None when that run was not made.
    paced_p50: float | None = None
    paced_p95: float | None = None
    # Where the machine's CPU went in the saturated run, in ms per request (see cpu_split).
    cpu: dict[str, float] | None = None


@dataclass(frozen=True)
class CpuSample:
    """CPU seconds used so far: by the whole machine, by gunicorn, by finished locust runs."""

    machine: float
    server: float
    driver: float


CPU_PARTS = {
    "server": "Django (gunicorn)",
    "driver": "locust",
    "rest": "PostgreSQL, Redis and the rest",
    "machine": "whole machine",
}


def bench_database_url(environ: dict[str, str] | None = None, *, kind: str = "load") -> str:
    """Return the database URL to drop and fill: never one whose name lacks 'bench'."""
    environ = os.environ if environ is None else environ
    url = (
        environ.get("BENCH_DATABASE_URL")
        or environ.get("DATABASE_URL")
        or DEFAULT_DATABASE_URL.replace("_load", f"_{kind}")
    )
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        raise SystemExit(f"make bench needs PostgreSQL, not {parts.scheme}: set BENCH_DATABASE_URL")
    name = parts.path.lstrip("/") or "plg"
    if "bench" not in name:
        name = f"{name}_bench_{kind}"
    return urlunsplit(parts._replace(path=f"/{name}"))


def bench_redis_url(environ: dict[str, str] | None = None) -> str:
    """Return the Redis the benchmarks' server uses: BENCH_REDIS_URL, REDIS_URL or database 14."""
    environ = os.environ if environ is None else environ
    return environ.get("BENCH_REDIS_URL") or environ.get("REDIS_URL") or DEFAULT_REDIS_URL


def server_environment(*, database_url: str, redis_url: str, static_root: Path) -> dict[str, str]:
    """Return the environment of the production settings for a plain-HTTP local server."""
    return {
        "DJANGO_SETTINGS_MODULE": "plg_platform.settings.production",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": secrets.token_urlsafe(50),
        # testserver: the driver counts each page's queries with Django's test client.
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        # Locust speaks plain HTTP to the local server; behind a proxy TLS ends there.
        "SECURE_SSL_REDIRECT": "False",
        "STATIC_ROOT": str(static_root),
        "EMAIL_URL": "consolemail://",
        "LOG_LEVEL": "WARNING",
    }


def main_pages(school: Any, *, index: int = 0) -> list[Page]:
    """Return the main pages of issue 7 as the persona of PLG number `index` opens them.

    A teacher leader of the PLG opens its pages (the live screen shows them the whole meeting);
    the team leader of its team opens the team meeting and the PLG's yearly report.
    """
    from django.urls import reverse

    from communities.models import Membership
    from meetings.models import Meeting
    from meetings.services.calendar import calendar_feed_create

    community = school.communities[index % len(school.communities)]
    leader = (
        Membership.objects.filter(community=community, is_teacher_leader=True)
        .select_related("user")
        .order_by("pk")
        .first()
        .user
    )
    team_leader = school.team_leaders[school.teams.index(community.team)]
    meeting = Meeting.objects.get(community=community, number=MEETING_NUMBER)
    feed = calendar_feed_create(user=leader)
    report = compiled_yearly_report(community=community, actor=team_leader)
    return [
        Page("Mijn PLG's (dashboard)", reverse("communities:dashboard"), leader),
        Page("PLG page", reverse("communities:detail", args=[community.pk]), leader),
        Page("year view", reverse("meetings:year_plan", args=[community.pk]), leader),
        Page("meeting page", reverse("meetings:meeting", args=[meeting.pk]), leader),
        Page("live screen", reverse("casework:live", args=[meeting.pk]), leader),
        Page(
            "team meeting (reports)",
            reverse("casework:team_meeting", args=[community.team_id]),
            team_leader,
        ),
        Page("yearly report", reverse("casework:yearly_report", args=[report.pk]), team_leader),
        Page("iCalendar feed", reverse("meetings:calendar_feed", args=[feed.token]), None),
    ]


def build_personas(*, plgs: int, members: int, users: int) -> list[list[Page]]:
    """Migrate the fresh database, build the school in it, and return `users` personas' pages.

    The school is built as the year stands at its end: every meeting held, reported and
    reflected on. The database is analysed afterwards, as autovacuum would do on a live one.
    """
    import time_machine
    from django.core.management import call_command
    from django.db import connection

    from tests.bench.reports import AFTER_THE_YEAR
    from tests.bench.school import build_school

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    with time_machine.travel(AFTER_THE_YEAR, tick=True):
        school = build_school(plgs=plgs, members=members)
        personas = [main_pages(school, index=index) for index in range(users)]
    # The planner needs statistics; a freshly filled database has none and estimates wildly
    # (seen: seconds of difference per run).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"Built {plgs} PLGs x {members} members in {time.perf_counter() - started:.0f} s")
    return personas


def trivial_page(pages: list[Page]) -> Page:
    """Return the trivial view, asked for by the first signed-in persona of `pages`."""
    from django.urls import reverse

    return Page(TRIVIAL, reverse("robots_txt"), pages[0].user)


def reference_pages(pages: list[Page]) -> list[Page]:
    """Return the trivial view and the layout-only page, as the first persona asks for them."""
    from django.urls import reverse

    return [trivial_page(pages), Page(LAYOUT_ONLY, reverse("privacy"), pages[0].user)]


def compiled_yearly_report(*, community: Any, actor: Any) -> Any:
    """Return the PLG's compiled yearly report, compiling it here (no worker) when missing."""
    from casework.models import YearlyReport, YearlyReportScope, YearlyReportStatus
    from casework.services.yearly import yearly_report_compile

    done = YearlyReport.objects.filter(
        scope=YearlyReportScope.PLG, community=community, status=YearlyReportStatus.DONE
    ).first()
    if done is not None:
        return done
    # Created directly, not through yearly_report_request: that would queue a task as well.
    report = YearlyReport.objects.create(
        scope=YearlyReportScope.PLG,
        school_id=community.school_year.school_id,
        school_year=community.school_year,
        community=community,
        requested_by=actor,
    )
    if not yearly_report_compile(report_id=report.pk):
        raise RuntimeError(f"yearly report {report.pk} did not compile")
    report.refresh_from_db()
    return report


def session_cookies(users: list[Any]) -> dict[int, str]:
    """Sign each user in once and return, by user id, the Cookie header their browser then
    sends: the session cookie and the CSRF cookie (a browser has it from the sign-in form;
    here the privacy page's sign-out form hands it out)."""
    from django.test import Client

    cookies: dict[int, str] = {}
    for user in users:
        if user is None or user.pk in cookies:
            continue
        client = Client()
        client.force_login(user)
        client.get("/privacy/")  # its sign-out form hands out the CSRF cookie
        cookies[user.pk] = "; ".join(
            f"{name}={morsel.value}" for name, morsel in sorted(client.cookies.items())
        )
    return cookies


def locust_spec(name: str, variants: list[Page], cookies: dict[int, str]) -> dict[str, Any]:
    """Return what the locustfile reads: the page's name and one (path, Cookie header) per
    persona."""
    return {
        "name": name,
        "variants": [
            {"path": page.path, "cookie": cookies.get(page.user.pk) if page.user else None}
            for page in variants
        ],
    }


def read_locust_stats(path: Path, name: str) -> Stats:
    """Read the row of `name` from locust's --csv ``_stats.csv`` file."""
    with path.open(newline="") as handle:
        for row in csv.DictReader(handle):
            if row["Name"] == name:
                return Stats(
                    name=name,
                    requests=int(row["Request Count"]),
                    failures=int(row["Failure Count"]),
                    rps=float(row["Requests/s"]),
                    p50=float(row["50%"]),
                    p95=float(row["95%"]),
                )
    raise ValueError(f"{path} has no row for {name!r}")


def verdict(stats: Stats, trivial: Stats) -> str:
    """Say which of issue 7's targets the page misses, or 'ok'.

    Throughput is compared at saturation (no think time); the p95 target is read from the paced
    run when there is one (20 users with think time), else from the saturated run.
    """
    misses = []
    if trivial.rps and stats.rps / trivial.rps < TARGET_RATIO:
        misses.append(f"< {TARGET_RATIO:.0%} of trivial")
    p95 = stats.p95 if stats.paced_p95 is None else stats.paced_p95
    if p95 >= TARGET_P95_MS:
        misses.append(f"p95 >= {TARGET_P95_MS} ms")
    if stats.failures:
        misses.append(f"{stats.failures} failed")
    return "; ".join(misses) or "ok"


def results_table(results: list[Stats]) -> str:
    """Return the results as a Markdown table, the trivial view (the first row) as 1.00."""
    trivial = results[0]
    lines = [
        "| page | queries | requests | req/s | ratio to trivial | p50 ms | p95 ms "
        "| paced p50 ms | paced p95 ms | target |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for stats in results:
        ratio = stats.rps / trivial.rps if trivial.rps else 0.0
        queries = "-" if stats.queries is None else str(stats.queries)
        paced = [
            "-" if value is None else f"{value:.0f}" for value in (stats.paced_p50, stats.paced_p95)
        ]
        lines.append(
            f"| {stats.name} | {queries} | {stats.requests} | {stats.rps:.1f} | {ratio:.2f} "
            f"| {stats.p50:.0f} | {stats.p95:.0f} | {paced[0]} | {paced[1]} "
            f"| {verdict(stats, trivial)} |"
        )
    return "\n".join(lines)


def cpu_sample(server_pid: int) -> CpuSample:
    """Read the CPU seconds used so far by the machine, the server's processes and locust.

    Locust runs as a child of this process: once it has exited, its CPU is in this process's
    children's usage. The server's workers live through the whole run. What is left of the
    machine's time is PostgreSQL, Redis and everything else on it.
    """
    import resource

    import psutil

    busy = psutil.cpu_times()
    server = psutil.Process(server_pid)
    server_seconds = 0.0
    for process in [server, *server.children(recursive=True)]:
        with contextlib.suppress(psutil.NoSuchProcess):
            times = process.cpu_times()
            server_seconds += times.user + times.system
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return CpuSample(
        # irq and softirq are Linux's; other systems count them elsewhere or not at all.
        machine=busy.user
        + busy.nice
        + busy.system
        + getattr(busy, "irq", 0.0)
        + getattr(busy, "softirq", 0.0),
        server=server_seconds,
        driver=children.ru_utime + children.ru_stime,
    )


def cpu_split(before: CpuSample, after: CpuSample, requests: int) -> dict[str, float]:
    """Return the CPU ms per request of each part between two samples (see CPU_PARTS)."""
    if not requests:
        return {}
    machine = after.machine - before.machine
    server = after.server - before.server
    driver = after.driver - before.driver
    seconds = {
        "server": server,
        "driver": driver,
        "rest": max(machine - server - driver, 0.0),
        "machine": machine,
    }
    return {part: value * 1000 / requests for part, value in seconds.items()}


def cpu_table(results: list[Stats]) -> str:
    """Return where the machine's CPU went per request, as a Markdown table."""
    lines = [
        "| page | " + " | ".join(f"{label} ms" for label in CPU_PARTS.values()) + " |",
        "|---|" + "---:|" * len(CPU_PARTS),
    ]
    for stats in results:
        if stats.cpu:
            cells = " | ".join(f"{stats.cpu[part]:.1f}" for part in CPU_PARTS)
            lines.append(f"| {stats.name} | {cells} |")
    return "\n".join(lines)


def count_page_queries(page: Page, cookies: dict[int, str]) -> int:
    """Count the queries of one GET of `page` in this process (after the load, so warm), as it
    is built afresh (a kept page runs three: session, user and the versions of its schools)."""
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    headers = {"HTTP_COOKIE": cookies[page.user.pk]} if page.user is not None else {}
    with override_settings(PAGE_CACHE_SECONDS=0), CaptureQueriesContext(connection) as queries:
        response = Client().get(page.path, **headers)
    if response.status_code != 200:
        raise RuntimeError(f"{page.name}: {page.path} answered {response.status_code}")
    return len(queries)


# -- the run ------------------------------------------------------------------------------------


def recreate_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(parts.path.lstrip("/"))
            )
        )


def _wait_for(url: str, *, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10):  # noqa: S310 - our own local server
                return
        except (urllib.error.URLError, OSError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _check(host: str, page: Page, cookies: dict[int, str]) -> None:
    """Fail before the load when a persona does not get its page (a redirect would be timed)."""
    request = urllib.request.Request(host + page.path)  # noqa: S310 - our own local server
    if page.user is not None:
        request.add_header("Cookie", cookies[page.user.pk])

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=30) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    if status != 200:
        raise SystemExit(f"{page.name}: {page.path} answered {status} before the load")


def _run_locust(spec: dict[str, Any], *, host: str, users: int, seconds: int, wait: float) -> Stats:
    slug = "".join(c if c.isalnum() else "-" for c in spec["name"].lower()).strip("-")
    slug += "-paced" if wait else ""
    spec_file = OUT_DIR / f"{slug}.json"
    spec_file.write_text(json.dumps(spec))
    locust = shutil.which("locust", path=str(Path(sys.executable).parent)) or "locust"
    # Locust exits with 1 when any request failed; the failures are in the table, so go on.
    run = subprocess.run(  # noqa: S603 - fixed arguments
        [
            locust,
            "-f",
            str(LOCUSTFILE),
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            str(users),
            "--run-time",
            f"{seconds}s",
            "--host",
            host,
            "--csv",
            str(OUT_DIR / slug),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        check=False,
        env={**os.environ, "BENCH_PAGE": str(spec_file), "BENCH_WAIT": str(wait)},
        capture_output=True,
        text=True,
    )
    stats_file = OUT_DIR / f"{slug}_stats.csv"
    if run.returncode not in (0, 1) or not stats_file.exists():
        raise SystemExit(f"locust failed for {spec['name']}:\n{run.stderr[-3000:]}")
    return read_locust_stats(stats_file, spec["name"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plgs", type=int, default=50)
    parser.add_argument("--members", type=int, default=14)
    parser.add_argument("--users", type=int, default=20, help="concurrent locust users")
    parser.add_argument("--seconds", type=int, default=20, help="load per page")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--wait", type=float, default=0, help="think time (s) between requests")
    parser.add_argument(
        "--paced-wait",
        type=float,
        default=1.0,
        help="mean think time (s) of the second, paced run per page (0: no paced run)",
    )
    parser.add_argument(
        "--paced-seconds",
        type=int,
        default=40,
        help="length of the paced run per page (about 20 requests a second: 40 s gives some "
        "800 samples, so the p95 does not hang on a handful of slow requests)",
    )
    parser.add_argument(
        "--page-cache-seconds",
        type=int,
        help="the server's PAGE_CACHE_SECONDS (production's default unless given; 0: every "
        "page built afresh)",
    )
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args(argv)

    database_url = bench_database_url()
    redis_url = bench_redis_url()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    environment = server_environment(
        database_url=database_url, redis_url=redis_url, static_root=OUT_DIR / "static"
    )
    # Persistent connections as in production, unless CONN_MAX_AGE says otherwise.
    if "CONN_MAX_AGE" in os.environ:
        environment["CONN_MAX_AGE"] = os.environ["CONN_MAX_AGE"]
    if args.page_cache_seconds is not None:
        environment["PAGE_CACHE_SECONDS"] = str(args.page_cache_seconds)
    os.environ.update(environment)
    recreate_database(database_url)
    print(f"Database: {urlsplit(database_url).path.lstrip('/')} (dropped and created)")

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    server = None
    try:
        call_command("collectstatic", interactive=False, verbosity=0)
        personas = build_personas(plgs=args.plgs, members=args.members, users=args.users)
        users = {page.user.pk: page.user for pages in personas for page in pages if page.user}
        cookies = session_cookies(list(users.values()))

        host = f"http://127.0.0.1:{args.port}"
        gunicorn = Path(sys.executable).with_name("gunicorn")
        server = subprocess.Popen(  # noqa: S603 - fixed arguments
            [
                str(gunicorn),
                "plg_platform.wsgi:application",
                "--bind",
                f"127.0.0.1:{args.port}",
                "--workers",
                str(args.workers),
                "--log-level",
                "warning",
            ],
            cwd=BASE_DIR,
            env=os.environ.copy(),
        )
        _wait_for(host + "/robots.txt")
        print(
            f"gunicorn: {args.workers} sync workers; locust: {args.users} users, "
            f"{args.seconds} s per page, think time {args.wait} s (paced run: "
            f"{args.paced_wait} s for {args.paced_seconds} s); {os.cpu_count()} CPUs; "
            f"pages kept for the session for {settings.PAGE_CACHE_SECONDS} s (0: built afresh)"
        )
        # Others' work on the machine skews every number: say how busy it was.
        print("Load average before: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))

        pages = [[*reference_pages(p), *p] for p in personas]
        results = []
        for column in zip(*pages, strict=True):
            for page in column:
                _check(host, page, cookies)
            spec = locust_spec(column[0].name, list(column), cookies)
            before = cpu_sample(server.pid)
            stats = _run_locust(
                spec, host=host, users=args.users, seconds=args.seconds, wait=args.wait
            )
            stats.cpu = cpu_split(before, cpu_sample(server.pid), stats.requests)
            if args.paced_wait:
                paced = _run_locust(
                    spec,
                    host=host,
                    users=args.users,
                    seconds=args.paced_seconds,
                    wait=args.paced_wait,
                )
                stats.paced_p50, stats.paced_p95 = paced.p50, paced.p95
            stats.queries = count_page_queries(column[0], cookies)
            print(
                f"  {stats.name}: {stats.rps:.1f} req/s, p95 {stats.p95:.0f} ms; "
                f"paced p95 {stats.paced_p95 or 0:.0f} ms",
                flush=True,
            )
            results.append(stats)
        print("Load average after: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
        print()
        print(results_table(results))
        print()
        print("CPU per request in the saturated runs (all cores together):")
        print(cpu_table(results))
        (OUT_DIR / "results.json").write_text(json.dumps([asdict(r) for r in results], indent=2))
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        from django.db import connections

        connections.close_all()
        if not args.keep:
            drop_database(database_url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
