"""Reads for absence requests, who is expected, attendance, and the hours overview.

Privacy: the reason of an absence request is read only by `own_absence` and `own_rows` (its
member) and by `absence_inbox` / `get_absence_for_decision` (the team leaders who decide, or the
programme leads for the teacher leaders' own PLG). Everything else reads the status only.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django.contrib.auth import get_user_model
from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.translation import pgettext_lazy

from communities.models import Community, Membership
from plg_platform.sql import all_rows, columns, instance, one_row, table

from ..models import (
    AbsenceRequest,
    AbsenceStatus,
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingPreparer,
    MeetingStatus,
)
from ..permissions import absence_communities
from ..services.attendance import attendance_can_be_recorded

if TYPE_CHECKING:
    from django.db.models import Field, QuerySet
    from django.utils.functional import Promise
    from django.utils.safestring import SafeString

    from plg_platform.users.models import User

    from ..permissions import MeetingAccess

# Clock hours per school year for the annual task load (jaartaak), from the PLG handbook.
PREPARATION_NORM = Decimal(5)
PARTICIPATION_NORM = Decimal(15)
RECENT_DECISIONS = 25
EXPECTED = pgettext_lazy("absence request", "expected")


def group_members(community: Community) -> QuerySet[Membership]:
    """The group of a PLG (no guest experts), ordered by name, each with its user."""
    return (
        Membership.objects.group_members()
        .filter(community=community)
        .select_related("user")
        .order_by("user__name", "user__email")
    )


def own_absence(meeting: Meeting, user: User) -> AbsenceRequest | None:
    """The user's own absence request for a meeting (with its reason: it is theirs)."""
    return AbsenceRequest.objects.filter(meeting=meeting, member=user).first()


@dataclass(frozen=True)
class ExpectedRow:
    """One group member on the "who is expected" list: never the reason, only the state."""

    member: User
    absence_status: str | None
    state: str | Promise
    attendance: str | Promise | None


def expected_list(meeting: Meeting) -> list[ExpectedRow]:
    """Every group member with their absence state and, once recorded, their attendance.

    One plain SQL query (plg_platform.sql): the group members (`group_members`), each with
    the status of their absence request and attendance; the ORM's three queries cost 7 ms of
    CPU on every meeting page. tests/meetings/test_attendance_sql.py holds it to the ORM.
    """
    sql, fields = _expected_sql()
    rows = []
    for *values, status, attendance in all_rows(
        sql, {"meeting": meeting.pk, "community": meeting.community_id}
    ):
        rows.append(
            ExpectedRow(
                member=instance(get_user_model(), fields, values),
                absence_status=status,
                state=AbsenceStatus(status).label if status else EXPECTED,
                attendance=AttendanceStatus(attendance).label if attendance else None,
            )
        )
    return rows


@functools.cache
def _expected_sql() -> tuple[str, list[Field]]:
    """The group members (the rule of `MembershipQuerySet.group_members`) ordered by name, each
    with the status of their absence request and their attendance at the meeting."""
    selected, fields = columns(get_user_model(), "u")
    sql = f"""
        SELECT {selected}, a.status, t.status
        FROM {table(Membership)} m
        JOIN {table(get_user_model())} u ON u.id = m.user_id
        LEFT JOIN {table(AbsenceRequest)} a ON a.meeting_id = %(meeting)s AND a.member_id = m.user_id
        LEFT JOIN {table(Attendance)} t ON t.meeting_id = %(meeting)s AND t.member_id = m.user_id
        WHERE m.community_id = %(community)s
          AND (m.is_participant OR m.is_teacher_leader OR m.is_development_team)
        ORDER BY u.name, u.email
    """  # noqa: S608
    return sql, fields


