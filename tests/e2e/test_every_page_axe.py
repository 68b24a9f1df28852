"""Every page, as every persona that may see it, passes axe-core (no serious or critical findings).

The pages come from the URLconf, so a new page is checked without touching this file: each
pattern's keyword arguments are filled with real ids from a school in mid-year, and a persona
"sees" a page when some id gives a 200 text/html answer to GET (downloads, feeds and POST-only
views answer otherwise and are left out). The Django test client finds the pages; then one
browser session per persona opens them and runs axe-core, collecting every finding.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Model, QuerySet
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from playwright.sync_api import Page

from casework.models import NextStep, SmallGroup, WorkCase, YearlyReport
from casework.services.yearly import yearly_report_request
from communities.models import (
    Characteristic,
    Community,
    HealthAction,
    HealthActionRole,
    HealthCheckMoment,
    Membership,
    ProductLink,
    School,
    SchoolYear,
    Team,
)
from meetings.models import (
    AbsenceRequest,
    Meeting,
    MeetingMaterial,
    Notification,
    Theme,
    ThemeProposal,
)
from teacherleaders.models import Training
from teacherleaders.services.leader_plg import leader_plg_ensure
from tests.bench.school import BenchSchool, build_school
from tests.e2e.conftest import BLOCKING_IMPACTS, _describe

pytestmark = pytest.mark.browser

# Patterns that are no page of ours, or that only a one-time token opens (their journeys cover
# them): Django's admin, allauth's key links, the invitation link, the calendar feed.
NOT_WALKED = re.compile(
    rf"^({re.escape(settings.ADMIN_URL)}|accounts/.*<|accounts/.*\(\?P|invitation/|\^calendar/)"
)
# WCAG 2.1 A and AA, the level schools are held to.
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
# Ids tried per keyword argument before a persona is taken not to see the page.
TRIES = 8


@dataclass(frozen=True)
class Route:
    """One URL pattern of the URLconf, flattened: its route text, name and keyword names."""

    route: str
    name: str
    kwargs: tuple[str, ...]

    def path(self, values: dict[str, int]) -> str:
        """Return the pattern's path with `values` put in for its converters."""
        path = self.route
        for key, value in values.items():
            path = re.sub(rf"<(?:\w+:)?{key}>", str(value), path)
        return "/" + path


