"""Writes for the yearly theme calendar."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from communities.health_selectors import proposed_moment_dates
from communities.health_services import health_moments_follow_meetings
from communities.models import HEALTH_CHECK_AFTER_MEETING, Community, Membership, School

from ..models import (
    DEFAULT_DURATION,
    LIBRARY_THEMES,
    MAX_DURATION,
    STARTING_TEACHERS,
    TEAM_LEADER_MEETINGS,
    ChangeKind,
    Meeting,
    MeetingChange,
    MeetingPreparer,
    MeetingStatus,
    NotificationKind,
    Theme,
)
from ..planning import Span, plan_dates
from .notifications import meeting_notifications_drop_stale, notify

if TYPE_CHECKING:
    from plg_platform.users.models import User


def theme_library_ensure(*, school: School) -> None:
    """Give a school its starting theme library (in Dutch, the school's language)."""
    from django.utils import translation

    if Theme.objects.filter(school=school).exists():
        return
    with translation.override("nl"):
        Theme.objects.bulk_create(
            Theme(school=school, title=str(title), in_library=True) for title in LIBRARY_THEMES
        )


def _starting_teachers_theme(school: School) -> Theme | None:
    from django.utils import translation

    with translation.override("nl"):
        title = str(STARTING_TEACHERS)
    return Theme.objects.filter(school=school, title=title).first()


@transaction.atomic
def year_plan_create(
    *,
    community: Community,
    actor: User,
    weekday: int,
    start_time: dt.time,
    duration: dt.timedelta = DEFAULT_DURATION,
    location: str = "",
    replace: bool = False,
) -> list[Meeting]:
    """Plan a PLG's six theme meetings from its school year; returns them in order.

    A PLG that already has a plan is refused unless replace=True, which re-plans only the
    meetings that have not taken place yet.
    """
    if duration <= dt.timedelta(0) or duration > MAX_DURATION:
        raise ValidationError(_("A meeting lasts more than zero and at most twelve hours."))
    school_year = community.school_year
    periods = list(school_year.periods.order_by("number"))
    if len(periods) != 4:
        raise ValidationError(
            _("The school year needs its four periods before meetings can be planned.")
        )
    # Lock the PLG first: on a first plan there are no meeting rows yet to lock, and two quick
    # clicks must not both insert meetings 1-6.
    Community.objects.select_for_update().filter(pk=community.pk).first()
    existing = {meeting.number: meeting for meeting in community.meetings.select_for_update()}
    if existing and not replace:
        raise ValidationError(
            _(
                "This PLG already has a year plan. Choose to replace the meetings that have "
                "not taken place yet, or move single meetings."
            )
        )
    holidays = [Span(h.first_day, h.last_day) for h in school_year.holidays.all()]
    try:
        dates = plan_dates(
            year=Span(school_year.starts_on, school_year.ends_on),
            periods=[Span(p.starts_on, p.ends_on) for p in periods],
            holidays=holidays,
            weekday=weekday,
        )
    except ValueError as error:
        raise ValidationError(
            _("The meetings cannot be planned on this weekday in this school year.")
        ) from error
    school = community.team.school
    theme_library_ensure(school=school)
    first_theme = _starting_teachers_theme(school)
    tz = timezone.get_default_timezone()
    meetings: list[Meeting] = []
    for planned in dates:
        starts_at = dt.datetime.combine(planned.day, start_time, tzinfo=tz)
        meeting = existing.get(planned.number)
        if meeting is not None and meeting.has_taken_place:
            meetings.append(meeting)
            continue
        if meeting is None:
            meeting = Meeting(community=community, number=planned.number)
            if planned.number == 1:
                meeting.theme = first_theme
            kind = ChangeKind.PLANNED
        else:
            meeting.sequence += 1
            kind = ChangeKind.REPLANNED
        meeting.starts_at = starts_at
        meeting.duration = duration
        meeting.location = location
        meeting.team_leader_expected = planned.number in TEAM_LEADER_MEETINGS
        meeting.planning_note = " ".join(planned.notes)
        meeting.save()
        MeetingChange.objects.create(
            meeting=meeting, actor=actor, kind=kind, data={"starts_at": starts_at.isoformat()}
        )
        meetings.append(meeting)
    return meetings


class MoveNeedsConfirmation(Exception):
    """The new date is unusual (a holiday, outside the school year...): ask before moving."""

    def __init__(self, concerns: list[str]) -> None:
        super().__init__(" ".join(concerns))
        self.concerns = concerns


def meeting_move_concerns(*, meeting: Meeting, starts_at: dt.datetime) -> list[str]:
    """Why a move needs a second look; an empty list means it can go ahead at once."""
    day = timezone.localtime(starts_at).date()
    school_year = meeting.community.school_year
    concerns = []
    if not school_year.contains(day):
        concerns.append(
            _("%(day)s is outside the school year %(year)s.")
            % {"day": date_format(day, "DATE_FORMAT"), "year": school_year.name}
        )
    for holiday in school_year.holidays.all():
        if holiday.contains(day):
            concerns.append(
                _("%(day)s falls in the holiday “%(holiday)s”.")
                % {"day": date_format(day, "DATE_FORMAT"), "holiday": holiday.name}
            )
    if day.weekday() >= 5:
        concerns.append(_("%(day)s is in the weekend.") % {"day": date_format(day, "DATE_FORMAT")})
    if starts_at < timezone.now():
        concerns.append(_("This moment has already passed."))
    neighbours = meeting.community.meetings.exclude(pk=meeting.pk)
    earlier = neighbours.filter(number__lt=meeting.number, starts_at__gte=starts_at).first()
    later = neighbours.filter(number__gt=meeting.number, starts_at__lte=starts_at).first()
    for other in (earlier, later):
        if other is not None:
            concerns.append(
                _("The meetings would no longer be in order: %(other)s is on %(when)s.")
                % {
                    "other": other,
                    "when": date_format(timezone.localtime(other.starts_at), "DATE_FORMAT"),
                }
            )
    return [str(concern) for concern in concerns]


@transaction.atomic
def meeting_move(
    *,
    meeting: Meeting,
    actor: User,
    starts_at: dt.datetime,
    duration: dt.timedelta | None = None,
    location: str | None = None,
    confirmed: bool = False,
) -> Meeting:
    """Move a meeting to another moment, length or room, and keep the change in its history.

    A date on a holiday, in the weekend, outside the school year, in the past or out of order
    raises MoveNeedsConfirmation unless confirmed=True.
    """
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("community__school_year")
        .get(pk=meeting.pk)
    )
    if meeting.status in (MeetingStatus.HELD, MeetingStatus.REPORTED):
        raise ValidationError(_("A meeting that has been held cannot be moved."))
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("A cancelled meeting cannot be moved."))
    if timezone.is_naive(starts_at):
        raise ValidationError(_("Give a date and a time."))
    school_year = meeting.community.school_year
    # Far beyond its year a date is a typing error, not a plan (and breaks calendar maths).
    margin = dt.timedelta(days=366)
    if not school_year.starts_on - margin <= starts_at.date() <= school_year.ends_on + margin:
        raise ValidationError(
            _("Choose a date within a year of the school year %(year)s.")
            % {"year": school_year.name}
        )
    duration = meeting.duration if duration is None else duration
    location = meeting.location if location is None else location.strip()
    if duration <= dt.timedelta(0) or duration > MAX_DURATION:
        raise ValidationError(_("A meeting lasts more than zero and at most twelve hours."))
    concerns = meeting_move_concerns(meeting=meeting, starts_at=starts_at)
    if concerns and not confirmed:
        raise MoveNeedsConfirmation(concerns)
    data = {
        "from": meeting.starts_at.isoformat(),
        "to": starts_at.isoformat(),
        "location_from": meeting.location,
        "location_to": location,
        "duration_from": int(meeting.duration.total_seconds() // 60),
        "duration_to": int(duration.total_seconds() // 60),
        "confirmed": concerns,
    }
    if (
        starts_at == meeting.starts_at
        and duration == meeting.duration
        and (location == meeting.location)
    ):
        return meeting
    # The health check's moments follow meetings 1, 3 and 6 unless someone set their dates.
    follows = meeting.number in HEALTH_CHECK_AFTER_MEETING.values()
    health_before = proposed_moment_dates(meeting.community) if follows else {}
    meeting.starts_at = starts_at
    meeting.duration = duration
    meeting.location = location
    meeting.planning_note = ""
    meeting.sequence += 1
    meeting.save(update_fields=["starts_at", "duration", "location", "planning_note", "sequence"])
    MeetingChange.objects.create(meeting=meeting, actor=actor, kind=ChangeKind.MOVED, data=data)
    meeting_notifications_drop_stale(meeting=meeting)
    if follows:
        health_moments_follow_meetings(community=meeting.community, before=health_before)
    return meeting


CANCEL_REASON_MAX = 500
CANCELLABLE_STATUSES = (MeetingStatus.PLANNED, MeetingStatus.PREPARED)


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, actor: User, reason: str) -> Meeting:
    """Cancel a planned or prepared meeting with a reason, and keep it in its history.

    Only those who may move the meeting (the PLG's teacher leaders, the school's programme
    leads) may cancel it. Its waiting reminders are dropped at once; later ones are never made,
    as they only concern upcoming statuses.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give a reason for cancelling the meeting."))
    if len(reason) > CANCEL_REASON_MAX:
        raise ValidationError(
            _("Keep the reason to at most %(max)d characters.") % {"max": CANCEL_REASON_MAX}
        )
    # The same rule as the move page: only managers of the PLG plan its meetings.
    if not Community.objects.manageable_by(actor).filter(pk=meeting.community_id).exists():
        raise PermissionDenied
    meeting = Meeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
    if meeting.status not in CANCELLABLE_STATUSES:
        raise ValidationError(_("Only a meeting that has not been held yet can be cancelled."))
    meeting.status = MeetingStatus.CANCELLED
    meeting.sequence += 1
    meeting.save(update_fields=["status", "sequence"])
    MeetingChange.objects.create(
        meeting=meeting, actor=actor, kind=ChangeKind.CANCELLED, data={"reason": reason}
    )
    meeting_notifications_drop_stale(meeting=meeting)
    _notify_cancelled(meeting=meeting, actor=actor)
    return meeting


def _notify_cancelled(*, meeting: Meeting, actor: User) -> None:
    """Tell the group members and the preparers that the meeting is off, and by whom."""
    members = Membership.objects.group_members().filter(
        community_id=meeting.community_id, user__is_active=True
    )
    preparers = MeetingPreparer.objects.filter(meeting=meeting, user__is_active=True)
    recipients = {*members.values_list("user_id", flat=True)}
    recipients |= {*preparers.values_list("user_id", flat=True)}
    recipients.discard(actor.pk)
    # The reason stays out: it may be personal (someone's illness); the page's history has it.
    notify(
        kind=NotificationKind.MEETING_CANCELLED,
        event=f"meeting:{meeting.pk}:cancelled",
        meeting=meeting,
        recipient_ids=recipients,
        path=reverse("meetings:meeting", kwargs={"pk": meeting.pk}),
        starts_at=meeting.starts_at.isoformat(),
        cancelled_by_name=actor.display_name,
        cancelled_by_id=actor.pk,
    )
