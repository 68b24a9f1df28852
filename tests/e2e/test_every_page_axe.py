"""Every page, as every persona that may see it, passes axe-core (no serious or critical findings).

The pages come from the URLconf, so a new page is checked without touching this file: each
pattern's keyword arguments are filled with real ids from a school in mid-year, and a persona
"sees" a page when some id gives a 200 text/html answer to GET (downloads, feeds and POST-only
views answer otherwise and are left out). The Django test client finds the pages; then one
browser session per persona opens them and runs axe-core, collecting every finding.

A page no persona reached was never checked, so the walk also fails on every route that was no
one's page unless NO_PAGE_FOR_ANYONE says why: when the world lacks the data a page needs, add
the data to `_build_world`, do not skip the page.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    generate_totp_secret,
)
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model, QuerySet
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
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
    Role,
    School,
    SchoolYear,
    Team,
)
from communities.product_services import product_link_add, product_save
from communities.services import membership_update_roles
from meetings.models import (
    AbsenceRequest,
    Meeting,
    MeetingMaterial,
    Notification,
    Theme,
    ThemeProposal,
)
from meetings.services.attendance import absence_submit
from meetings.services.plan import year_plan_create
from meetings.services.preparation import meeting_material_add, meeting_preparers_set
from meetings.services.themes import theme_proposal_create
from teacherleaders.models import Training
from teacherleaders.services.leader_plg import (
    leader_notes_save,
    leader_notes_submit,
    leader_notes_writer_set,
    leader_plg_ensure,
)
from tests.bench.school import BenchSchool, build_school
from tests.e2e.conftest import BLOCKING_IMPACTS, _describe
from tests.helpers import totp_code

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
# Routes that are nobody's page although they answer GET, each with the reason. Anything else
# that no persona sees as a page fails the test: give the world the data the page needs.
NO_PAGE_FOR_ANYONE = {
    # Addresses come from invitations: our URLconf answers 404 in place of allauth's page.
    "account_email": "always 404 on purpose",
    # Sign-in by e-mailed code is off: only a pending code sign-in would open it.
    "account_confirm_login_code": "only a pending code sign-in opens it",
    # With final reports waiting it answers a PDF; with none it redirects to the team meeting.
    "casework:team_packet": "answers a download",
}
# The persona half-way through signing in: password given, the authenticator code not yet.
TWO_FACTOR_STEP = "two-factor step"
# Only the teacher leader has a password (with an authenticator app and recovery codes) and
# signs in through allauth's forms; the other personas are signed in directly.
PASSWORD = "axe-walk-password-42"  # noqa: S105


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
    (r"teacher-leaders/meeting/<int:pk>", lambda c, w: w.leader_meetings()),
    (r"meeting/<int:pk>", lambda c, w: w.rows(Meeting)),
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
    # Up to this keyword's own converter: "<int:pk>", not the "pk>" that ends "<int:school_pk>".
    head = route.route[: re.search(rf"<(?:\w+:)?{key}>", route.route).end()]
    for pattern, rows in KEYS:
        if re.fullmatch(pattern, head):
            return list(rows(chosen, world).order_by("pk").values_list("pk", flat=True)[:TRIES])
    pytest.fail(f"Teach this test which ids fill <{key}> in {route.route!r} ({route.name}).")


# -- the world: a school in mid-year with everything a page can show ---------------------------


@dataclass
class World:
    bench: BenchSchool
    personas: dict[str, Model | None]
    leader_plg: Community
    totp_secret: str

    def leader_meetings(self) -> QuerySet:
        """Return the meetings of the teacher leaders' own PLG (their notes live there)."""
        return Meeting.objects.filter(community=self.leader_plg)

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
    leader_plg = leader_plg_ensure(school_year=bench.school_year, actor=bench.programme_lead)
    for scope, subject in (("plg", {"community": community}), ("team", {"team": community.team})):
        yearly_report_request(
            actor=bench.programme_lead, school_year=bench.school_year, scope=scope, **subject
        )
    yearly_report_request(actor=bench.programme_lead, school_year=bench.school_year, scope="school")
    _leader_notes(bench, leader_plg, personas["teacher leader"])
    _coming_meeting_work(community, personas)
    _product(community, personas["teacher leader"])
    # A programme lead of two schools first picks one (school list, programme overview).
    School.objects.create(name="Axecollege Zuid").admins.add(bench.programme_lead)
    totp_secret = _two_factor(personas["teacher leader"])
    # The teacher leader, stopped at the authenticator-code step of signing in.
    personas[TWO_FACTOR_STEP] = personas["teacher leader"]
    return World(bench=bench, personas=personas, leader_plg=leader_plg, totp_secret=totp_secret)


def _another_member(community: Community, but, **roles):
    """The first member of the PLG with these roles who is not `but`."""
    return (
        Membership.objects.filter(community=community, **roles)
        .exclude(user=but)
        .order_by("pk")
        .first()
        .user
    )


def _leader_notes(bench: BenchSchool, leader_plg: Community, persona) -> None:
    """Plan the teacher leaders' PLG; one meeting's notes sent, the persona drafting the next."""
    meetings = year_plan_create(
        community=leader_plg, actor=bench.programme_lead, weekday=4, start_time=dt.time(15, 30)
    )
    other = _another_member(leader_plg, persona, is_teacher_leader=True)
    leader_notes_writer_set(meeting=meetings[0], writer=other, actor=bench.programme_lead)
    leader_notes_submit(
        meeting=meetings[0], text="We spraken over het leiden van fase 3.", actor=other
    )
    leader_notes_writer_set(meeting=meetings[1], writer=persona, actor=other)
    leader_notes_save(meeting=meetings[1], text="Concept: wie bereidt wat voor?", actor=persona)


