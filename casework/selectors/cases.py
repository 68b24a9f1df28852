"""Reads for work cases: one's own case, the list of submitted cases with turns, one case's text.

Privacy: the list never carries a case's text (only title and presenter are loaded), drafts
are read by `own_case` alone, and the text is shown only after casework.permissions says so.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import connection
from django.shortcuts import get_object_or_404

from communities.permissions import require
from meetings.permissions import visible_meetings
from meetings.selectors.attendance import group_members
from plg_platform.sql import all_rows, instance, table

from ..models import CaseStatus, SmallGroup, WorkCase
from ..permissions import CaseworkAccess, can_read_case_text, casework_access, in_session
from . import own
from .turns import presented_before

if TYPE_CHECKING:
    from django.db.models import Field, Model

    from meetings.models import Meeting
    from plg_platform.users.models import User

# What a list of cases may load: never the situation, question or what was tried.
LISTED_FIELDS = ("pk", "meeting_id", "presenter_id", "title", "status", "submitted_at",
                 "presenter__name", "presenter__email", "presenter__deleted_at",
                 "small_group__id", "small_group__number")  # fmt: skip


def own_case(meeting: Meeting, user: User) -> WorkCase | None:
    """The user's own work case for a meeting, draft or submitted (it is theirs)."""
    found, case = own.remembered(meeting, user, "case")
    if found:
        return case
    return WorkCase.objects.filter(meeting=meeting, presenter=user).first()


def get_case_for(user: User, pk: int) -> tuple[WorkCase, CaseworkAccess]:
    """A work case whose text the user may read now, with their access; 404 otherwise."""
    case = get_object_or_404(
        WorkCase.objects.select_related(
            "presenter",
            "small_group",
            "meeting__community__team__school",
            "meeting__community__school_year",
            "meeting__theme",
        ).filter(meeting__in=visible_meetings(user)),
        pk=pk,
    )
    access = casework_access(user, case.meeting)
    require(can_read_case_text(case, user, access))
    return case, access


@dataclass(frozen=True)
class ListedCase:
    """A submitted case on the list: its title and presenter, and whether the viewer reads it."""

    case: WorkCase
    readable: bool


def submitted_cases(meeting: Meeting, user: User, access: CaseworkAccess) -> list[ListedCase]:
    """The meeting's submitted cases (never drafts), oldest submission first."""
    cases = (
        WorkCase.objects.filter(meeting=meeting, status=CaseStatus.SUBMITTED)
        .select_related("presenter", "small_group")
        .only(*LISTED_FIELDS)
        .order_by("submitted_at", "pk")
    )
    rows = []
    for case in cases:
        # The same meeting object for every case: its live run is looked up once.
        case.meeting = meeting
        rows.append(ListedCase(case, can_read_case_text(case, user, access)))
    return rows


@dataclass(frozen=True)
class TurnRow:
    member: User
    presented: bool
    submitted_now: bool


def turns(meeting: Meeting, submitted: list[ListedCase]) -> list[TurnRow]:
    """Every group member: presented at an earlier meeting this year, or not yet."""
    earlier = presented_before(meeting)
    now = {row.case.presenter_id for row in submitted}
    return [
        TurnRow(
            member=membership.user,
            presented=membership.user_id in earlier,
            submitted_now=membership.user_id in now,
        )
        for membership in group_members(meeting.community)
    ]


def readable_group_cases(meeting: Meeting, user: User, access: CaseworkAccess) -> list[WorkCase]:
    """During the meeting: the cases of the small groups the user sits in or leads (not own)."""
    group_ids = set(access.led_group_ids)
    if access.own_group_id is not None:
        group_ids.add(access.own_group_id)
    if not group_ids or not in_session(meeting):
        return []
    cases = _group_cases(meeting, user, sorted(group_ids))
    readable = []
    for case in cases:
        case.meeting = meeting
        if can_read_case_text(case, user, access):
            readable.append(case)
    return readable


def _group_cases(meeting: Meeting, user: User, group_ids: list[int]) -> list[WorkCase]:
    """The meeting's submitted cases of these small groups, not the user's own, by group number,
    with only the listed fields (`LISTED_FIELDS`: never a case's text).

    Plain SQL (plg_platform.sql): the ORM took 2.5 ms of CPU to build it on the page of every
    member in a small group during the meeting. tests/casework/test_own_group_sql.py holds it
    to the ORM's query with `.only(*LISTED_FIELDS)`.
    """
    sql, case_fields, user_fields, group_fields = _group_cases_sql(len(group_ids))
    params = {"meeting": meeting.pk, "user": user.pk, "submitted": CaseStatus.SUBMITTED.value}
    params.update({f"group{index}": pk for index, pk in enumerate(group_ids)})
    cases = []
    for values in all_rows(sql, params):
        case = instance(WorkCase, case_fields, values[: len(case_fields)])
        rest = values[len(case_fields) :]
        presenter = instance(get_user_model(), user_fields, rest[: len(user_fields)])
        group = instance(SmallGroup, group_fields, rest[len(user_fields) :])
        WorkCase.presenter.field.set_cached_value(case, presenter)
        WorkCase.small_group.related.set_cached_value(case, group)
        SmallGroup.case.field.set_cached_value(group, case)
        cases.append(case)
    return cases


@functools.cache
def _group_cases_sql(groups: int) -> tuple[str, list[Field], list[Field], list[Field]]:
    def listed(model: type[Model], alias: str, prefix: str) -> tuple[str, list[Field]]:
        """The primary key and the `LISTED_FIELDS` of one model (those under `prefix__`)."""
        names = [
            name.removeprefix(prefix)
            for name in LISTED_FIELDS
            if name != "pk" and name.startswith(prefix) and "__" not in name.removeprefix(prefix)
        ]
        wanted = {model._meta.pk, *(model._meta.get_field(name) for name in names)}
        # In the model's order: `Model.from_db` reads partial rows in that order.
        fields = [field for field in model._meta.concrete_fields if field in wanted]
        quote = connection.ops.quote_name
        return ", ".join(f"{alias}.{quote(field.column)}" for field in fields), fields

    case_columns, case_fields = listed(WorkCase, "w", "")
    user_columns, user_fields = listed(get_user_model(), "u", "presenter__")
    group_columns, group_fields = listed(SmallGroup, "g", "small_group__")
    placeholders = ", ".join(f"%(group{index})s" for index in range(groups))
    sql = f"""
        SELECT {case_columns}, {user_columns}, {group_columns}
        FROM {table(WorkCase)} w
        JOIN {table(SmallGroup)} g ON g.case_id = w.id
        JOIN {table(get_user_model())} u ON u.id = w.presenter_id
        WHERE w.meeting_id = %(meeting)s AND w.status = %(submitted)s
          AND g.id IN ({placeholders}) AND w.presenter_id <> %(user)s
        ORDER BY g.number
    """  # noqa: S608
    return sql, case_fields, user_fields, group_fields


def meeting_panel(meeting: Meeting, user: User, access: CaseworkAccess) -> dict[str, object]:
    """Context for templates/casework/meeting/_cases.html, in a fixed number of queries."""
    context: dict[str, object] = {
        "cases_own": None,
        "cases_submitted_count": None,
        "cases_readable": [],
    }
    if access.member:
        context["cases_own"] = own_case(meeting, user)
        context["cases_readable"] = readable_group_cases(meeting, user, access)
    if access.lists_cases:
        context["cases_submitted_count"] = (
            access.counts.submitted_cases
            if access.counts.submitted_cases is not None
            else WorkCase.objects.filter(meeting=meeting, status=CaseStatus.SUBMITTED).count()
        )
    return context