def own_rows(meeting: Meeting, user: User) -> tuple[AbsenceRequest | None, str | None]:
    """The user's own absence request (with its reason: it is theirs) and recorded attendance
    status, in one plain SQL query (the same rows as `own_absence` and the attendance row)."""
    sql, fields = _own_sql()
    row = one_row(sql, {"meeting": meeting.pk, "user": user.pk})
    if row is None:
        return None, None
    *values, attendance = row
    absence = instance(AbsenceRequest, fields, values) if values[0] is not None else None
    return absence, attendance


@functools.cache
def _own_sql() -> tuple[str, list[Field]]:
    selected, fields = columns(AbsenceRequest, "a")
    sql = f"""
        SELECT {selected}, t.status
        FROM {table(Meeting)} mt
        LEFT JOIN {table(AbsenceRequest)} a ON a.meeting_id = mt.id AND a.member_id = %(user)s
        LEFT JOIN {table(Attendance)} t ON t.meeting_id = mt.id AND t.member_id = %(user)s
        WHERE mt.id = %(meeting)s
    """  # noqa: S608
    return sql, fields


def meeting_panel(meeting: Meeting, user: User, access: MeetingAccess) -> dict[str, object]:
    """Context for the attendance section of the meeting page (meeting/_attendance.html)."""
    from ..forms.attendance import AbsenceRequestForm

    context: dict[str, object] = {
        "absence_open": not meeting.has_taken_place and not meeting.is_cancelled,
        "attendance_open": attendance_can_be_recorded(meeting),
    }
    if access.member:
        absence, recorded = own_rows(meeting, user)
        context["absence_own"] = absence
        context["attendance_own"] = AttendanceStatus(recorded).label if recorded else None
        if context["absence_open"] and (absence is None or absence.status == AbsenceStatus.PENDING):
            context["absence_form"] = AbsenceRequestForm(
                initial={"reason": absence.reason if absence else ""}
            )
            if absence is None:
                context["absence_form_html"] = blank_absence_form(translation.get_language())
    if access.plan or access.decide_absence:
        context["attendance_expected"] = expected_list(meeting)
    return context


@functools.lru_cache(maxsize=8)
def blank_absence_form(language: str | None) -> SafeString:
    """The blank absence form as `{{ form|crispy }}` renders it, kept per process and language.

    Every member sees it on every upcoming meeting's page, and crispy-forms took 2.5 ms of CPU
    to render it. Blank, it is the same HTML for every meeting, user and request in a language:
    its field, label and help text are all in the form class (the CSRF token is outside it),
    so a deploy (new code) is the only thing that changes it. A request's own reason is
    rendered each time. Rendered inside the language it is kept for (the caller's active one).
    """
    from ..forms.attendance import AbsenceRequestForm

    return as_crispy_form(AbsenceRequestForm(initial={"reason": ""}))


def absence_inbox(user: User) -> dict[str, list[AbsenceRequest]]:
    """The pending requests and recent decisions of every PLG whose requests the user decides."""
    requests = AbsenceRequest.objects.filter(
        meeting__community__in=absence_communities(user)
    ).select_related("meeting__community", "member", "decided_by")
    return {
        "pending": list(
            # A cancelled meeting's requests need no decision any more.
            requests.filter(status=AbsenceStatus.PENDING)
            .exclude(meeting__status=MeetingStatus.CANCELLED)
            .order_by("meeting__starts_at", "created_at")
        ),
        "decided": list(
            requests.exclude(status=AbsenceStatus.PENDING).order_by("-decided_at", "-pk")[
                :RECENT_DECISIONS
            ]
        ),
    }


def get_absence_for_decision(user: User, pk: int) -> AbsenceRequest:
    """An absence request the user may decide on (team leader, or programme lead for the
    teacher leaders' PLG); 404 otherwise."""
    return get_object_or_404(
        AbsenceRequest.objects.select_related("meeting__community__team", "member").filter(
            meeting__community__in=absence_communities(user)
        ),
        pk=pk,
    )


@dataclass(frozen=True)
class SheetRow:
    """One group member on the attendance sheet, with the status to start from."""

    member: User
    initial: str
    approved: bool
    recorded: bool


