"""Locust users for `tests.bench.load`: each asks for one page, as its own signed-in persona.

The driver writes the page to a JSON file (BENCH_PAGE): its name and one (path, Cookie header:
the session and CSRF cookies a signed-in browser sends) per persona; user number n takes
persona n. BENCH_WAIT is the think time in seconds (0: ask again as soon as the answer is in,
which measures the server's throughput at that concurrency).
Anything but a 200 counts as a failure: a redirect to the sign-in page must not pass as fast.
"""

from __future__ import annotations

import itertools
import json
import os
from pathlib import Path

from locust import FastHttpUser, between, constant, task

SPEC = json.loads(Path(os.environ["BENCH_PAGE"]).read_text())
WAIT = float(os.environ.get("BENCH_WAIT", "0"))
_numbers = itertools.count()


class PageUser(FastHttpUser):
    wait_time = between(WAIT / 2, WAIT * 1.5) if WAIT else constant(0)

    def on_start(self) -> None:
        variants = SPEC["variants"]
        variant = variants[next(_numbers) % len(variants)]
        self.path = variant["path"]
        self.headers = {"Cookie": variant["cookie"]} if variant["cookie"] else {}

    @task
    def page(self) -> None:
        with self.client.get(
            self.path,
            headers=self.headers,
            name=SPEC["name"],
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"answered {response.status_code}")
