"""Writes for the short evaluation after a meeting: each group member answers once, anonymously."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.health_services import participation_add_shuffled
from communities.permissions import is_group_member
from meetings.models import Meeting, MeetingStatus

from ..models import MeetingEvaluation, MeetingEvaluationParticipation

if TYPE_CHECKING:
    from plg_platform.users.models import User

EVALUATION_FIELDS = ("went_well", "do_better")
EVALUATION_MAX_LENGTH = MeetingEvaluation._meta.get_field("went_well").max_length or 1000


def evaluation_closes_at(meeting: Meeting) -> dt.datetime:
    """When the evaluation of a meeting closes: the next meeting's start, or the year's end."""
    following = (
        Meeting.objects.filter(community_id=meeting.community_id, starts_at__gt=meeting.starts_at)
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    if following is not None:
        return following
    # The last meeting of the year: open until the end of the school year's last day.
    last_day = meeting.community.school_year.ends_on
    return timezone.make_aware(dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time()))


def evaluation_is_open(meeting: Meeting, *, closes_at: dt.datetime | None = None) -> bool:
    """Open from the meeting's start until the next meeting starts; never for a cancelled one."""
    if meeting.status == MeetingStatus.CANCELLED:
        return False
    now = timezone.now()
    if now < meeting.starts_at:
        return False
    return now < (closes_at if closes_at is not None else evaluation_closes_at(meeting))


def _clean(data: Mapping[str, object]) -> dict[str, str]:
    cleaned = {name: str(data.get(name) or "").strip() for name in EVALUATION_FIELDS}
    errors = {
        name: _("Keep this to at most %(max)d characters.") % {"max": EVALUATION_MAX_LENGTH}
        for name in EVALUATION_FIELDS
        if len(cleaned[name]) > EVALUATION_MAX_LENGTH
    }
    if errors:
        raise ValidationError(errors)
    if not any(cleaned.values()):
        raise ValidationError(_("Fill in at least one of the two questions."))
    return cleaned


@transaction.atomic
def meeting_evaluation_submit(
    *, meeting: Meeting, member: User, data: Mapping[str, object]
) -> None:
    """Store a member's answer and, apart from it, that they answered; once per meeting.

    Returns nothing on purpose: no caller should hold the answer together with its author.
    """
    if not is_group_member(member, meeting.community):
        raise ValidationError(_("Only members of the group evaluate a meeting."))
    if not evaluation_is_open(meeting):
        raise ValidationError(
            _(
                "This meeting cannot be evaluated now: the evaluation opens when the meeting "
                "starts and closes when the next meeting starts."
            )
        )
    fields = _clean(data)
    # 1. Who answered first, with the meeting locked: a second answer (another tab, a double
    #    click) fails before any answer is written. All the meeting's participation rows are
    #    rewritten in random order, so they do not line up with the answers.
    Meeting.objects.select_for_update(of=("self",)).filter(pk=meeting.pk).first()
    participation_add_shuffled(
        model=MeetingEvaluationParticipation,
        scope={"meeting": meeting},
        user=member,
        already=_("You have already evaluated this meeting."),
    )
    # 2. The answer: no author, no time, a random key, so nothing ties it to the row above.
    MeetingEvaluation.objects.create(meeting=meeting, **fields)
