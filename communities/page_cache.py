"""Whole pages kept for their own session, until anything in the school changes.

The main pages cost 2-3 times the layout alone to build, almost all of it Django's own Python
(docs/performance.md). Someone who opens the same page again while nothing in their school has
changed gets the page built for them the last time:

- **Only for the same session.** The key holds the address, the person, their session and CSRF
  cookie (the page's forms carry that token), language, time zone and today's date. Nobody is
  ever shown a page built for someone else.
- **Thrown away when anything changes.** Every request and every Celery task that writes to
  the database raises a version number in the database after its work is done: the version
  of each school the person belongs to (before and after the request), or the platform's own
  version when the writer belongs to no school, is staff, or is a task. A key holds the
  versions of the reader's schools and the platform's, so a write makes every kept page of
  those schools unreachable. The versions live in the database, not in the cache, so a cache
  that was away or restarted cannot bring an old page back.
- **A minute at most** (`PAGE_CACHE_SECONDS`), for what changes without a write: time passing
  (a meeting that starts, a deadline) and writes from outside the web and Celery (a shell).
- **Made by this code.** The key holds a digest of the templates, translations and Python
  code, so after a deploy no page kept by the code before it is shown.
- A page is kept only as a plain 200 answer to a GET without a query string that brought a
  valid CSRF cookie, with no messages to show and no cookies to set. The audit entry of a page whose opening is logged
  is written again on every opening, kept page or not (`audit_on_repeat`).

`kept_for` keeps anything else built for one person under the same versions: the calendar
feed, which does not depend on the clock, for as long as calendar apps may keep it.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import messages
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

from plg_platform.sql import all_rows, table

from .models import AuditEvent, Community, Membership, PageVersion, School, Team

if TYPE_CHECKING:
    from plg_platform.users.models import User

logger = logging.getLogger(__name__)

PLATFORM = 0  # the version every key holds; raised by writers that belong to no school
# The table a write statement changes; a statement that starts with WITH may write anywhere.
WRITE_TARGET = re.compile(
    r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO|MERGE\s+INTO)\s+[`"]?(\w+)', re.I
)
WRITE_WORD = re.compile(r"\b(?:INSERT|UPDATE|DELETE|MERGE)\b", re.I)


# -- Versions ---------------------------------------------------------------------------------


@functools.cache
def _schools_sql() -> str:
    admins, leaders = table(School.admins.through), table(Team.leaders.through)
    membership, community, team = table(Membership), table(Community), table(Team)
    return f"""
        SELECT a.school_id FROM {admins} a WHERE a.user_id = %(user)s
        UNION SELECT t.school_id FROM {leaders} l JOIN {team} t ON t.id = l.team_id
          WHERE l.user_id = %(user)s
        UNION SELECT t.school_id FROM {membership} m
          JOIN {community} c ON c.id = m.community_id JOIN {team} t ON t.id = c.team_id
          WHERE m.user_id = %(user)s
    """  # noqa: S608


def schools_of(user: User) -> set[int]:
    """The schools in which the person has a role: programme lead, team leader, PLG member."""
    if not user.is_authenticated:
        return set()
    return {school for (school,) in all_rows(_schools_sql(), {"user": user.pk})}


@functools.cache
def _versions_sql() -> str:
    versions = table(PageVersion)
    return f"""
        SELECT s.id, COALESCE(v.version, 0) FROM (
          SELECT {PLATFORM} AS id UNION {_schools_sql()}
        ) s LEFT JOIN {versions} v ON v.scope = s.id ORDER BY s.id
    """  # noqa: S608


def versions_for(user: User) -> tuple[tuple[int, int], ...]:
    """The platform's version and that of each of the person's schools, in one query."""
    return tuple(
        (scope, version) for scope, version in all_rows(_versions_sql(), {"user": user.pk})
    )


@functools.cache
def _bump_sql() -> str:
    versions = table(PageVersion)
    return f"""
        INSERT INTO {versions} (scope, version) VALUES (%s, 1)
        ON CONFLICT (scope) DO UPDATE SET version = {versions}.version + 1
    """  # noqa: S608


def versions_raise(scopes: Iterable[int]) -> None:
    """Raise the version of each scope (a school's id, or PLATFORM): its kept pages are gone."""
    with connection.cursor() as cursor:
        for scope in sorted(set(scopes)):
            cursor.execute(_bump_sql(), [scope])


def writer_scopes(user: User | None, before: set[int]) -> set[int]:
    """What a write by this person can have changed: their schools before and after it, or the
    whole platform when they belong to none, are staff (the admin site reaches every school),
    or are nobody (a Celery task, a visitor signing up)."""
    if user is None or not user.is_authenticated or user.is_staff:
        return {PLATFORM}
    return (before | schools_of(user)) or {PLATFORM}


NOT_SHOWN = frozenset(model._meta.db_table.lower() for model in (Session, AuditEvent, PageVersion))


def writes_shown_table(sql: str) -> bool:
    """Whether the statement writes to a table whose rows a kept page may show."""
    target = WRITE_TARGET.match(sql)
    if target is not None:
        return target.group(1).lower() not in NOT_SHOWN
    return sql.lstrip()[:4].upper() == "WITH" and WRITE_WORD.search(sql) is not None


class WriteWatch:
    """A database execute wrapper that notes whether any statement changed rows of a table
    other than the ones no kept page shows (sessions, the audit log, the versions themselves).
    A conditional update that matched nothing (a form sent from an old version) changed
    nothing."""

    def __init__(self) -> None:
        self.wrote = False

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        result = execute(sql, params, many, context)
        if not self.wrote and writes_shown_table(sql) and context["cursor"].rowcount != 0:
            self.wrote = True  # a rowcount of -1 (not known) counts as a change
        return result


SAFE = ("GET", "HEAD", "OPTIONS")


class PageCacheMiddleware:
    """Raises the versions after every request that wrote (whatever its method: a GET may
    mark something as read). Placed after the authentication middleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        # Whom a write concerns can change with it (a lead who leaves a school): ask before.
        before = schools_of(user) if user is not None and request.method not in SAFE else set()
        watch = WriteWatch()
        with connection.execute_wrapper(watch):
            response = self.get_response(request)
        if watch.wrote:
            try:
                versions_raise(writer_scopes(getattr(request, "user", None), before))
            except DatabaseError:
                # The change itself is saved: say so rather than fail the request. Kept pages
                # of the school may then show the old state for up to PAGE_CACHE_SECONDS.
                logger.exception("Could not raise the page versions after a change")
        return response


_task_watches: dict[str, WriteWatch] = {}


def on_task_start(task_id: str | None = None, **kwargs: Any) -> None:
    if task_id is not None:
        watch = WriteWatch()
        connection.execute_wrappers.append(watch)
        _task_watches[task_id] = watch


def on_task_end(task_id: str | None = None, **kwargs: Any) -> None:
    watch = _task_watches.pop(task_id, None) if task_id is not None else None
    if watch is None:
        return
    if watch in connection.execute_wrappers:
        connection.execute_wrappers.remove(watch)
    if watch.wrote:
        versions_raise({PLATFORM})


# -- Pages ------------------------------------------------------------------------------------


CODE_FOLDERS = (
    "templates",
    "locale",
    "plg_platform",
    "communities",
    "meetings",
    "casework",
    "teacherleaders",
)
CODE_SUFFIXES = (".py", ".html", ".txt", ".po")


@functools.cache
def code_version() -> str:
    """A digest of the templates, translations and Python code this process runs, so that a
    deploy never shows pages kept by the code before it (worked out once per process)."""
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    for folder in CODE_FOLDERS:
        for path in sorted((base / folder).rglob("*")):
            if path.suffix in CODE_SUFFIXES and path.is_file():
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _key(parts: tuple[Any, ...], user: User) -> str:
    """The cache key of what `parts` name, for this person while nothing in their schools
    (and on the platform) changes, made by this code."""
    kept = (parts, versions_for(user), code_version())
    return "page:" + hashlib.sha256(repr(kept).encode()).hexdigest()


def _page_key(request: HttpRequest) -> str:
    parts = (
        request.path,
        request.user.pk,
        request.session.session_key,
        request.META["CSRF_COOKIE"],
        translation.get_language(),
        timezone.get_current_timezone_name(),
        timezone.localdate().isoformat(),
    )
    return _key(parts, request.user)


def kept_for(user: User, parts: tuple[Any, ...], build: Callable[[], Any], *, seconds: int) -> Any:
    """What `build` makes for this person, kept for at most `seconds` while nothing in their
    schools changes; `parts` must name everything else it depends on. Nothing is kept when
    pages are not (PAGE_CACHE_SECONDS 0)."""
    if settings.PAGE_CACHE_SECONDS <= 0 or seconds <= 0:
        return build()
    key = _key(parts, user)
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, seconds)
    return value


def _keepable(request: HttpRequest) -> bool:
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method == "GET"
        # The kept pages read nothing from the query string; keeping one page per made-up
        # query string would let one session fill the cache.
        and not request.GET
        and request.user.is_authenticated
        and request.session.session_key is not None
        and "CSRF_COOKIE" in request.META  # a valid CSRF cookie came with the request
        and not len(messages.get_messages(request))
    )


def cached_page(request: HttpRequest, build: Callable[[], HttpResponse]) -> HttpResponse:
    """The page `build` makes, or the one it made for this session while nothing changed."""
    if not _keepable(request):
        return build()
    key = _page_key(request)
    kept = cache.get(key)
    if kept is not None:
        content, headers, audit = kept
        if audit is not None:
            _audit_again(request, audit)
        get_token(request)  # renews the CSRF cookie's expiry, as building the page would
        return HttpResponse(content, headers=headers)
    response = build()
    if (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not len(messages.get_messages(request))
    ):
        audit = getattr(response, "audit_on_repeat", None)
        cache.set(
            key, (response.content, dict(response.items()), audit), settings.PAGE_CACHE_SECONDS
        )
    return response


def _audit_again(request: HttpRequest, audit: tuple[int, str, str]) -> None:
    from .audit import audit_record

    school, action, subject = audit
    audit_record(school=School(pk=school), actor=request.user, action=action, subject=subject)


def page_cached(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Keep the view's page per session until its school changes (see the module's text)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return cached_page(request, lambda: view(request, *args, **kwargs))

    return wrapper
