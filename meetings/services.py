"""Writes for the yearly theme calendar."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from communities.models import Community, School

from .models import (
    DEFAULT_DURATION,
    LIBRARY_THEMES,
    STARTING_TEACHERS,
    TEAM_LEADER_MEETINGS,
    Meeting,
    MeetingChange,
    Theme,
)
from .planning import Span, plan_dates

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
    if duration <= dt.timedelta(0) or duration > dt.timedelta(hours=12):
        raise ValidationError(_("A meeting lasts more than zero and at most twelve hours."))
    school_year = community.school_year
    periods = list(school_year.periods.order_by("number"))
    if len(periods) != 4:
        raise ValidationError(
            _("The school year needs its four periods before meetings can be planned.")
        )
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
            description = _("Planned on %(when)s.")
        else:
            meeting.sequence += 1
            description = _("Re-planned to %(when)s.")
        meeting.starts_at = starts_at
        meeting.duration = duration
        meeting.location = location
        meeting.team_leader_expected = planned.number in TEAM_LEADER_MEETINGS
        meeting.planning_note = " ".join(planned.notes)
        meeting.save()
        MeetingChange.objects.create(
            meeting=meeting,
            actor=actor,
            description=description
            % {"when": date_format(timezone.localtime(starts_at), "DATETIME_FORMAT")},
        )
        meetings.append(meeting)
    return meetings