def _coming_meeting_work(community: Community, personas: dict) -> None:
    """A coming meeting the teacher leader prepares, with material, an absence and a proposal."""
    leader = personas["teacher leader"]
    meeting = (
        Meeting.objects.filter(community=community, starts_at__gt=timezone.now())
        .order_by("starts_at")
        .first()
    )
    membership = Membership.objects.get(community=community, user=leader)
    membership_update_roles(
        membership=membership, roles=[*membership.roles, Role.DEVELOPMENT_TEAM], actor=None
    )
    partner = _another_member(community, leader, is_development_team=True)
    meeting_preparers_set(meeting=meeting, actor=leader, users=[leader, partner])
    meeting_material_add(
        meeting=meeting,
        actor=leader,
        title="Leesstuk",
        file=SimpleUploadedFile("leesstuk.txt", b"Lees dit vooraf.", "text/plain"),
    )
    absence_submit(meeting=meeting, member=personas["participant"], reason="Ouderavond")
    theme_proposal_create(
        community=community,
        author=personas["participant"],
        title="Feedback geven",
        why="Leerlingen lezen onze feedback niet.",
    )


def _product(community: Community, leader) -> None:
    """The PLG's product, with a link (shown on its page) and a file (a download)."""
    product = product_save(
        community=community, actor=leader, title="Feedbackkaart", goal="Betere feedback."
    )
    product_link_add(product=product, actor=leader, title="Voorbeeld", url="https://example.org/")
    product_link_add(
        product=product,
        actor=leader,
        title="Kaart",
        file=SimpleUploadedFile("kaart.pdf", b"%PDF-1.4 kaart", "application/pdf"),
    )


def _two_factor(user) -> str:
    """Give `user` a password, an authenticator app and recovery codes; return the app's secret."""
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


@pytest.fixture
def world(transactional_db, settings) -> World:
    # allauth asks for the password again before its two-factor pages, and a confirmation
    # holds 5 minutes by default: one persona's walk can take longer on a busy machine.
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 60 * 60
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


def _pages_for(
    client: Client, world: World, not_pages: set[str], *, only: set[str] | None = None
) -> dict[str, str]:
    """Return {route name: path} for every route (of `only`) the client sees as a page.

    Routes that answer something other than a page go into `not_pages`.
    """
    pages = {}
    for route in _routes():
        if only is not None and route.name not in only:
            continue
        try:
            found = _first_page(client, route, world, {})
        except NotAPage:
            not_pages.add(route.name)
            continue
        if found:
            pages[route.name] = found
    return pages


def _client_for(persona: str, user, world: World) -> Client:
    """Return a test client signed in as the persona.

    The teacher leader signs in through allauth's forms (password, then the authenticator code)
    and confirms the password once more, as allauth asks before showing its two-factor pages;
    the two-factor-step persona stops before the code. The others are signed in directly.
    """
    client = Client()
    if user is None:
        return client
    if not user.check_password(PASSWORD):
        client.force_login(user)
        return client
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.get("Location") == reverse("mfa_authenticate"), response
    if persona == TWO_FACTOR_STEP:
        return client
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(world.totp_secret)})
    assert client.session["_auth_user_id"] == str(user.pk), response
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    return client


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
    not_pages: set[str] = set()
    for persona, user in world.personas.items():
        client = _client_for(persona, user, world)
        # Half-way through signing in, the code step is the only page of one's own: any other
        # page is an anonymous one, and allauth's sign-up page drops the pending sign-in.
        only = {"mfa_authenticate"} if persona == TWO_FACTOR_STEP else None
        pages = _pages_for(client, world, not_pages, only=only)
        for name in pages:
            seen_by.setdefault(name, []).append(persona)
        browser_page = new_page()
        _sign_in(browser_page, client, live_server.url)
        for name, path in pages.items():
            browser_page.goto(path)
            if urlsplit(browser_page.url).path != path:
                # Sent elsewhere (signed out, asked to confirm the password): not checked.
                findings.append(f"[{persona} · {name}] {path} led to {browser_page.url}")
                continue
            results = axe.run(browser_page, options=AXE_OPTIONS)
            blocking = [
                v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS
            ]
            if blocking:
                findings.append(f"[{persona} · {name}] " + _describe(blocking, path))
    assert not findings, "\n\n".join(findings)
    # The walk really walked: every signed-in persona reached its PLG page, and most routes
    # were some persona's page (a broken sign-in or id lookup would visit next to nothing).
    signed_in = [
        persona
        for persona, user in world.personas.items()
        if user is not None and persona != TWO_FACTOR_STEP
    ]
    assert sorted(seen_by["communities:detail"]) == sorted(signed_in)
    assert "account_login" in seen_by
    assert len(seen_by) >= 60, sorted(seen_by)
    # Every page was checked: a route no persona saw is a page the world lacks data for, unless
    # the table says why it is nobody's page (and an entry that is some persona's page is stale).
    walked = {route.name for route in _routes()}
    unseen = walked - set(seen_by) - not_pages
    assert unseen <= NO_PAGE_FOR_ANYONE.keys(), (
        "No persona saw these routes as a page, so axe never checked them; add data to "
        f"_build_world or explain them in NO_PAGE_FOR_ANYONE: {sorted(unseen - NO_PAGE_FOR_ANYONE.keys())}"
    )
    stale = NO_PAGE_FOR_ANYONE.keys() - unseen
    assert not stale, (
        f"Pages now (or gone from the URLconf); drop from NO_PAGE_FOR_ANYONE: {sorted(stale)}"
    )
