"""Writes for the theme calendar: absence requests, their decision, and attendance."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Membership
from communities.permissions import is_group_member

from ..models import (
    AbsenceRequest,
    AbsenceStatus,
    Attendance,
    AttendanceStatus,
    ChangeKind,
    Meeting,
    MeetingChange,
    MeetingStatus,
    NotificationKind,
)
from ..permissions import absence_deciders, community_access_plan, decides_absence
from .notifications import notify

if TYPE_CHECKING:
    from plg_platform.users.models import User

REASON_MAX_LENGTH = 1000


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason for your absence.")})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": _("Keep the reason to at most %(max)d characters.")
                % {"max": REASON_MAX_LENGTH}
            }
        )
    return reason


def _refuse_once_started(meeting: Meeting) -> None:
    if meeting.has_taken_place:
        raise ValidationError(
            _(
                "This meeting has already started, so an absence request can no longer be "
                "made or changed. Please contact your team leader."
            )
        )


def _refuse_decided() -> ValidationError:
    return ValidationError(
        _(
            "The team leader has already decided on your absence request, so it can no longer "
            "be changed. Please contact your team leader."
        )
    )


@transaction.atomic
def absence_submit(*, meeting: Meeting, member: User, reason: str) -> AbsenceRequest:
    """Request absence from a meeting, or change the reason of the member's pending request."""
    reason = _clean_reason(reason)
    if not is_group_member(member, meeting.community):
        raise ValidationError(_("Only members of the group can request absence."))
    meeting.lock_unless_cancelled()
    _refuse_once_started(meeting)
    absence = AbsenceRequest.objects.select_for_update().filter(meeting=meeting, member=member)
    existing = absence.first()
    if existing is None:
        try:
            # A savepoint, so a concurrent first submit (unique constraint) can be reported.
            with transaction.atomic():
                created = AbsenceRequest.objects.create(
                    meeting=meeting, member=member, reason=reason
                )
        except IntegrityError:
            existing = absence.get()
        else:
            _notify_team_leaders(created)
            return created
    if existing.status != AbsenceStatus.PENDING:
        raise _refuse_decided()
    # Conditional: a decision that lands meanwhile wins over the edit.
    if not AbsenceRequest.objects.filter(pk=existing.pk, status=AbsenceStatus.PENDING).update(
        reason=reason
    ):
        raise _refuse_decided()
    existing.reason = reason
    return existing


def _notify_team_leaders(absence: AbsenceRequest) -> None:
    """Tell whoever decides (the team leaders, see `absence_deciders`) that a request waits."""
    meeting = absence.meeting
    leaders = (
        absence_deciders(meeting.community).filter(is_active=True).exclude(pk=absence.member_id)
    )
    # The reason stays out of the notice: the team leader reads it on the page, not in a mail.
    notify(
        kind=NotificationKind.ABSENCE_SUBMITTED,
        event=f"absence:{absence.pk}",
        meeting=meeting,
        recipient_ids=leaders.values_list("pk", flat=True),
        path=reverse("meetings:absence_list"),
        absence_id=absence.pk,
        member_name=absence.member.display_name,
        # So the name can be taken out when the member's account is deleted (meetings.erasure).
        member_id=absence.member_id,
    )


@transaction.atomic
def absence_withdraw(*, absence: AbsenceRequest, actor: User) -> None:
    """Withdraw one's own absence request while the team leader has not decided on it."""
    if absence.member_id != actor.pk:
        raise ValidationError(_("Only the member who made an absence request can withdraw it."))
    _refuse_once_started(absence.meeting)
    deleted, _rows = AbsenceRequest.objects.filter(
        pk=absence.pk, status=AbsenceStatus.PENDING
    ).delete()
    if not deleted:
        raise _refuse_decided()


