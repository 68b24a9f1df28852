"""Walk every URL pattern of the URLconf as every persona, with real ids from another PLG and
another school: no 500 anywhere, and no page or action for someone who may not see it.

The table below must name every pattern (a new URL without an entry fails the walk), with who
may see it and which real object fills each keyword argument."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import time_machine
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.bench.school import AMSTERDAM

from .conftest import SecurityWorld, Site

NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=AMSTERDAM)
PERSONAS = [
    "participant",
    "teacher_leader",
    "team_leader",
    "programme_lead",
    "other_plg_member",
    "other_school_user",
    "anonymous",
]

# Who may get a page (200 or a redirect after a POST) on an object of a site:
PUBLIC = "public"  # anyone, signed in or not
TOKEN = "token"  # anyone holding the secret in the URL (calendar feed, invitation link)
PERSONAL = "personal"  # no object in the URL: the signed-in user's own things
PLG = "plg"  # the PLG's members, the leader of its team, the programme lead of its school
TEAM = "team"  # the team's leader and the programme lead of its school
ADMIN = "admin"  # the programme lead (school admin) of the object's school
LEADERS = "leaders"  # the school's teacher leaders (their own profile/PLG) and its programme lead
OWNER = "owner"  # only the person the object belongs to (never one of the personas here)

# URL prefixes left out of the walk, each with why.
SKIPPED = {
    "admin:": "Django admin: staff only, guarded by Django's own admin_view (is_staff).",
    "account_": "allauth's sign-in/sign-up/password pages: public by design; our rules for them "
    "are tested in tests/users (sign-in security, accounts).",
    "mfa_": "allauth MFA pages: only about the signed-in user's own authenticators.",
    "socialaccount_": "allauth social accounts (not enabled).",
    "health": "/health/ is public for the load balancer and tested in tests/test_health.py.",
}
# Our own view mounted inside allauth's namespace: it answers 404 to everyone.
NOT_SKIPPED = {"account_email"}

C, M, S = "community.pk", "meeting.pk", "school.pk"

# url name -> (who may see it, {kwarg: attribute path on a Site}).
TABLE: dict[str, tuple[str, dict[str, str]]] = {
    "account_email": (PERSONAL, {}),
    # communities: PLG pages
    "communities:dashboard": (PERSONAL, {}),
    "communities:detail": (PLG, {"pk": C}),
    "communities:edit": (PLG, {"pk": C}),
    "communities:learning_question": (PLG, {"pk": C}),
    "communities:member_add": (PLG, {"pk": C}),
    "communities:member_edit": (PLG, {"pk": C, "membership_pk": "membership.pk"}),
    "communities:member_remove": (PLG, {"pk": C, "membership_pk": "membership.pk"}),
    "communities:member_reinvite": (PLG, {"pk": C, "membership_pk": "membership.pk"}),
    "communities:health": (PLG, {"pk": C}),
    "communities:health_dates": (PLG, {"pk": C}),
    "communities:health_moment": (PLG, {"pk": C, "number": "health_number"}),
    "communities:health_answer": (PLG, {"pk": C, "number": "health_number"}),
    "communities:health_action_add": (PLG, {"pk": C, "number": "health_number"}),
    "communities:health_action_edit": (PLG, {"pk": C, "action_pk": "health_action.pk"}),
    "communities:product": (PLG, {"pk": C}),
    "communities:product_edit": (PLG, {"pk": C}),
    "communities:product_link_add": (PLG, {"pk": C}),
    "communities:product_file": (PLG, {"pk": C, "link_pk": "product_link.pk"}),
    "communities:product_link_remove": (PLG, {"pk": C, "link_pk": "product_link.pk"}),
    # communities: school set-up, for its programme lead
    "communities:school_list": (PERSONAL, {}),
    "communities:school": (ADMIN, {"pk": S}),
    "communities:school_edit": (ADMIN, {"pk": S}),
    "communities:school_year_create": (ADMIN, {"pk": S}),
    "communities:team_create": (ADMIN, {"pk": S}),
    "communities:community_create": (ADMIN, {"pk": S}),
    "communities:school_year_edit": (ADMIN, {"pk": "school_year.pk"}),
    "communities:team_edit": (ADMIN, {"pk": "team.pk"}),
    "communities:retention": (ADMIN, {"pk": S}),
    "communities:audit_log": (ADMIN, {"pk": S}),
    "communities:school_people": (ADMIN, {"pk": S}),
    "communities:account_delete": (ADMIN, {"pk": S, "person_pk": "owner.pk"}),
    # meetings
    "meetings:year_plan": (PLG, {"pk": C}),
    "meetings:meeting": (PLG, {"pk": M}),
    "meetings:meeting_move": (PLG, {"pk": M}),
    "meetings:meeting_cancel": (PLG, {"pk": M}),
    "meetings:theme_library": (ADMIN, {"pk": S}),
    "meetings:theme_library_start": (ADMIN, {"pk": S}),
    "meetings:theme_edit": (ADMIN, {"pk": S, "theme_pk": "theme.pk"}),
    "meetings:theme_remove": (ADMIN, {"pk": S, "theme_pk": "theme.pk"}),
    "meetings:theme_restore": (ADMIN, {"pk": S, "theme_pk": "theme.pk"}),
    "meetings:themes": (PLG, {"pk": C}),
    "meetings:theme_propose": (PLG, {"pk": C}),
    "meetings:theme_voting_close": (PLG, {"pk": C}),
    "meetings:theme_voting_reopen": (PLG, {"pk": C}),
    "meetings:themes_fix": (PLG, {"pk": C}),
    "meetings:theme_vote": (PLG, {"pk": C, "proposal_pk": "proposal.pk"}),
    "meetings:theme_unvote": (PLG, {"pk": C, "proposal_pk": "proposal.pk"}),
    "meetings:theme_proposal_withdraw": (PLG, {"pk": C, "proposal_pk": "proposal.pk"}),
    "meetings:meeting_theme": (PLG, {"pk": M}),
    "meetings:meeting_preparers": (PLG, {"pk": M}),
    "meetings:preparation_hours": (PLG, {"pk": M}),
    "meetings:meeting_phase0": (PLG, {"pk": M}),
    "meetings:material_add": (PLG, {"pk": M}),
    "meetings:material": (PLG, {"pk": M, "material_pk": "material.pk"}),
    "meetings:material_remove": (PLG, {"pk": M, "material_pk": "material.pk"}),
    "meetings:meeting_agenda": (PLG, {"pk": M}),
    "meetings:agenda_print": (PLG, {"pk": M}),
    "meetings:checklist_tick": (PLG, {"pk": M}),
    "meetings:phase_card": (PERSONAL, {}),
    "meetings:absence_request": (PLG, {"pk": M}),
    "meetings:absence_withdraw": (PLG, {"pk": M}),
    "meetings:absence_list": (PERSONAL, {}),
    "meetings:absence_decide": (TEAM, {"pk": "absence.pk"}),
    "meetings:attendance": (PLG, {"pk": M}),
    "meetings:hours": (PLG, {"pk": C}),
    "meetings:calendar_subscription": (PERSONAL, {}),
    "meetings:calendar_feed_create": (PERSONAL, {}),
    "meetings:calendar_feed_regenerate": (PERSONAL, {}),
    "meetings:calendar_feed_revoke": (PERSONAL, {}),
    "meetings:calendar_feed": (TOKEN, {"token": "calendar_token"}),
    "meetings:meeting_ics": (PLG, {"pk": M}),
    "meetings:notifications": (PERSONAL, {}),
    "meetings:notification_read": (OWNER, {"pk": "notification.pk"}),
    "meetings:notifications_read_all": (PERSONAL, {}),
    "meetings:notification_settings": (PERSONAL, {}),
    "meetings:reminder_schedule": (ADMIN, {"pk": S}),
    # casework
    "casework:my_case": (PLG, {"pk": M}),
    "casework:my_case_withdraw": (PLG, {"pk": M}),
    "casework:cases": (PLG, {"pk": M}),
    "casework:case": (PLG, {"pk": "case.pk"}),
    "casework:evaluation": (PLG, {"pk": M}),
    "casework:evaluation_results": (PLG, {"pk": M}),
    "casework:groups": (PLG, {"pk": M}),
    "casework:group_move": (PLG, {"pk": M}),
    "casework:group_update": (PLG, {"pk": M, "group_pk": "group.pk"}),
    "casework:live": (PLG, {"pk": M}),
    "casework:live_start": (PLG, {"pk": M}),
    "casework:live_phase": (PLG, {"pk": M}),
    "casework:live_close": (PLG, {"pk": M}),
    "casework:live_group": (PLG, {"pk": M, "group_pk": "group.pk"}),
    "casework:group_phase": (PLG, {"pk": M, "group_pk": "group.pk"}),
    "casework:note_save": (PLG, {"pk": M}),
    "casework:reflection": (PLG, {"pk": M}),
    "casework:shared_reflections": (PLG, {"pk": M}),
    "casework:my_reflections": (PERSONAL, {}),
    "casework:report": (PLG, {"pk": M}),
    "casework:report_compile": (PLG, {"pk": M}),
    "casework:report_finalise": (PLG, {"pk": M}),
    "casework:report_print": (PLG, {"pk": M}),
    "casework:report_pdf": (PLG, {"pk": M}),
    "casework:report_discussed": (TEAM, {"pk": M}),
    "casework:team_meetings": (PERSONAL, {}),
    "casework:team_meeting": (TEAM, {"pk": "team.pk"}),
    "casework:team_packet": (TEAM, {"pk": "team.pk"}),
    "casework:my_steps": (PERSONAL, {}),
    "casework:step_review": (OWNER, {"pk": "step.pk"}),
    "casework:yearly_index": (PERSONAL, {}),
    "casework:yearly_plg": (PLG, {"pk": C}),
    "casework:yearly_plg_compile": (PLG, {"pk": C}),
    "casework:yearly_team": (TEAM, {"pk": "team.pk", "year_pk": "school_year.pk"}),
    "casework:yearly_team_compile": (TEAM, {"pk": "team.pk", "year_pk": "school_year.pk"}),
    "casework:yearly_school": (ADMIN, {"year_pk": "school_year.pk"}),
    "casework:yearly_school_compile": (ADMIN, {"year_pk": "school_year.pk"}),
    "casework:yearly_report": (PLG, {"pk": "yearly_plg.pk"}),
    "casework:yearly_status": (PLG, {"pk": "yearly_plg.pk"}),
    "casework:yearly_pdf": (PLG, {"pk": "yearly_plg.pk"}),
    "casework:yearly_csv": (PLG, {"pk": "yearly_plg.pk"}),
    # teacher leaders
    "teacherleaders:profile": (PERSONAL, {}),
    "teacherleaders:profile_at": (LEADERS, {"school_pk": S}),
    "teacherleaders:training_create": (LEADERS, {"school_pk": S}),
    "teacherleaders:training_edit": (OWNER, {"school_pk": S, "pk": "training.pk"}),
    "teacherleaders:training_delete": (OWNER, {"school_pk": S, "pk": "training.pk"}),
    "teacherleaders:self_reflection": (LEADERS, {"school_pk": S}),
    "teacherleaders:responsibilities": (LEADERS, {"school_pk": S}),
    "teacherleaders:shared_reflections": (LEADERS, {"school_pk": S}),
    "teacherleaders:school_responsibilities": (ADMIN, {"pk": S}),
    "teacherleaders:programme_overview_start": (PERSONAL, {}),
    "teacherleaders:programme_overview": (ADMIN, {"pk": S}),
    "teacherleaders:programme_overview_year": (ADMIN, {"pk": S, "year_pk": "school_year.pk"}),
    "teacherleaders:leader_plg": (ADMIN, {"pk": S}),
    "teacherleaders:leader_plg_ensure": (ADMIN, {"pk": S}),
    "teacherleaders:school_notes": (ADMIN, {"pk": S}),
    "teacherleaders:note_taker": (LEADERS, {"pk": "leader_meeting.pk"}),
    "teacherleaders:notes": (LEADERS, {"pk": "leader_meeting.pk"}),
    # users
    "users:settings": (PERSONAL, {}),
    "users:data_download": (PERSONAL, {}),
    "users:language": (PUBLIC, {}),  # anyone may switch the language, even before signing in
    "users:account_delete": (PERSONAL, {}),
    "robots_txt": (PUBLIC, {}),
    "privacy": (PUBLIC, {}),
    "users:invitation_accept": (
        TOKEN,
        {"uidb64": "invitation.uidb64", "token": "invitation.token"},
    ),
}


def _walk(resolver: URLResolver, namespace: str = "") -> Iterator[tuple[str, str]]:
    """Yield (route, namespaced name) of every pattern, descending into included URLconfs."""
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            for route, name in _walk(entry, inner):
                yield str(entry.pattern) + route, name
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield str(entry.pattern), name or ""


def _skip_reason(name: str, route: str) -> str | None:
    if name in NOT_SKIPPED:
        return None
    for prefix, reason in SKIPPED.items():
        if name.startswith(prefix):
            return reason
    # Unnamed patterns only come from the admin (its redirects and catch-all).
    if route.startswith("admin/") or not name:
        return SKIPPED["admin:"]
    if route.startswith("accounts/"):
        return SKIPPED["account_"]
    return None


def walked_names() -> dict[str, str]:
    """Every pattern the walk must cover: {name: route}."""
    return {
        name: route for route, name in _walk(get_resolver()) if _skip_reason(name, route) is None
    }


def test_every_url_pattern_has_an_entry_in_the_table():
    missing = sorted(
        f"{name} ({route})" for name, route in walked_names().items() if name not in TABLE
    )
    assert not missing, "URL patterns without an authorization entry: " + ", ".join(missing)


def test_the_table_names_no_pattern_that_is_gone():
    gone = sorted(set(TABLE) - set(walked_names()))
    assert not gone, "table entries for URL patterns that no longer exist: " + ", ".join(gone)


def _value(site: Site, path: str) -> object:
    value: object = site
    for part in path.split("."):
        value = value[part] if isinstance(value, dict) else getattr(value, part)
    return value


def _allowed(world: SecurityWorld, persona: str, level: str, site: str | None) -> bool:
    """May this persona get the page for an object of this site, by the table's level?"""
    if level == PUBLIC or level == TOKEN:
        return True
    if persona == "anonymous":
        return False
    admin = site in world.admin_of.get(persona, set())
    team = site in world.team_leader_of.get(persona, set())
    member = site in world.member_of.get(persona, set())
    if level == PERSONAL:
        return True
    if level == PLG:
        return member or team or admin
    if level == TEAM:
        return team or admin
    if level == ADMIN:
        return admin
    if level == LEADERS:
        same_school = world.school_of[persona] == world.sites[site].school.name
        return admin or (persona == "teacher_leader" and same_school)
    if level == OWNER:
        return False
    raise AssertionError(f"unknown level {level}")


