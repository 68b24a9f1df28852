"""The audit log: who opened, downloaded, changed or deleted what in a school, and its reads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .models import AuditAction, AuditEvent, Membership, Role, School, Team
from .selectors import schools_of_person

if TYPE_CHECKING:
    from plg_platform.users.models import User

PER_PAGE = 50
ACTOR_LABEL_LENGTH = AuditEvent._meta.get_field("actor_label").max_length
SUBJECT_LENGTH = AuditEvent._meta.get_field("subject").max_length


def _clip(text: str, length: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= length else text[: length - 1] + "…"


def audit_record(
    *, school: School, actor: User | None, action: AuditAction | str, subject: str = ""
) -> AuditEvent:
    """Record one event in a school's audit log; no actor means the platform itself did it.

    One INSERT, atomic by itself, or part of the caller's transaction: no transaction of its
    own, which cost two more statements on every opening of a yearly report."""
    # The name is copied as text, so the log still says who it was after the account is gone.
    label = _clip(actor.display_name, ACTOR_LABEL_LENGTH) if actor is not None else ""
    return AuditEvent.objects.create(
        school=school,
        actor=actor,
        actor_label=label,
        action=AuditAction(action),
        subject=_clip(subject, SUBJECT_LENGTH),
    )


def audit_membership(*, membership: Membership, actor: User | None, change: str) -> AuditEvent:
    """Log that a person joined or left a PLG, with the roles they had."""
    community = membership.community
    return audit_record(
        school=community.team.school,
        actor=actor,
        action=AuditAction.MEMBERSHIP_CHANGED,
        subject=f"{membership.user.display_name} · {community.name} · {change} "
        f"({membership.role_labels})",
    )


def audit_roles_change(
    *, membership: Membership, roles: Iterable[Role], actor: User | None
) -> AuditEvent | None:
    """Log a member's roles changing (call before saving them); nothing when they stay the same."""
    before, after = membership.roles, [role for role in Role if role in set(roles)]
    if before == after:
        return None
    community = membership.community
    return audit_record(
        school=community.team.school,
        actor=actor,
        action=AuditAction.MEMBERSHIP_CHANGED,
        subject=f"{membership.user.display_name} · {community.name} · "
        + _("roles: %(before)s → %(after)s") % {"before": _labels(before), "after": _labels(after)},
    )


def audit_team_leaders(
    *, team: Team, leaders: Iterable[User], actor: User | None
) -> AuditEvent | None:
    """Log a team's leaders changing (call before setting them); nothing when they stay the same."""
    before = list(team.leaders.all()) if team.pk else []
    change = _people_change(before, leaders)
    if not change:
        return None
    return audit_record(
        school=team.school,
        actor=actor,
        action=AuditAction.TEAM_LEADERS_CHANGED,
        subject=f"{team.name} · {change}",
    )


def audit_programme_leads(
    *, school: School, before: Iterable[User], after: Iterable[User], actor: User | None
) -> AuditEvent | None:
    """Log a school's programme leads changing; nothing when they stay the same."""
    change = _people_change(before, after)
    if not change:
        return None
    return audit_record(
        school=school, actor=actor, action=AuditAction.PROGRAMME_LEADS_CHANGED, subject=change
    )


def audit_school_setting(
    *, school: School, field: str, before: object, after: object, actor: User | None
) -> AuditEvent | None:
    """Log a school setting changing, old → new; nothing when it stays the same."""
    if before == after:
        return None
    label = capfirst(School._meta.get_field(field).verbose_name)
    return audit_record(
        school=school,
        actor=actor,
        action=AuditAction.SCHOOL_SETTINGS_CHANGED,
        subject=f"{label}: {_setting_value(before)} → {_setting_value(after)}",
    )


def _setting_value(value: object) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def _people_change(before: Iterable[User], after: Iterable[User]) -> str:
    """'added: A; removed: B' between two groups of people; empty when they are the same."""
    old = {user.pk: user.display_name for user in before}
    new = {user.pk: user.display_name for user in after}
    parts = []
    if added := sorted(new[pk] for pk in new.keys() - old.keys()):
        parts.append(_("added: %(names)s") % {"names": ", ".join(added)})
    if removed := sorted(old[pk] for pk in old.keys() - new.keys()):
        parts.append(_("removed: %(names)s") % {"names": ", ".join(removed)})
    return "; ".join(parts)


def _labels(roles: Iterable[Role]) -> str:
    return ", ".join(str(role.label) for role in roles) or "—"


def on_data_exported(sender: Any, *, user: User, **kwargs: Any) -> None:
    """Log a download of one's own data in every school the person belongs to."""
    for school in schools_of_person(user):
        audit_record(school=school, actor=user, action=AuditAction.DATA_EXPORTED)


# Reads for the log page.


@dataclass(frozen=True)
class AuditFilter:
    action: str = ""
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    person: str = ""

    @property
    def is_active(self) -> bool:
        return bool(self.action or self.starts_on or self.ends_on or self.person)


def audit_events(school: School, audit_filter: AuditFilter) -> QuerySet[AuditEvent]:
    """A school's events, newest first, narrowed by the filter (dates are local calendar days)."""
    events = AuditEvent.objects.filter(school=school).order_by("-at", "-pk")
    if audit_filter.action:
        events = events.filter(action=audit_filter.action)
    if audit_filter.starts_on:
        events = events.filter(at__date__gte=audit_filter.starts_on)
    if audit_filter.ends_on:
        events = events.filter(at__date__lte=audit_filter.ends_on)
    if audit_filter.person:
        events = events.filter(actor_label__icontains=audit_filter.person)
    return events


def audit_log_page(school: School, audit_filter: AuditFilter, page_number: object) -> Page:
    """One page of the filtered log: a count and a slice, whatever the log's size."""
    return Paginator(audit_events(school, audit_filter), PER_PAGE).get_page(page_number)
