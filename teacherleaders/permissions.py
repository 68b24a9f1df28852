"""Access helpers for teacher leaders' pages: each answers 404 for what a user may not see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from communities.models import CommunityKind, Membership, School, SchoolYear
from communities.permissions import require
from meetings.permissions import get_meeting_for

from .models import LeaderMeetingNotes, Training

if TYPE_CHECKING:
    from meetings.models import Meeting
    from plg_platform.users.models import User


@dataclass(frozen=True)
class LeaderYear:
    """A school where the user leads a PLG, and the school year their profile is about."""

    school: School
    school_year: SchoolYear


def _active(user: User) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def leading_memberships(user: User):
    """The user's teacher-leader memberships of ordinary PLGs in years that have not ended."""
    if not _active(user):
        return Membership.objects.none()
    return Membership.objects.filter(
        user=user,
        user__deleted_at__isnull=True,
        is_teacher_leader=True,
        community__kind=CommunityKind.PLG,
        community__school_year__ends_on__gte=timezone.localdate(),
    )


def leader_years(user: User) -> list[LeaderYear]:
    """Per school, the earliest unfinished school year in which the user leads a PLG."""
    years: dict[int, LeaderYear] = {}
    rows = (
        leading_memberships(user)
        .select_related("community__school_year__school")
        .order_by("community__school_year__starts_on", "community__school_year__school__name")
    )
    for membership in rows:
        school_year = membership.community.school_year
        years.setdefault(school_year.school_id, LeaderYear(school_year.school, school_year))
    return sorted(years.values(), key=lambda entry: entry.school.name)


def get_leader_year_for(
    user: User, school_pk: int | None = None, *, years: list[LeaderYear] | None = None
) -> LeaderYear:
    """The teacher leader's school and year (the only one, or the one asked for); 404 otherwise.

    Pass `years` (from leader_years) when the caller needs them too, to read them once.
    """
    if years is None:
        years = leader_years(user)
    if school_pk is None and years:
        return years[0]
    for entry in years:
        if entry.school.pk == school_pk:
            return entry
    raise Http404


def get_training_for(user: User, leader_year: LeaderYear, pk: int) -> Training:
    """One of the user's own training records at that school; 404 for anyone else's."""
    return get_object_or_404(Training, pk=pk, user=user, school=leader_year.school)


def leaders_of(school_year: SchoolYear):
    """Who leads an ordinary PLG of the school in that year (their shared reflections' readers)."""
    # A deleted account keeps its membership for the year's history, but leads nothing.
    return Membership.objects.filter(
        is_teacher_leader=True,
        user__deleted_at__isnull=True,
        community__kind=CommunityKind.PLG,
        community__school_year=school_year,
    )


def get_leader_meeting_for(user: User, pk: int, *, manage: bool = False) -> Meeting:
    """A meeting of a teacher leaders' PLG the user may see (or plan); 404 otherwise."""
    meeting = get_meeting_for(user, pk, manage=manage)
    require(meeting.community.kind == CommunityKind.TEACHER_LEADERS)
    return meeting


def get_notes_for_writer(user: User, pk: int) -> LeaderMeetingNotes:
    """The notes of a teacher-leader meeting whose note-taker is the user; 404 for anyone else."""
    meeting = get_leader_meeting_for(user, pk)
    notes = LeaderMeetingNotes.objects.filter(meeting=meeting, writer=user).first()
    require(notes is not None)
    notes.meeting = meeting
    notes.writer = user
    return notes