@transaction.atomic
def absence_decide(*, absence: AbsenceRequest, actor: User, approve: bool) -> AbsenceRequest:
    """Approve or decline a pending absence request, as a team leader of the PLG's team.

    The update is conditional on the request still waiting, so a second decision (by another
    team leader, or a double click) is refused instead of overwriting the first.
    """
    community = absence.meeting.community
    if not decides_absence(actor, community):
        raise ValidationError(
            _(
                "Only a team leader of this PLG's team (for the teacher leaders' PLG: the "
                "programme lead) decides absence requests."
            )
        )
    if absence.member_id == actor.pk:
        raise ValidationError(
            _("You cannot decide on your own absence request; another team leader does.")
        )
    absence.meeting.lock_unless_cancelled()
    status = AbsenceStatus.APPROVED if approve else AbsenceStatus.DECLINED
    now = timezone.now()
    updated = AbsenceRequest.objects.filter(pk=absence.pk, status=AbsenceStatus.PENDING).update(
        status=status, decided_by=actor, decided_at=now
    )
    if not updated:
        raise ValidationError(
            _("This absence request has already been decided or withdrawn; nothing was changed.")
        )
    absence.status, absence.decided_by, absence.decided_at = status, actor, now
    notify(
        kind=NotificationKind.ABSENCE_DECIDED,
        event=f"absence:{absence.pk}:decided",
        meeting=absence.meeting,
        recipient_ids=[absence.member_id],
        path=reverse("meetings:meeting", kwargs={"pk": absence.meeting_id}),
        absence_id=absence.pk,
        approved=approve,
    )
    return absence


def attendance_can_be_recorded(meeting: Meeting) -> bool:
    """Attendance is recorded from the meeting's own day on (Amsterdam time), never before,
    and never for a cancelled meeting."""
    return (
        not meeting.is_cancelled
        and timezone.localdate() >= timezone.localtime(meeting.starts_at).date()
    )


@transaction.atomic
def attendance_record(
    *, meeting: Meeting, actor: User, statuses: Mapping[int, str]
) -> list[Attendance]:
    """Record who was at a meeting (by user id), and mark a planned meeting as held.

    Rows are upserted per member, so recording again corrects the earlier record.
    "Absent with approval" needs an absence request the team leader approved.
    """
    # 1. Lock the meeting so two planners recording at once serialise on it.
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("community__team")
        .get(pk=meeting.pk)
    )
    community = meeting.community
    membership = Membership.objects.filter(community=community, user=actor).first()
    if not community_access_plan(actor, community, membership):
        raise ValidationError(_("Only the PLG's teacher leaders record attendance."))
    meeting.refuse_if_cancelled()
    if not attendance_can_be_recorded(meeting):
        raise ValidationError(
            _("Attendance can be recorded from the day of the meeting on, not before.")
        )
    if not statuses:
        raise ValidationError(_("Choose the attendance of at least one member."))
    # 2. Validate every entry before writing anything.
    members = {
        m.user_id: m.user
        for m in Membership.objects.group_members()
        .filter(community=community, user_id__in=list(statuses))
        .select_related("user")
    }
    strangers = set(statuses) - set(members)
    if strangers:
        raise ValidationError(_("Attendance can only be recorded for members of the group."))
    valid = set(AttendanceStatus.values)
    if any(status not in valid for status in statuses.values()):
        raise ValidationError(_("Choose present, absent with approval or absent without approval."))
    approved = set(
        meeting.absence_requests.filter(status=AbsenceStatus.APPROVED).values_list(
            "member_id", flat=True
        )
    )
    unapproved = sorted(
        members[user_id].display_name
        for user_id, status in statuses.items()
        if status == AttendanceStatus.EXCUSED and user_id not in approved
    )
    if unapproved:
        raise ValidationError(
            _(
                "“Absent with approval” needs an absence request the team leader approved. "
                "Not approved for: %(names)s."
            )
            % {"names": ", ".join(unapproved)}
        )
    # 3. Upsert one row per member.
    now = timezone.now()
    rows = Attendance.objects.bulk_create(
        [
            Attendance(
                meeting=meeting,
                member_id=user_id,
                status=status,
                recorded_by=actor,
                recorded_at=now,
            )
            for user_id, status in statuses.items()
        ],
        update_conflicts=True,
        unique_fields=["meeting", "member"],
        update_fields=["status", "recorded_by", "recorded_at"],
    )
    # 4. Planned or prepared becomes held; held and reported stay as they are.
    old_status = meeting.status
    if Meeting.objects.filter(
        pk=meeting.pk, status__in=[MeetingStatus.PLANNED, MeetingStatus.PREPARED]
    ).update(status=MeetingStatus.HELD):
        MeetingChange.objects.create(
            meeting=meeting,
            actor=actor,
            kind=ChangeKind.STATUS,
            data={"from": old_status, "to": MeetingStatus.HELD.value},
        )
    return rows