def _routes(patterns=None, prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{entry.namespace}:" if entry.namespace else namespace
            yield from _routes(entry.url_patterns, route, inner)
        elif isinstance(entry, URLPattern) and not NOT_WALKED.match(route):
            names = tuple(re.findall(r"<(?:\w+:)?(\w+)>", route))
            yield Route(route, f"{namespace}{entry.name}", names)


# -- real ids for each keyword argument, from what the route says the argument is -------------

# Where each keyword argument's ids come from, by the route's text up to that argument.
KEYS: list[tuple[str, Callable[[dict[str, int], World], QuerySet]]] = [
    (r"yearly/plg/<int:pk>", lambda c, w: w.rows(Community)),
    (r"yearly/team/<int:pk>", lambda c, w: w.rows(Team)),
    (r"yearly/team/<int:pk>/<int:year_pk>", lambda c, w: w.rows(SchoolYear)),
    (r"yearly/school/<int:year_pk>", lambda c, w: w.rows(SchoolYear)),
    (r"yearly/<int:pk>", lambda c, w: w.rows(YearlyReport)),
    (r"teacher-leader/<int:school_pk>", lambda c, w: w.rows(School)),
    (r"teacher-leader/<int:school_pk>/training/<int:pk>", lambda c, w: w.rows(Training)),
    (r"(teacher-leaders/)?meeting/<int:pk>", lambda c, w: w.rows(Meeting)),
    (r"plg/<int:pk>", lambda c, w: w.rows(Community)),
    (r"school-year/<int:pk>", lambda c, w: w.rows(SchoolYear)),
    (r"(teacher-leaders/)?school/<int:pk>", lambda c, w: w.rows(School)),
    (r"programme/<int:pk>", lambda c, w: w.rows(School)),
    (r"programme/<int:pk>/year/<int:year_pk>", lambda c, w: w.rows(SchoolYear)),
    (r"team/<int:pk>", lambda c, w: w.rows(Team)),
    (r"case/<int:pk>", lambda c, w: w.rows(WorkCase)),
    (r"absence/<int:pk>", lambda c, w: w.rows(AbsenceRequest)),
    (r"step/<int:pk>", lambda c, w: w.rows(NextStep)),
    (r"notifications/<int:pk>", lambda c, w: Notification.objects.all()),
    (r".*/<int:person_pk>", lambda c, w: w.rows(get_user_model())),
    (r".*/<int:membership_pk>", lambda c, w: Membership.objects.filter(community=c["pk"])),
    (r".*/<int:action_pk>", lambda c, w: HealthAction.objects.filter(moment__community=c["pk"])),
    (r".*/<int:link_pk>", lambda c, w: ProductLink.objects.filter(product__community=c["pk"])),
    (r".*/<int:theme_pk>", lambda c, w: Theme.objects.filter(school=c["pk"])),
    (r".*/<int:proposal_pk>", lambda c, w: ThemeProposal.objects.filter(community=c["pk"])),
    (r".*/<int:material_pk>", lambda c, w: MeetingMaterial.objects.filter(meeting=c["pk"])),
    (r".*/<int:group_pk>", lambda c, w: SmallGroup.objects.filter(meeting=c["pk"])),
]


def _candidates(route: Route, key: str, chosen: dict[str, int], world: World) -> list:
    """Return ids to try for `key`, given the ids already chosen for the route's earlier keys."""
    if key == "number":  # a health-check moment of the PLG
        moments = HealthCheckMoment.objects.filter(community=chosen["pk"])
        return list(moments.values_list("number", flat=True))
    head = route.route[: route.route.index(f"{key}>") + len(key) + 1]
    for pattern, rows in KEYS:
        if re.fullmatch(pattern, head):
            return list(rows(chosen, world).order_by("pk").values_list("pk", flat=True)[:TRIES])
    pytest.fail(f"Teach this test which ids fill <{key}> in {route.route!r} ({route.name}).")


# -- the world: a school in mid-year with everything a page can show ---------------------------


@dataclass
class World:
    bench: BenchSchool
    personas: dict[str, Model | None]

    def rows(self, model: type[Model]) -> QuerySet:
        """Return the school's rows of `model`, the first PLG's first (every persona sits there)."""
        school = self.bench.school
        community = self.bench.communities[0]
        by_model = {
            School: School.objects.filter(pk=school.pk),
            SchoolYear: SchoolYear.objects.filter(school=school),
            Team: Team.objects.filter(school=school),
            Community: Community.objects.filter(team__school=school),
            Meeting: Meeting.objects.filter(community=community),
            WorkCase: WorkCase.objects.filter(meeting__community=community),
            AbsenceRequest: AbsenceRequest.objects.filter(meeting__community=community),
            NextStep: NextStep.objects.filter(meeting__community=community),
            YearlyReport: YearlyReport.objects.filter(school=school),
            Training: Training.objects.filter(school=school),
            get_user_model(): get_user_model().objects.filter(
                memberships__community__team__school=school
            ),
        }
        return by_model[model]


def _build_world() -> World:
    bench = build_school(
        plgs=2, members=8, plgs_per_team=1, name="Axecollege", as_of=timezone.now()
    )
    community = bench.communities[0]
    members = list(Membership.objects.filter(community=community).select_related("user"))
    user_model = get_user_model()
    expert = user_model.objects.create(email="expert@axecollege.example", name="Externe Expert")
    Membership.objects.create(community=community, user=expert, is_expert=True)
    personas = {
        "participant": next(
            m.user for m in members if m.is_participant and not m.is_development_team
        ),
        "teacher leader": next(m.user for m in members if m.is_teacher_leader),
        "team leader": bench.team_leaders[0],
        "programme lead": bench.programme_lead,
        "expert": expert,
        "anonymous": None,
    }
    today = timezone.localdate()
    for number, opens in ((1, today - dt.timedelta(days=40)), (2, today - dt.timedelta(days=3))):
        HealthCheckMoment.objects.create(
            community=community, number=number, opens_on=opens, closes_on=opens + dt.timedelta(14)
        )
    moment = HealthCheckMoment.objects.get(community=community, number=1)
    HealthAction.objects.create(
        moment=moment,
        characteristic=Characteristic.COLLABORATION,
        role=HealthActionRole.ORGANISER,
        text="Elke bijeenkomst begint met een ronde.",
        owner=personas["teacher leader"],
    )
    Training.objects.create(
        user=personas["teacher leader"], school=bench.school, course="Teacher leader 1", year=2026
    )
    leader_plg_ensure(school_year=bench.school_year, actor=bench.programme_lead)
    for scope, subject in (("plg", {"community": community}), ("team", {"team": community.team})):
        yearly_report_request(
            actor=bench.programme_lead, school_year=bench.school_year, scope=scope, **subject
        )
    yearly_report_request(actor=bench.programme_lead, school_year=bench.school_year, scope="school")
    return World(bench=bench, personas=personas)


@pytest.fixture
def world(transactional_db, settings) -> World:
    return _build_world()


# -- finding a persona's pages ------------------------------------------------------------------


class NotAPage(Exception):
    """The route answers GET with something other than a page (a download, a feed, 405)."""


def _is_page(response) -> bool:
    if response.status_code == 405 or (
        response.status_code == 200 and not response["Content-Type"].startswith("text/html")
    ):
        raise NotAPage
    return response.status_code == 200


def _first_page(client: Client, route: Route, world: World, chosen: dict[str, int]) -> str | None:
    """Return a path of `route` that `client` sees as a page, trying real ids depth first."""
    missing = [key for key in route.kwargs if key not in chosen]
    if not missing:
        path = route.path(chosen)
        return path if _is_page(client.get(path)) else None
    key = missing[0]
    for value in _candidates(route, key, chosen, world):
        found = _first_page(client, route, world, {**chosen, key: value})
        if found:
            return found
    return None


def _pages_for(client: Client, world: World) -> dict[str, str]:
    """Return {route name: path} for every route the signed-in client sees as a page."""
    pages = {}
    for route in _routes():
        try:
            found = _first_page(client, route, world, {})
        except NotAPage:
            continue
        if found:
            pages[route.name] = found
    return pages


def _sign_in(page: Page, client: Client, base_url: str) -> None:
    """Give the browser the test client's session: one sign-in per persona, no login form."""
    if settings.SESSION_COOKIE_NAME in client.cookies:
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base_url}]
        )


def test_every_page_as_every_persona_passes_axe(
    world: World, new_page: Callable[..., Page], live_server
) -> None:
    axe = Axe()
    findings: list[str] = []
    seen_by: dict[str, list[str]] = {}
    for persona, user in world.personas.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        pages = _pages_for(client, world)
        for name in pages:
            seen_by.setdefault(name, []).append(persona)
        browser_page = new_page()
        _sign_in(browser_page, client, live_server.url)
        for name, path in pages.items():
            browser_page.goto(path)
            results = axe.run(browser_page, options=AXE_OPTIONS)
            blocking = [
                v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS
            ]
            if blocking:
                findings.append(f"[{persona} · {name}] " + _describe(blocking, path))
    assert not findings, "\n\n".join(findings)
    # The walk really walked: every signed-in persona reached its PLG page, and most routes
    # were some persona's page (a broken sign-in or id lookup would visit next to nothing).
    signed_in = [persona for persona, user in world.personas.items() if user is not None]
    assert sorted(seen_by["communities:detail"]) == sorted(signed_in)
    assert "account_login" in seen_by
    assert len(seen_by) >= 60, sorted(seen_by)
