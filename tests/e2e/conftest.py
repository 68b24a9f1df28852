"""Browser fixtures: Playwright driving Debian's Chromium against pytest-django's live server."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from io import StringIO
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    expect,
    sync_playwright,
)

CHROMIUM = "/usr/bin/chromium"
# Headless, offline and quiet: the test machine cannot reach the internet.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BLOCKING_IMPACTS = {"serious", "critical"}


expect.set_options(timeout=10_000)


@pytest.fixture(scope="session")
def _static_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Give WhiteNoise an existing STATIC_ROOT; the live server serves static files itself.

    Without `collectstatic` the default root is missing and WhiteNoise warns (an error here).
    """
    with override_settings(STATIC_ROOT=str(tmp_path_factory.mktemp("staticfiles"))):
        yield


@pytest.fixture(scope="session")
def live_server(django_db_setup, _static_root, live_server):
    """pytest-django's live server, started only once the test database exists.

    A test that asks for `live_server` before its database would otherwise start the server
    thread on the development database's settings.
    """
    return live_server


# Package scope: one Playwright and one Chromium for all journeys, stopped once the last test
# in tests/e2e has run, so the rest of a full run has neither the event loop nor the opt-out.
@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    # While Playwright's sync API is started it keeps an event loop running in this thread, so
    # Django refuses ORM calls from test code (SynchronousOnlyOperation). Nothing here is truly
    # async, so opting out is safe: the documented workaround for Playwright with Django. The
    # opt-out lasts exactly as long as the loop (subprocesses such as `check --deploy` inherit it).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            yield playwright
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def new_page(browser: Browser, live_server) -> Iterator[Callable[..., Page]]:
    """Open a page in a fresh browser context (own cookies); keyword arguments go to the context."""
    contexts: list[BrowserContext] = []
    # Chromium reports what the Content Security Policy blocked on the console; the pages must
    # work under the policy, so any such report fails the test.
    blocked: list[str] = []

    def watch(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            blocked.append(f"{message.location.get('url')}: {message.text}")

    def open_page(**context_options: Any) -> Page:
        context_options = {"base_url": live_server.url, "locale": "nl-NL", **context_options}
        context = browser.new_context(**context_options)
        contexts.append(context)
        opened = context.new_page()
        opened.on("console", watch)
        return opened

    yield open_page
    for context in contexts:
        context.close()
    assert not blocked, "The Content Security Policy blocked:\n" + "\n".join(blocked)


@pytest.fixture
def page(new_page: Callable[..., Page]) -> Page:
    return new_page()


def _describe(violations: list[dict[str, Any]], url: str) -> str:
    lines = [f"{len(violations)} serious or critical accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(f"\n* {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"  - {', '.join(map(str, node['target']))}")
            lines.append(f"    {node['html'].strip()}")
            if node.get("failureSummary"):
                lines.append("    " + node["failureSummary"].replace("\n", "\n    "))
    return "\n".join(lines)


@pytest.fixture(scope="session")
def axe_check() -> Callable[[Page], None]:
    """Run axe-core on the page as it is now; fail on any serious or critical violation."""
    axe = Axe()

    def check(page: Page) -> None:
        results = axe.run(page)
        blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
        if blocking:
            pytest.fail(_describe(blocking, page.url), pytrace=False)

    return check


@pytest.fixture
def sign_in(axe_check: Callable[[Page], None]) -> Callable[[Page, str, str], None]:
    """Sign in through the allauth login form, checking that page with axe on the way."""

    def sign_in_as(page: Page, email: str, password: str) -> None:
        page.goto("/accounts/login/")
        axe_check(page)
        form = page.locator("form").filter(has=page.locator("input[name=login]"))
        form.locator("input[name=login]").fill(email)
        form.locator("input[name=password]").fill(password)
        form.locator("button[type=submit]").click()
        expect(page).not_to_have_url(re.compile(r"/accounts/login/"))

    return sign_in_as


@pytest.fixture(scope="session")
def ui() -> Callable[[str], re.Pattern[str]]:
    """Match an interface string in Dutch (the default) or, while untranslated, in English."""

    def pattern(message: str) -> re.Pattern[str]:
        with translation.override("nl"):
            dutch = translation.gettext(message)
        return re.compile(f"{re.escape(dutch)}|{re.escape(message)}")

    return pattern


@pytest.fixture
def demo_school(transactional_db) -> None:
    """The demo school from `seed_demo`, in the database the live server sees."""
    call_command("seed_demo", stdout=StringIO())


@pytest.fixture(scope="session")
def assert_no_sideways_scroll() -> Callable[[Page], None]:
    """Fail when the page is wider than the viewport (the phone test's main worry)."""

    def check(page: Page) -> None:
        scroll_width, client_width = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert scroll_width <= client_width, (
            f"{page.url} scrolls sideways: {scroll_width}px of content in {client_width}px"
        )

    return check
