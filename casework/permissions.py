"""Who may see or do what in a case session. Built on the meeting rules in meetings.permissions.

The privacy rules of the issue live here and nowhere else:

- a draft case is its author's alone;
- a submitted case's title and presenter are listed for the PLG's teacher leaders and the
  meeting's preparers; its text is read only by the presenter, and, during the meeting, by
  the presenter's small group and the PLG's teacher leaders (not team leaders, not admins);
- a private reflection is its author's alone; a shared one is read by the PLG's group members;
- a phase-6 report draft is for the preparers and teacher leaders; a final one is read by the
  whole PLG and the team's leaders.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone

from meetings.models import Meeting
from meetings.permissions import MeetingAccess, meeting_access

from .models import MeetingReport, MeetingRun, Reflection, SmallGroup, SmallGroupMember, WorkCase

if TYPE_CHECKING:
    from plg_platform.users.models import User


@dataclass(frozen=True)
class CaseworkAccess:
    """What one user may do in one meeting's case session; computed once per request."""

    meeting: MeetingAccess
    # The small group the user sits in at this meeting, and the groups they lead.
    own_group_id: int | None
    led_group_ids: frozenset[int]

    @property
    def is_teacher_leader(self) -> bool:
        """The PLG's own teacher leaders: not school admins, who plan but do not read cases."""
        membership = self.meeting.membership
        return bool(membership and membership.is_teacher_leader)

    @property
    def member(self) -> bool:
        return self.meeting.member

    @property
    def lists_cases(self) -> bool:
        """Sees the titles and presenters of submitted cases."""
        return self.is_teacher_leader or self.meeting.is_preparer

    @property
    def splits_groups(self) -> bool:
        return self.is_teacher_leader

    @property
    def runs_meeting(self) -> bool:
        """Opens the live screen for the whole meeting and moves its phase on."""
        return self.is_teacher_leader

    def sees_group(self, group_id: int) -> bool:
        """Opens a small group's live screen: teacher leaders, its leader and its members."""
        return (
            self.is_teacher_leader
            or group_id in self.led_group_ids
            or group_id == self.own_group_id
        )

    def writes_group_notes(self, group_id: int) -> bool:
        return self.is_teacher_leader or group_id in self.led_group_ids

    @property
    def writes_meeting_notes(self) -> bool:
        """Phase 6 is the whole PLG's: its teacher leaders and the preparers take the notes."""
        return self.is_teacher_leader or self.meeting.is_preparer

    @property
    def writes_report(self) -> bool:
        return self.is_teacher_leader or self.meeting.is_preparer


def casework_access(user: User, meeting: Meeting) -> CaseworkAccess:
    base = meeting_access(user, meeting)
    own_group = (
        SmallGroupMember.objects.filter(meeting=meeting, member=user)
        .values_list("group_id", flat=True)
        .first()
    )
    led = frozenset(
        SmallGroup.objects.filter(meeting=meeting, leader=user).values_list("pk", flat=True)
    )
    return CaseworkAccess(meeting=base, own_group_id=own_group, led_group_ids=led)


def in_session(meeting: Meeting) -> bool:
    """During the meeting: on its own day (Amsterdam), from its start or from when its live run
    was opened, until its end or, when the run is still open, the end of that day.

    Bounded by the day on purpose: a run left open (or opened weeks later) must not keep case
    texts readable after the meeting.
    """
    now = timezone.now()
    if timezone.localdate(now) != timezone.localtime(meeting.starts_at).date():
        return False
    run = run_of(meeting)
    if run is not None and run.is_open:
        return True
    return meeting.starts_at <= now <= meeting.ends_at


def run_of(meeting: Meeting) -> MeetingRun | None:
    """The meeting's live run, or None (cached on the meeting, so later reads cost nothing)."""
    try:
        return meeting.run
    except MeetingRun.DoesNotExist:
        return None


def can_read_case_text(case: WorkCase, user: User, access: CaseworkAccess) -> bool:
    if case.presenter_id == user.pk:
        return True
    if not case.is_submitted or not in_session(case.meeting):
        return False
    if access.is_teacher_leader:
        return True
    group = _group_of(case)
    return group is not None and (
        group.pk == access.own_group_id or group.pk in access.led_group_ids
    )


def _group_of(case: WorkCase) -> SmallGroup | None:
    try:
        return case.small_group
    except SmallGroup.DoesNotExist:
        return None


def can_read_reflection(reflection: Reflection, user: User, access: CaseworkAccess) -> bool:
    if reflection.author_id == user.pk:
        return True
    return reflection.shared and access.member


def can_read_report(report: MeetingReport, access: CaseworkAccess) -> bool:
    if access.writes_report:
        return True
    # Final: the whole PLG, the team's leaders and the programme lead.
    return report.is_final and (
        access.member or access.meeting.decide_absence or access.meeting.plan
    )
