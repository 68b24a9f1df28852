"""Reads for preparing a meeting: preparers, phase 0, the agenda with clock times, meeting 1's
checklist and meeting 6's overview of the year."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from plg_platform.sql import filter_with_related

from ..models import (
    MEETINGS_PER_YEAR,
    AgendaItem,
    ChecklistItem,
    ChecklistTick,
    Meeting,
    MeetingMaterial,
    MeetingPreparer,
    ThemeIntroduction,
)
from ..phases import GUIDES, Phase, PhaseGuide, default_minutes

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from plg_platform.users.models import User

    from ..permissions import MeetingAccess


PREPARERS_PER_MEETING = 2


def meeting_minutes(meeting: Meeting) -> int:
    """The meeting's length in whole minutes: what the agenda's time boxes must add up to."""
    return int(meeting.duration / dt.timedelta(minutes=1))


def development_team_members(meeting: Meeting) -> QuerySet[User]:
    """The people who may prepare a meeting: the PLG's development-team members."""
    return (
        get_user_model()
        .objects.filter(
            memberships__community_id=meeting.community_id,
            memberships__is_development_team=True,
        )
        .order_by("name", "email")
    )


def meeting_preparers(meeting: Meeting) -> list[MeetingPreparer]:
    """The meeting's preparers, each with its user, ordered by name.

    This and the other reads of the meeting page's preparation section are plain SQL
    (plg_platform.sql): building them in the ORM cost 4 ms of CPU on every meeting page.
    tests/meetings/test_preparation_sql.py holds them to the ORM.
    """
    return filter_with_related(
        MeetingPreparer, "meeting", meeting.pk, ("user__name", "user__email"), "user"
    )


def theme_introduction(meeting: Meeting) -> ThemeIntroduction | None:
    rows = filter_with_related(ThemeIntroduction, "meeting", meeting.pk, ("id",))
    return rows[0] if rows else None


def meeting_materials(meeting: Meeting) -> list[MeetingMaterial]:
    return filter_with_related(MeetingMaterial, "meeting", meeting.pk, ("added_at", "id"))


# Agenda -----------------------------------------------------------------------------------


def agenda_off_message(*, given: int, total: int) -> str:
    """Say by how much the time boxes miss the meeting's length."""
    off = given - total
    if off > 0:
        return ngettext(
            "The time boxes add up to %(given)d minutes: %(off)d minute more than the "
            "meeting's %(total)d minutes.",
            "The time boxes add up to %(given)d minutes: %(off)d minutes more than the "
            "meeting's %(total)d minutes.",
            off,
        ) % {"given": given, "off": off, "total": total}
    return ngettext(
        "The time boxes add up to %(given)d minutes: %(off)d minute short of the "
        "meeting's %(total)d minutes.",
        "The time boxes add up to %(given)d minutes: %(off)d minutes short of the "
        "meeting's %(total)d minutes.",
        -off,
    ) % {"given": given, "off": -off, "total": total}


@dataclass(frozen=True)
class AgendaRow:
    phase: Phase
    minutes: int
    note: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    guide: PhaseGuide


@dataclass(frozen=True)
class Agenda:
    """A meeting's phases with time boxes and clock times (the defaults until it is saved)."""

    rows: list[AgendaRow]
    saved: bool
    given: int  # the sum of the time boxes
    total: int  # the meeting's length

    @property
    def adds_up(self) -> bool:
        return self.given == self.total

    @property
    def problem(self) -> str:
        return "" if self.adds_up else agenda_off_message(given=self.given, total=self.total)


def meeting_agenda(meeting: Meeting) -> Agenda:
    """Phases 0-6 with their time boxes and clock times: start plus the running total."""
    total = meeting_minutes(meeting)
    items = {
        item.phase: item
        for item in filter_with_related(AgendaItem, "meeting", meeting.pk, ("phase",))
    }
    defaults = default_minutes(total)
    clock = timezone.localtime(meeting.starts_at)
    rows = []
    for phase in Phase:
        item = items.get(phase)
        minutes = item.minutes if item else defaults[phase]
        ends = clock + dt.timedelta(minutes=minutes)
        rows.append(
            AgendaRow(phase, minutes, item.note if item else "", clock, ends, GUIDES[phase])
        )
        clock = ends
    return Agenda(
        rows=rows,
        saved=bool(items),
        given=sum(row.minutes for row in rows),
        total=total,
    )


def phase_card() -> list[PhaseGuide]:
    """The seven phases with their aims and guiding questions, in order."""
    return [GUIDES[phase] for phase in Phase]


# Meeting 1's checklist and meeting 6's overview -------------------------------------------


@dataclass(frozen=True)
class ChecklistRow:
    item: ChecklistItem
    tick: ChecklistTick | None
    hint: str = ""


def _later_meetings(meeting: Meeting) -> list[Meeting]:
    """Meetings 2-5 of the PLG: the ones meeting 1 fixes themes and dates for."""
    return list(
        Meeting.objects.filter(
            community_id=meeting.community_id, number__gt=1, number__lt=MEETINGS_PER_YEAR
        )
        .select_related("theme")
        .order_by("number")
    )


def meeting_checklist(meeting: Meeting) -> list[ChecklistRow]:
    """Meeting 1's checklist: who ticked what when, with hints derived from meetings 2-5."""
    ticks = {tick.item: tick for tick in meeting.checklist.select_related("done_by")}
    later = _later_meetings(meeting)
    with_theme = sum(1 for other in later if other.theme_id)
    hints = {
        ChecklistItem.FIX_THEMES: _("%(done)d of %(count)d meetings 2-5 have a theme.")
        % {"done": with_theme, "count": len(later)},
        ChecklistItem.FIX_DATES: _fix_dates_hint(later),
    }
    return [
        ChecklistRow(item, ticks.get(item.value), hints.get(item, "")) for item in ChecklistItem
    ]


def _fix_dates_hint(later: list[Meeting]) -> str:
    if not later:
        return str(_("Meetings 2-5 have not been planned yet."))
    days = [date_format(timezone.localtime(other.starts_at), "j F") for other in later]
    hint = _("Planned on %(days)s.") % {"days": get_text_list(days, _("and"))}
    with_note = sum(1 for other in later if other.planning_note)
    if with_note:
        hint += " " + ngettext(
            "%(count)d of them has a planning note to look at.",
            "%(count)d of them have a planning note to look at.",
            with_note,
        ) % {"count": with_note}
    return hint


# The meeting page -------------------------------------------------------------------------


@dataclass(frozen=True)
class PreparationPanel:
    preparers: list[MeetingPreparer]
    own_preparer: MeetingPreparer | None
    introduction: ThemeIntroduction | None
    materials: list[MeetingMaterial]
    agenda: Agenda
    checklist: list[ChecklistRow] | None

    @property
    def preparers_missing(self) -> int:
        return max(0, PREPARERS_PER_MEETING - len(self.preparers))

    @property
    def phase0(self) -> Phase:
        return Phase.THEME


def meeting_panel(meeting: Meeting, user: User, access: MeetingAccess) -> dict[str, object]:
    """Context for this area's section of the meeting page (meetings/meeting/_preparation.html)."""
    preparers = meeting_preparers(meeting)
    own = next((row for row in preparers if row.user_id == user.pk), None)
    return {
        "preparation": PreparationPanel(
            preparers=preparers,
            own_preparer=own,
            introduction=theme_introduction(meeting),
            materials=meeting_materials(meeting),
            agenda=meeting_agenda(meeting),
            checklist=meeting_checklist(meeting) if meeting.number == 1 else None,
        )
    }
