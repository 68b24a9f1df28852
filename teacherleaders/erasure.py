"""What teacherleaders removes when an account is deleted, and its texts past retention.

Account: the person's training records and private self-reflections are deleted. Shared
self-reflections, responsibilities and teacher-leader meeting notes stay as the school's
history under "former member".

Retention: a school year's self-reflections are deleted, the notes of the teacher leaders' own
meetings lose their text and the responsibilities checklist loses its evidence lines; who wrote
the notes and each responsibility's status stay.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from plg_platform.erasure import MEETING_YEAR, count_per_year

from .models import LeaderMeetingNotes, ResponsibilityCheck, SelfReflection, Training

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from plg_platform.users.models import User


def erase_account(user: User, actor: User | None) -> None:
    Training.objects.filter(user=user).delete()
    SelfReflection.objects.filter(user=user, shared=False).delete()


def _self_reflections(school_year_ids: Iterable[int]) -> QuerySet[SelfReflection]:
    return SelfReflection.objects.filter(school_year_id__in=list(school_year_ids))


def self_reflections_count(school_year_ids: Iterable[int]) -> dict[int, int]:
    return count_per_year(_self_reflections(school_year_ids), year="school_year_id")


def self_reflections_delete(school_year_ids: Iterable[int]) -> int:
    deleted, _per_model = _self_reflections(school_year_ids).delete()
    return deleted


def _notes_with_text(school_year_ids: Iterable[int]) -> QuerySet[LeaderMeetingNotes]:
    return LeaderMeetingNotes.objects.filter(
        **{f"{MEETING_YEAR}__in": list(school_year_ids)}
    ).exclude(text="")


def leader_notes_count(school_year_ids: Iterable[int]) -> dict[int, int]:
    return count_per_year(_notes_with_text(school_year_ids))


def leader_notes_delete(school_year_ids: Iterable[int]) -> int:
    return _notes_with_text(school_year_ids).update(text="")


def _checks_with_evidence(school_year_ids: Iterable[int]) -> QuerySet[ResponsibilityCheck]:
    return ResponsibilityCheck.objects.filter(school_year_id__in=list(school_year_ids)).exclude(
        evidence=""
    )


def evidence_count(school_year_ids: Iterable[int]) -> dict[int, int]:
    return count_per_year(_checks_with_evidence(school_year_ids), year="school_year_id")


def evidence_delete(school_year_ids: Iterable[int]) -> int:
    return _checks_with_evidence(school_year_ids).update(evidence="")


def register_all() -> None:
    from plg_platform import erasure

    erasure.register_account_eraser("teacherleaders", erase_account)
    erasure.register_retention(
        "self_reflections",
        _("teacher leaders' self-reflections"),
        count=self_reflections_count,
        delete=self_reflections_delete,
    )
    erasure.register_retention(
        "leader_notes",
        _("notes of teacher-leader meetings"),
        count=leader_notes_count,
        delete=leader_notes_delete,
    )
    erasure.register_retention(
        "responsibility_evidence",
        _("evidence lines of teacher leaders' responsibilities"),
        count=evidence_count,
        delete=evidence_delete,
    )
