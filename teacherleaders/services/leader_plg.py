"""Writes for the teacher leaders' own PLG: setting it up for a year, and its notes in turn."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.audit import audit_membership, audit_roles_change
from communities.models import Community, CommunityKind, Membership, Role, SchoolYear, Team
from communities.permissions import administered_schools
from meetings.models import Meeting, MeetingStatus, NotificationKind
from meetings.services.notifications import notify

from ..models import LeaderMeetingNotes

if TYPE_CHECKING:
    from plg_platform.users.models import User

NOTES_MAX_LENGTH = LeaderMeetingNotes._meta.get_field("text").max_length


def _require_programme_lead(*, school_year: SchoolYear, actor: User) -> None:
    if not administered_schools(actor).filter(pk=school_year.school_id).exists():
        raise ValidationError(_("Only the school's programme lead sets up this PLG."))


def _leader_team(school_year: SchoolYear) -> Team:
    """The school's team for its teacher leaders' PLGs: reused every year, never with leaders."""
    school = school_year.school
    team = (
        Team.objects.filter(school=school, communities__kind=CommunityKind.TEACHER_LEADERS)
        .order_by("pk")
        .first()
    )
    if team is not None:
        return team
    base = _("Teacher leaders")
    taken = set(
        Team.objects.filter(school=school, name__startswith=base).values_list("name", flat=True)
    )
    name = base
    number = 1
    # A team that happens to carry this name may have team leaders: never borrow it.
    while name in taken:
        number += 1
        name = f"{base} {number}"
    return Team.objects.create(school=school, name=name)


@transaction.atomic
def leader_plg_ensure(*, school_year: SchoolYear, actor: User) -> Community:
    """Set up or re-sync the school's teacher leaders' PLG for a year; return it.

    Its members are exactly the teacher leaders of the school's ordinary PLGs that year, each
    as participant and teacher leader so they run it together. A guest expert added by hand
    stays; anyone who no longer leads a PLG leaves.
    """
    _require_programme_lead(school_year=school_year, actor=actor)
    # Lock the year so two programme leads clicking at once make one PLG, not a crash.
    SchoolYear.objects.select_for_update().filter(pk=school_year.pk).first()
    community = (
        Community.objects.filter(school_year=school_year, kind=CommunityKind.TEACHER_LEADERS)
        .order_by("pk")
        .first()
    )
    if community is None:
        community = Community.objects.create(
            team=_leader_team(school_year),
            school_year=school_year,
            name=_("Teacher leaders' PLG"),
            kind=CommunityKind.TEACHER_LEADERS,
            vision=_(
                "The teacher leaders of the school share experience, bring in cases about "
                "leading a PLG and learn from each other."
            ),
            # Not a starting group of 4 to 7: its size is set by how many PLGs the school has.
            is_first_year=False,
        )
    leader_ids = set(
        Membership.objects.filter(
            community__school_year=school_year,
            community__kind=CommunityKind.PLG,
            is_teacher_leader=True,
            # A deleted account leads nothing any more and must not be added back.
            user__deleted_at__isnull=True,
        ).values_list("user_id", flat=True)
    )
    current = {
        row.user_id: row
        for row in Membership.objects.filter(community=community).select_related(
            "user", "community__team__school"
        )
    }
    # Row by row, not in bulk: every change goes into the school's audit log.
    for user_id, membership in current.items():
        if user_id in leader_ids:
            roles = {*membership.roles, Role.PARTICIPANT, Role.TEACHER_LEADER}
            if audit_roles_change(membership=membership, roles=roles, actor=actor):
                membership.set_roles(list(roles))
                membership.save(update_fields=[role.field_name for role in Role])
        elif membership.counts_as_group_member and membership.user.deleted_at is None:
            # A guest expert stays; a deleted account's row stays as the PLG's history.
            audit_membership(membership=membership, actor=actor, change=_("removed"))
            membership.delete()
    for user_id in sorted(leader_ids - set(current)):
        membership = Membership.objects.create(
            community=community,
            user_id=user_id,
            is_participant=True,
            is_teacher_leader=True,
            added_by=actor,
        )
        audit_membership(membership=membership, actor=actor, change=_("added"))
    return community


def _require_leader_meeting(meeting: Meeting) -> None:
    if meeting.community.kind != CommunityKind.TEACHER_LEADERS:
        raise ValidationError(_("Only the teacher leaders' own meetings have notes taken in turn."))


def _locked_notes(meeting: Meeting) -> LeaderMeetingNotes | None:
    # Lock the meeting first: before the first confirmation there is no notes row to lock, and
    # two quick confirmations must not both insert one.
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    return LeaderMeetingNotes.objects.select_for_update().filter(meeting=meeting).first()


def _writer_can_hand_over(notes: LeaderMeetingNotes, community: Community) -> bool:
    """Whether the current writer is still there to clear their notes (else anyone takes over)."""
    writer = notes.writer
    if writer is None or writer.deleted_at is not None:
        return False
    return Membership.objects.filter(community=community, user=writer).group_members().exists()


@transaction.atomic
def leader_notes_writer_set(*, meeting: Meeting, writer: User, actor: User) -> LeaderMeetingNotes:
    """Confirm the proposed note-taker of a teacher-leader meeting, or swap in someone else."""
    _require_leader_meeting(meeting)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("This meeting has been cancelled: nobody takes notes."))
    if (
        not Membership.objects.filter(community=meeting.community, user=writer)
        .group_members()
        .exists()
    ):
        raise ValidationError({"writer": _("Choose one of the teacher leaders of this PLG.")})
    notes = _locked_notes(meeting)
    if notes is not None and notes.submitted_at is not None:
        raise ValidationError(_("The notes have already been sent to the programme lead."))
    if notes is None:
        notes = LeaderMeetingNotes(meeting=meeting)
    if (
        notes.writer_id != writer.pk
        and notes.text.strip()
        and _writer_can_hand_over(notes, meeting.community)
    ):
        # Half-written notes belong to the person who wrote them; they hand over first.
        raise ValidationError(
            _(
                "%(name)s has already started the notes; they clear them before someone else takes over."
            )
            % {"name": notes.writer.display_name if notes.writer else _("A former member")}
        )
    notes.writer = writer
    notes.save()
    return notes


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if len(text) > NOTES_MAX_LENGTH:
        raise ValidationError(
            {"text": _("Keep the notes to at most %(max)d characters.") % {"max": NOTES_MAX_LENGTH}}
        )
    return text


def _writable_notes(*, meeting: Meeting, actor: User) -> LeaderMeetingNotes:
    _require_leader_meeting(meeting)
    notes = _locked_notes(meeting)
    if notes is None or notes.writer_id != actor.pk:
        raise ValidationError(_("Only the note-taker of this meeting writes its notes."))
    if notes.submitted_at is not None:
        raise ValidationError(_("The notes have already been sent to the programme lead."))
    return notes


@transaction.atomic
def leader_notes_save(*, meeting: Meeting, text: str, actor: User) -> LeaderMeetingNotes:
    """Save the note-taker's draft notes (not yet visible to the programme lead)."""
    notes = _writable_notes(meeting=meeting, actor=actor)
    notes.text = _clean_text(text)
    notes.save(update_fields=["text", "updated_at"])
    return notes


@transaction.atomic
def leader_notes_submit(*, meeting: Meeting, text: str, actor: User) -> LeaderMeetingNotes:
    """Save the notes and send them to the programme lead; after that they no longer change."""
    notes = _writable_notes(meeting=meeting, actor=actor)
    notes.text = _clean_text(text)
    if not notes.text:
        raise ValidationError({"text": _("Write the notes before you send them.")})
    notes.submitted_at = timezone.now()
    notes.save(update_fields=["text", "submitted_at", "updated_at"])
    school = meeting.community.team.school
    # The notes themselves stay on the page: the notice only says they are there.
    notify(
        kind=NotificationKind.LEADER_NOTES_SENT,
        event=f"leader-notes:{notes.pk}",
        meeting=meeting,
        recipient_ids=school.admins.filter(is_active=True).values_list("pk", flat=True),
        path=reverse("teacherleaders:school_notes", kwargs={"pk": school.pk}),
        writer_name=actor.display_name,
        writer_id=actor.pk,
    )
    return notes
