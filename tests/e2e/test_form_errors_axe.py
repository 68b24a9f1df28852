"""Every form shown again with its errors passes axe-core (no serious or critical findings).

The page walk (test_every_page_axe.py) sees each page as it first opens, with empty forms.
Here every form of the fuzz test's table is posted by the persona who may post it, in the same
world and at the same moment, with input that names no field of the form, so a form with a
required field comes back with its errors (the fuzz test proves each view gets that far). The
answer the Django test client gets is then shown in the browser at the live server's address,
with its own headers (its Content Security Policy included) and the live server's CSS and
scripts, and axe-core checks it. A form whose bare post is stored, or answered with JSON,
shows no error page and is left to the fuzz test.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import time_machine
from axe_playwright_python.sync_playwright import Axe
from django.db import transaction
from playwright.sync_api import Page, Route

from tests.e2e.conftest import BLOCKING_IMPACTS, _describe
from tests.e2e.test_every_page_axe import AXE_OPTIONS
from tests.security.conftest import NOW, SecurityWorld, security_world  # noqa: F401 - fixture
from tests.security.test_form_fuzz import (
    BARE,
    ERROR_MARKERS,
    FIXED,
    FORMS,
    HEADERS,
    UNKNOWN_FIELD,
    _poster,
    _url,
    fuzz_world,  # noqa: F401 - fixture
)

pytestmark = pytest.mark.browser

# Fewer error pages than this means the posts stopped reaching the forms (a broken world);
# 35 of the table's forms show one now.
AT_LEAST = 30
# The browser's view of ERROR_MARKERS.
ERROR_SELECTOR = ".errorlist, .is-invalid, .invalid-feedback, [role=alert]"
# Bootstrap's stylesheet (from the live server) is loaded and applied to the body's font.
STYLED = """() => [...document.styleSheets].some(sheet => (sheet.href || '').includes('bootstrap'))
    && getComputedStyle(document.body).fontFamily.includes('system-ui')"""


def _error_pages(client, world: SecurityWorld) -> dict[str, tuple[int, dict[str, str], bytes]]:
    """Post every form's bare input; return {form: (status, headers, page)} where errors show.

    Each post runs in a savepoint that is rolled back, so one form's post cannot change the
    state the next one is posted in.
    """
    pages = {}
    for form_name, (url_name, kwargs, who, _prefix) in sorted(FORMS.items()):
        client.force_login(_poster(world, who))
        data = {**UNKNOWN_FIELD, **FIXED.get(form_name, {}), **BARE.get(form_name, {})}
        with transaction.atomic():
            response = client.post(
                _url(world, url_name, kwargs), data, headers=HEADERS.get(form_name, {})
            )
            transaction.set_rollback(True)
        html = response.get("Content-Type", "").startswith("text/html")
        if html and response.status_code in (200, 400):
            if any(marker in response.content for marker in ERROR_MARKERS):
                headers = {key: value for key, value in response.items()}
                pages[form_name] = (response.status_code, headers, response.content)
    return pages


def _answer(status: int, headers: dict[str, str], body: bytes) -> Callable[..., None]:
    """A route handler that answers with this page (Playwright passes the route and request)."""

    def handle(route: Route, _request: object) -> None:
        route.fulfill(status=status, headers=headers, body=body)

    return handle


def test_every_form_with_its_errors_passes_axe(
    client,
    fuzz_world: SecurityWorld,  # noqa: F811 - the imported fixture
    new_page: Callable[..., Page],
) -> None:
    with time_machine.travel(NOW, tick=False):
        pages = _error_pages(client, fuzz_world)
    assert len(pages) >= AT_LEAST, sorted(pages)

    axe = Axe()
    browser_page = new_page()
    findings = []
    for form_name, (status, headers, body) in pages.items():
        path = f"/form-errors/{form_name}/"
        browser_page.route(f"**{path}", _answer(status, headers, body))
        browser_page.goto(path)
        # What axe checks is the error state, styled: an error shows and Bootstrap is loaded.
        assert browser_page.locator(ERROR_SELECTOR).count(), form_name
        assert browser_page.evaluate(STYLED), f"{form_name}: the page's CSS did not load"
        results = axe.run(browser_page, options=AXE_OPTIONS)
        blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
        if blocking:
            findings.append(f"[{form_name}] " + _describe(blocking, path))
    assert not findings, "\n\n".join(findings)
