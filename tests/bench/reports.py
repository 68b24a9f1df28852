"""Benchmark the yearly reports and one reminder run over a whole school's year.

Run with ``make bench-reports`` or ``.venv/bin/python -m tests.bench.reports [--plgs 40]
[--members 15] [--repeat 5] [--keep]``. It makes a throwaway database (an SQLite file under
var/, or with DATABASE_URL a separate PostgreSQL database named after it with a ``_bench``
suffix), migrates it, builds a school with `tests.bench.school.build_school`, then times each
step a few times and prints the median and fastest milliseconds and the number of queries.
Not collected by pytest: speed depends on the machine, so it is measured here, not asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

BENCH_SQLITE = "bench-reports.sqlite3"
NOT_AVAILABLE = "not available yet"
# The reports are read once the year is over, so nothing in them lies in the future.
AFTER_THE_YEAR = dt.datetime(2027, 7, 20, 12, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


@dataclass
class Result:
    step: str
    times: list[float]
    queries: int | None
    note: str = ""


def _optional(name: str, *modules: str) -> Callable[..., Any] | None:
    """Return `name` from the first of `modules` that provides it, else None."""
    for module in modules:
        try:
            return getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError):
            continue
    return None


def _throwaway_database(connection: Any) -> str:
    """Create and migrate a fresh database beside the configured one; return its old name."""
    from django.conf import settings

    old_name = connection.settings_dict["NAME"]
    test = connection.settings_dict.setdefault("TEST", {})
    if connection.vendor == "sqlite":
        folder = settings.BASE_DIR / "var"
        folder.mkdir(exist_ok=True)
        test["NAME"] = str(folder / BENCH_SQLITE)
    else:
        test["NAME"] = f"{old_name}_bench"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    return old_name


def _measure(
    step: str,
    run: Callable[[], Any],
    *,
    repeat: int,
    reset: Callable[[], None] | None = None,
    setup: Callable[[], Any] | None = None,
    describe: Callable[[Any], str] | None = None,
) -> Result:
    """Count the queries of one run, then time `repeat` runs (each after `reset`).

    `setup` runs once before all of them; a step that fails is reported, not raised.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times: list[float] = []
    try:
        if setup:
            setup()
        if reset:
            reset()
        with CaptureQueriesContext(connection) as queries:
            outcome = run()
        for _ in range(repeat):
            if reset:
                reset()
            started = time.perf_counter()
            run()
            times.append((time.perf_counter() - started) * 1000)
    except Exception as error:  # noqa: BLE001 - a benchmark reports a broken step and goes on
        return Result(step, [], None, f"failed: {type(error).__name__}: {error}")
    return Result(step, times, len(queries), describe(outcome) if describe else "")


def _missing(step: str, what: str) -> Result:
    return Result(step, [], None, f"{NOT_AVAILABLE} ({what})")


def _row_count() -> int:
    """Count every row of the project's own tables (the placeholder step)."""
    from django.apps import apps

    total = 0
    for model in apps.get_models():
        if model._meta.app_label in {"communities", "meetings", "casework", "users"}:
            total += model.objects.count()
    return total


def _report_steps(school: Any, repeat: int) -> list[Result]:
    """Time the yearly report of one PLG, one team and the whole school."""
    yearly_report = _optional("yearly_report", "casework.selectors.yearly")
    where = "casework.selectors.yearly.yearly_report"
    community = school.communities[0]
    steps = [
        ("yearly report, one PLG", {"scope": "plg", "community": community}),
        ("yearly report, one team", {"scope": "team", "team": community.team}),
        ("yearly report, whole school", {"scope": "school"}),
    ]
    if yearly_report is None:
        return [_missing(step, where) for step, _ in steps]
    return [
        _measure(
            step,
            lambda arguments=arguments: yearly_report(school_year=school.school_year, **arguments),
            repeat=repeat,
            describe=_privacy,
        )
        for step, arguments in steps
    ]


