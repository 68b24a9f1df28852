"""Reads for the teacher leaders' own PLG: its years, the note-taker proposals and the notes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Q
from django.utils import timezone

from communities.models import Community, CommunityKind, Membership, School, SchoolYear
from meetings.models import (
    AbsenceRequest,
    AbsenceStatus,
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingStatus,
)

from .. import rotation
from ..models import LeaderMeetingNotes

if TYPE_CHECKING:
    from meetings.permissions import MeetingAccess
    from plg_platform.users.models import User


@dataclass(frozen=True)
class LeaderPlgYear:
    """One school year on the setup page: its teacher leaders' PLG (if any) and who leads."""

    school_year: SchoolYear
    community: Community | None
    leader_count: int


def leader_plg_years(school: School) -> list[LeaderPlgYear]:
    """Every school year of the school with its teacher leaders' PLG, in three queries."""
    years = list(
        SchoolYear.objects.filter(school=school)
        .annotate(
            leader_count=Count(
                "communities__memberships__user",
                filter=Q(
                    communities__kind=CommunityKind.PLG,
                    communities__memberships__is_teacher_leader=True,
                    communities__memberships__user__deleted_at__isnull=True,
                ),
                distinct=True,
            )
        )
        .order_by("-starts_on")
    )
    plgs = {
        community.school_year_id: community
        for community in Community.objects.filter(
            school_year__in=years, kind=CommunityKind.TEACHER_LEADERS
        )
        .with_counts()
        # Should a year ever hold two, the oldest one wins (it is the one the service syncs).
        .order_by("-pk")
    }
    return [LeaderPlgYear(year, plgs.get(year.pk), year.leader_count) for year in years]


@dataclass
class Rotation:
    """The note-takers of a teacher-leader PLG's meetings: fixed ones and proposals."""

    members: list[User]
    writers: dict[int, User | None]
    notes: dict[int, LeaderMeetingNotes] = field(default_factory=dict)
    # Meetings that are over: without a fixed writer they had no notes in turn.
    over: set[int] = field(default_factory=set)


def rotation_members(community: Community) -> list[User]:
    """The people who take the notes in turn: the PLG's group members with a live account."""
    return [
        membership.user
        for membership in Membership.objects.filter(
            community=community, user__deleted_at__isnull=True
        )
        .group_members()
        .select_related("user")
        .order_by("user__name", "user__email", "pk")
    ]


def note_taker_rotation(community: Community) -> Rotation:
    """Propose a note-taker for every coming meeting of the PLG that is not cancelled (five queries).

    Meetings that are over keep their fixed writer, or have none.
    """
    members = rotation_members(community)
    rows = list(
        Meeting.objects.filter(community=community)
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("starts_at", "number")
        .only("pk", "starts_at", "duration", "status")
    )
    meetings = [meeting.pk for meeting in rows]
    now = timezone.now()
    over = {
        meeting.pk
        for meeting in rows
        if meeting.ends_at <= now or meeting.status in (MeetingStatus.HELD, MeetingStatus.REPORTED)
    }
    notes = {
        row.meeting_id: row
        for row in LeaderMeetingNotes.objects.filter(meeting__community=community).select_related(
            "writer"
        )
    }
    absent: dict[int, set[int]] = {}
    approved = AbsenceRequest.objects.filter(
        meeting__community=community, status=AbsenceStatus.APPROVED
    ).values_list("meeting_id", "member_id")
    excused = Attendance.objects.filter(
        meeting__community=community, status=AttendanceStatus.EXCUSED
    ).values_list("meeting_id", "member_id")
    for meeting_id, member_id in [*approved, *excused]:
        absent.setdefault(meeting_id, set()).add(member_id)
    history: dict[int, int | None] = {
        pk: row.writer_id for pk, row in notes.items() if row.writer_id is not None
    }
    # A meeting that is over without a fixed writer had no notes in turn: the proposal made
    # for it then was never confirmed, so it must not use up anybody's turn.
    history.update({pk: None for pk in over if pk not in history})
    proposal = rotation.propose([user.pk for user in members], meetings, absent, history)
    people = {user.pk: user for user in members}
    people.update({row.writer_id: row.writer for row in notes.values() if row.writer})
    writers = {pk: people.get(writer) if writer else None for pk, writer in proposal.items()}
    return Rotation(members=members, writers=writers, notes=notes, over=over)


def meeting_panel(meeting: Meeting, user: User, access: MeetingAccess) -> dict[str, object]:
    """Context for teacherleaders/notes_panel.html; nothing (and no query) for ordinary PLGs."""
    if meeting.community.kind != CommunityKind.TEACHER_LEADERS:
        return {}
    if not (access.member or access.plan):
        return {}
    from ..forms.leader_plg import NoteTakerForm

    plan = note_taker_rotation(meeting.community)
    notes = plan.notes.get(meeting.pk)
    writer = plan.writers.get(meeting.pk)
    fixed = notes is not None and notes.writer_id is not None
    submitted = notes is not None and notes.submitted_at is not None
    open_ = meeting.status != MeetingStatus.CANCELLED and not submitted
    can_choose = access.plan and open_
    return {
        "leader_notes": {
            "cancelled": meeting.status == MeetingStatus.CANCELLED,
            "writer": writer,
            "fixed": fixed,
            "over": meeting.pk in plan.over,
            "notes": notes,
            "submitted": submitted,
            "is_writer": fixed and notes.writer_id == user.pk and not submitted,
            "can_choose": can_choose,
            "form": (
                NoteTakerForm(members=plan.members, initial={"writer": writer and writer.pk})
                if can_choose
                else None
            ),
        }
    }


def submitted_notes(school: School) -> list[LeaderMeetingNotes]:
    """The notes the school's teacher leaders sent to the programme lead, newest first."""
    return list(
        LeaderMeetingNotes.objects.filter(
            meeting__community__team__school=school,
            meeting__community__kind=CommunityKind.TEACHER_LEADERS,
            submitted_at__isnull=False,
        )
        .select_related("meeting__community__school_year", "meeting__theme", "writer")
        .order_by("-meeting__starts_at", "-pk")
    )
