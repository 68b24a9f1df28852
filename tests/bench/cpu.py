"""In-process CPU per page: what each main page costs Django, one request after another.

Run with ``make bench-cpu`` or ``.venv/bin/python -m tests.bench.cpu [--plgs 10] [--members 14]
[--repeat 60] [--profile PAGE] [--keep | --reuse]``. It builds the load benchmark's school in a
throwaway PostgreSQL database (plg_bench_cpu, chosen as `tests.bench.load` chooses its own),
then asks for each page in turn with Django's test client under the production settings and
prints the median CPU time of this process per request: no server, no load generator, so the
numbers move far less between runs than `make bench`'s throughput. Next to the trivial view it
measures the privacy page, a page with the layout and the navigation but no data of its own,
and gives each page's cost as a ratio to both. ``--profile`` prints where one page's time goes
(cProfile). ``--keep`` keeps the database and the page list; ``--reuse`` measures them again
without building, to compare before and after a change.
Not collected by pytest: speed depends on the machine, so it is measured here, not asserted.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from tests.bench.load import (
    BASE_DIR,
    LAYOUT_ONLY,
    TRIVIAL,
    Page,
    bench_database_url,
    bench_redis_url,
    build_personas,
    drop_database,
    recreate_database,
    reference_pages,
    server_environment,
)

OUT_DIR = BASE_DIR / "var" / "bench-cpu"
PAGES_FILE = OUT_DIR / "pages.json"


def save_pages(pages: list[Page], path: Path = PAGES_FILE) -> None:
    """Write the pages (name, path, user id) for a later --reuse."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = [[p.name, p.path, p.user.pk if p.user else None] for p in pages]
    path.write_text(json.dumps(rows, indent=1))


def load_pages(path: Path = PAGES_FILE) -> list[Page]:
    """Read the pages written by save_pages, with their users from the database."""
    from django.contrib.auth import get_user_model

    rows = json.loads(path.read_text())
    users = get_user_model().objects.in_bulk([user_id for *_, user_id in rows if user_id])
    return [Page(name, url, users.get(user_id)) for name, url, user_id in rows]


def signed_in_clients(pages: list[Page]) -> dict[str, Any]:
    """Return one test client per page, signed in as its persona (anonymous for None)."""
    from django.test import Client

    clients = {}
    for page in pages:
        client = Client()
        if page.user is not None:
            client.force_login(page.user)
        clients[page.name] = client
    return clients


WARM_UP = 2


def cpu_ms_per_page(
    pages: list[Page], *, repeat: int, page_cache_seconds: int = 0, changed: bool = False
) -> dict[str, list[float]]:
    """Ask for every page `repeat` times, interleaved; return each page's CPU ms per request.

    Interleaving spreads the machine's drift over all pages alike. The first two requests of
    each page are left out: they fill the template and SQL caches, hand out the CSRF cookie
    and, with the page cache on (`page_cache_seconds`), keep the page; every later request
    then gets the kept copy. Off (0), every page is built afresh. `changed` raises the
    platform's version before each request (not timed), as a change somewhere would: the page
    cache is on but every page is built again, which shows what the cache costs when it misses.
    """
    from django.test import override_settings

    clients = signed_in_clients(pages)
    times: dict[str, list[float]] = {page.name: [] for page in pages}
    with override_settings(PAGE_CACHE_SECONDS=page_cache_seconds):
        _ask_in_turn(pages, clients, times, repeat=repeat, changed=changed)
    return times


def _ask_in_turn(
    pages: list[Page],
    clients: dict[str, Any],
    times: dict[str, list[float]],
    *,
    repeat: int,
    changed: bool,
) -> None:
    from communities.page_cache import PLATFORM, versions_raise

    for round_ in range(repeat + WARM_UP):
        for page in pages:
            if changed:
                versions_raise([PLATFORM])
            started = time.process_time()
            response = clients[page.name].get(page.path)
            spent = (time.process_time() - started) * 1000
            if response.status_code != 200:
                raise SystemExit(f"{page.name}: {page.path} answered {response.status_code}")
            if round_ >= WARM_UP:
                times[page.name].append(spent)


def results_table(times: dict[str, list[float]]) -> str:
    """Return the medians as a Markdown table, with ratios to the two reference pages."""
    medians = {name: statistics.median(values) for name, values in times.items()}
    trivial, layout = medians[TRIVIAL], medians[LAYOUT_ONLY]
    lines = [
        "| page | CPU ms (median) | fastest | × trivial view | × layout only |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, values in times.items():
        lines.append(
            f"| {name} | {medians[name]:.1f} | {min(values):.1f} | {medians[name] / trivial:.1f} "
            f"| {medians[name] / layout:.1f} |"
        )
    return "\n".join(lines)


def profile_page(page: Page, *, repeat: int, limit: int = 40) -> None:
    """Print the functions where `repeat` requests for `page` spend their time."""
    from django.conf import settings

    settings.PAGE_CACHE_SECONDS = 0  # where building the page goes
    client = signed_in_clients([page])[page.name]
    client.get(page.path)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(repeat):
        client.get(page.path)
    profiler.disable()
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.sort_stats("cumulative").print_stats(limit)
    stats.sort_stats("tottime").print_stats(limit)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plgs", type=int, default=10)
    parser.add_argument("--members", type=int, default=14)
    parser.add_argument("--repeat", type=int, default=60, help="requests per page")
    parser.add_argument("--profile", metavar="PAGE", help="profile the page whose name has this")
    keep = parser.add_mutually_exclusive_group()
    keep.add_argument("--keep", action="store_true", help="keep the database and page list")
    keep.add_argument("--reuse", action="store_true", help="measure a kept database again")
    args = parser.parse_args(argv)

    database_url = bench_database_url(kind="cpu")
    os.environ.update(
        server_environment(
            database_url=database_url, redis_url=bench_redis_url(), static_root=OUT_DIR / "static"
        )
    )
    if args.reuse and not PAGES_FILE.exists():
        raise SystemExit(f"--reuse: no {PAGES_FILE}; run once with --keep first")
    if not args.reuse:
        recreate_database(database_url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    try:
        if args.reuse:
            pages = load_pages()
        else:
            call_command("collectstatic", interactive=False, verbosity=0)
            personas = build_personas(plgs=args.plgs, members=args.members, users=1)
            pages = [*reference_pages(personas[0]), *personas[0]]
            save_pages(pages)
        if args.profile:
            matches = [page for page in pages if args.profile.lower() in page.name.lower()]
            if not matches:
                raise SystemExit(f"no page named like {args.profile!r}")
            profile_page(matches[0], repeat=args.repeat)
        else:
            print(f"CPU time of this process per request, {args.repeat} requests per page.")
            print("Built afresh (page cache off):")
            print(results_table(cpu_ms_per_page(pages, repeat=args.repeat)))
            print("The same page again, kept for the session (page cache on):")
            print(results_table(cpu_ms_per_page(pages, repeat=args.repeat, page_cache_seconds=60)))
            print("Page cache on, but something changed before every request (built again):")
            print(
                results_table(
                    cpu_ms_per_page(pages, repeat=args.repeat, page_cache_seconds=60, changed=True)
                )
            )
    finally:
        connections.close_all()
        if not (args.keep or args.reuse):
            drop_database(database_url)
            # Its page list would name users of a database that is gone.
            PAGES_FILE.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
