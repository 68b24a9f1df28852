"""The case-session section of the meeting page: each area adds its part."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from meetings.models import Meeting, MeetingStatus

from ..models import (
    CaseStatus,
    MeetingEvaluation,
    MeetingEvaluationParticipation,
    Reflection,
    SmallGroup,
    WorkCase,
)
from ..permissions import CaseworkAccess, MeetingCounts, casework_access
from ..services.reflections import reflection_can_be_written
from . import cases, evaluations, groups, live, reflections, reports, steps

if TYPE_CHECKING:
    from meetings.permissions import MeetingAccess
    from plg_platform.users.models import User

AREAS = (cases, groups, live, steps, reflections, evaluations, reports)


def meeting_panel(meeting: Meeting, user: User, access: MeetingAccess) -> dict[str, object]:
    """Context for templates/casework/meeting/_casework.html (one access check for all areas)."""
    casework = casework_access(user, meeting, access)
    casework = dataclasses.replace(casework, counts=meeting_counts(meeting, user, casework))
    context: dict[str, object] = {"casework": casework}
    for area in AREAS:
        context.update(area.meeting_panel(meeting, user, casework))
    return context


def _count(rows: QuerySet) -> Coalesce:
    """A correlated COUNT(*) of the rows of this meeting (0 when there are none)."""
    counted = rows.filter(meeting=OuterRef("pk")).order_by().values("meeting")
    return Coalesce(
        Subquery(counted.annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()),
        Value(0),
    )


def meeting_counts(meeting: Meeting, user: User, access: CaseworkAccess) -> MeetingCounts:
    """Read the numbers this viewer's areas need in one query (none when they need none)."""
    columns: dict[str, object] = {}
    if access.lists_cases:
        columns["submitted_cases"] = _count(WorkCase.objects.filter(status=CaseStatus.SUBMITTED))
    if access.splits_groups:
        columns["groups_made"] = Exists(SmallGroup.objects.filter(meeting=OuterRef("pk")))
    if access.member and reflection_can_be_written(meeting):
        columns["shared_reflections"] = _count(Reflection.objects.filter(shared=True))
    if meeting.has_taken_place:
        if evaluations.reads_evaluations(access):
            columns["evaluations"] = _count(MeetingEvaluation.objects.all())
        if access.member:
            columns["evaluated"] = Exists(
                MeetingEvaluationParticipation.objects.filter(meeting=OuterRef("pk"), user=user)
            )
            # The rule of `evaluation_closes_at`: the window closes when the next meeting starts.
            columns["next_starts_at"] = Subquery(
                Meeting.objects.filter(
                    community_id=meeting.community_id, starts_at__gt=OuterRef("starts_at")
                )
                .exclude(status=MeetingStatus.CANCELLED)
                .order_by("starts_at")
                .values("starts_at")[:1]
            )
    if len(columns) < 2:
        # One number costs one query either way: the area reads it itself.
        return MeetingCounts()
    # Prefixed: some names (`evaluations`) are also relations of Meeting.
    aliased = {f"count_{name}": column for name, column in columns.items()}
    row = Meeting.objects.filter(pk=meeting.pk).annotate(**aliased).values(*aliased).get()
    return MeetingCounts(**{name: row[f"count_{name}"] for name in columns})