@dataclass
class Outcome:
    name: str
    site: str | None
    method: str
    status: int | str
    detail: str = ""

    def __str__(self) -> str:
        where = f" on site {self.site}" if self.site else ""
        return f"{self.method} {self.name}{where}: {self.status} {self.detail}".rstrip()


def _request(client, method: str, url: str) -> tuple[int | str, str]:
    """Send one request and undo whatever it changed, so the next one sees the same world."""
    # A sign-out or language switch would change the cookies for every later request.
    cookies = copy.deepcopy(client.cookies)
    try:
        with transaction.atomic():
            response = client.get(url) if method == "GET" else client.post(url, {})
            transaction.set_rollback(True)
    except Exception as error:  # noqa: BLE001 - a view that raises is the 500 we look for
        return 500, f"{type(error).__name__}: {error}"
    finally:
        client.cookies = cookies
    return response.status_code, response.get("Location", "")


def _denied_ok(persona: str, status: int | str, location: str) -> bool:
    if status in (403, 404, 405):
        return True
    return (
        persona == "anonymous" and status == 302 and location.startswith(reverse("account_login"))
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_url_answers_a_persona_who_may_not_see_it(client, security_world, persona):
    user = security_world.personas[persona]
    if user is not None:
        client.force_login(user)
    failures: list[Outcome] = []
    with time_machine.travel(NOW, tick=False):
        # A pattern missing from the table fails test_every_url_pattern_has_an_entry_in_the_table.
        for name in sorted(set(walked_names()) & set(TABLE)):
            level, kwargs = TABLE[name]
            sites = [None] if not kwargs else list(security_world.sites)
            for site in sites:
                values = (
                    {k: _value(security_world.sites[site], p) for k, p in kwargs.items()}
                    if site
                    else {}
                )
                url = reverse(name, kwargs=values)
                allowed = _allowed(security_world, persona, level, site)
                for method in ("GET", "POST"):
                    status, location = _request(client, method, url)
                    if status == 500 or (isinstance(status, int) and status >= 500):
                        failures.append(Outcome(name, site, method, status, location))
                    elif not allowed and not _denied_ok(persona, status, location):
                        failures.append(Outcome(name, site, method, status, location))
    assert not failures, f"{persona}:\n" + "\n".join(str(f) for f in failures)