def attendance_sheet(meeting: Meeting) -> list[SheetRow]:
    """Every group member with the recorded status, else the default.

    The default is "absent with approval" for an approved absence request, otherwise present.
    """
    approved = set(
        meeting.absence_requests.filter(status=AbsenceStatus.APPROVED).values_list(
            "member_id", flat=True
        )
    )
    recorded = dict(meeting.attendance.values_list("member_id", "status"))
    rows = []
    for membership in group_members(meeting.community):
        user_id = membership.user_id
        default = AttendanceStatus.EXCUSED if user_id in approved else AttendanceStatus.PRESENT
        rows.append(
            SheetRow(
                member=membership.user,
                initial=recorded.get(user_id, default),
                approved=user_id in approved,
                recorded=user_id in recorded,
            )
        )
    return rows


def clock_hours(value: Decimal | dt.timedelta | None) -> Decimal:
    """Hours as a decimal with at most two places, without trailing zeros (2.5, not 2.50)."""
    if value is None:
        return Decimal(0)
    if isinstance(value, dt.timedelta):
        value = Decimal(int(value.total_seconds())) / Decimal(3600)
    value = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


@dataclass(frozen=True)
class HoursRow:
    """A member's hours in a PLG's school year against the annual task-load norms."""

    member: User
    is_development_team: bool
    preparation: Decimal
    preparation_norm: Decimal | None
    preparation_unrecorded: int
    participation: Decimal
    participation_norm: Decimal
    meetings_present: int

    @property
    def preparation_difference(self) -> Decimal | None:
        if self.preparation_norm is None:
            return None
        return self.preparation - self.preparation_norm

    @property
    def participation_difference(self) -> Decimal:
        return self.participation - self.participation_norm

    @property
    def preparation_gap(self) -> Decimal | None:
        """The difference from the norm without its sign (the words say above or below)."""
        difference = self.preparation_difference
        return None if difference is None else abs(difference)

    @property
    def participation_gap(self) -> Decimal:
        return abs(self.participation_difference)


def hours_overview(community: Community, *, only_user: User | None = None) -> list[HoursRow]:
    """Preparation and participation hours per group member; three queries whatever the size.

    Participation counts the full length of each meeting the member was recorded present at.
    """
    members = group_members(community)
    if only_user is not None:
        members = members.filter(user=only_user)
    preparation = {
        row["user"]: row
        for row in MeetingPreparer.objects.filter(meeting__community=community)
        .values("user")
        .annotate(total=Sum("hours"), unrecorded=Count("pk", filter=Q(hours__isnull=True)))
        .order_by()
    }
    participation = {
        row["member"]: row
        for row in Attendance.objects.filter(
            meeting__community=community, status=AttendanceStatus.PRESENT
        )
        .values("member")
        .annotate(duration=Sum("meeting__duration"), meetings=Count("pk"))
        .order_by()
    }
    return [
        hours_row(
            membership,
            prepared=preparation.get(membership.user_id, {}),
            present=participation.get(membership.user_id, {}),
        )
        for membership in members
    ]


def hours_row(
    membership: Membership, *, prepared: dict[str, Any], present: dict[str, Any]
) -> HoursRow:
    """One member's hours against the norms, from their summed preparation and attendance.

    `prepared` holds `total` and `unrecorded`, `present` holds `duration` and `meetings`; the
    yearly report sums them for many PLGs at once and shares this rule.
    """
    return HoursRow(
        member=membership.user,
        is_development_team=membership.is_development_team,
        preparation=clock_hours(prepared.get("total")),
        preparation_norm=PREPARATION_NORM if membership.is_development_team else None,
        preparation_unrecorded=prepared.get("unrecorded", 0),
        participation=clock_hours(present.get("duration")),
        participation_norm=PARTICIPATION_NORM,
        meetings_present=present.get("meetings", 0),
    )