def _privacy(report: Any) -> str:
    """Say whether a private reflection's words made it into the report (they never may)."""
    from tests.bench.school import PRIVATE_MARKER

    return "PRIVATE REFLECTION TEXT FOUND" if PRIVATE_MARKER in repr(report) else "no private text"


def _forget_reminders() -> None:
    """Delete what a reminder run wrote, so the next run finds the same reminders due."""
    from meetings.models import Notification

    Notification.objects.all().delete()
    _clear_outbox()


def _clear_outbox() -> None:
    """Empty the test mail outbox, so a step counts only its own mails."""
    from django.core import mail

    mail.outbox = []


def _summary(outcome: Any) -> str:
    from django.core import mail

    text = str(outcome)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{text}; {len(getattr(mail, 'outbox', []))} mails"


def _reminder_steps(school: Any, *, plgs: int, members: int, repeat: int) -> list[Result]:
    """Time one reminder run a day before the busiest meeting date, and the run after it.

    Reminders are about meetings still to come, so a second school of the same size is built
    as it stands at that moment, beside the full year of the first: the run reads both.
    """
    import time_machine

    from tests.bench.school import build_school

    reminders_run = _optional(
        "reminders_run", "meetings.services.reminders", "meetings.services.notifications"
    )
    where = "meetings.services.reminders_run"
    first, again = "reminder run", "reminder run again (nothing new)"
    if reminders_run is None:
        return [_missing(first, where), _missing(again, where)]
    now = school.before_busiest(days=1, number=4)
    tomorrow = school.starts[4].count(school.busiest_start(4))
    print(f"Reminder run at {now:%Y-%m-%d %H:%M %Z}: {tomorrow} PLGs meet the next day.")
    with time_machine.travel(now, tick=True):
        build_school(plgs=plgs, members=members, name="Benchlyceum", as_of=now)
        results = [
            _measure(
                first,
                lambda: reminders_run(now=now),
                repeat=repeat,
                reset=_forget_reminders,
                describe=_summary,
            ),
            # A second beat tick finds everything already recorded: the common case.
            _measure(
                again,
                lambda: reminders_run(now=now),
                repeat=repeat,
                setup=lambda: (_forget_reminders(), reminders_run(now=now)),
                reset=_clear_outbox,
                describe=_summary,
            ),
        ]
    return results


def _print(results: list[Result], *, repeat: int) -> None:
    header = f"{'step':<44}{'median ms':>11}{'min ms':>9}{'queries':>9}  note"
    print(header)
    print("-" * len(header))
    for result in results:
        median = f"{statistics.median(result.times):.1f}" if result.times else "-"
        fastest = f"{min(result.times):.1f}" if result.times else "-"
        queries = "-" if result.queries is None else str(result.queries)
        print(f"{result.step:<44}{median:>11}{fastest:>9}{queries:>9}  {result.note}")
    print(f"(median and fastest of {repeat} runs; queries counted on a separate first run)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plgs", type=int, default=40)
    parser.add_argument("--members", type=int, default=15)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plg_platform.settings.test")
    import django

    django.setup()
    import time_machine
    from django.db import connection
    from django.utils import translation

    from tests.bench.school import build_school

    old_name = _throwaway_database(connection)
    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")
    try:
        translation.activate("nl")
        with time_machine.travel(AFTER_THE_YEAR, tick=True):
            started = time.perf_counter()
            school = build_school(plgs=args.plgs, members=args.members)
            built = (time.perf_counter() - started) * 1000
            results = [
                Result(f"build {args.plgs} PLGs x {args.members} members", [built], None, "once"),
                _measure(
                    "count all rows (baseline)",
                    _row_count,
                    repeat=args.repeat,
                    describe=lambda rows: f"{rows} rows",
                ),
                *_report_steps(school, args.repeat),
            ]
        results += _reminder_steps(school, plgs=args.plgs, members=args.members, repeat=args.repeat)
        _print(results, repeat=args.repeat)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=args.keep)
    return 0


if __name__ == "__main__":
    sys.exit(main())
