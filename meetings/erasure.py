"""What meetings removes when an account is deleted, and absence reasons past retention.

Deleted: the person's notifications, reminder settings and calendar subscription. Absence
requests keep their status (the yearly report counts approved absences) but lose their reason,
which can be about someone's health or family. Attendance, preparation hours, theme proposals
and votes stay: they are the PLG's history and counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from .models import AbsenceRequest, CalendarFeed, Notification, NotificationSettings

if TYPE_CHECKING:
    from plg_platform.users.models import User


def erase_account(user: User, actor: User | None) -> None:
    Notification.objects.filter(recipient=user).delete()
    NotificationSettings.objects.filter(user=user).delete()
    CalendarFeed.objects.filter(user=user).delete()
    AbsenceRequest.objects.filter(member=user).exclude(reason="").update(reason="")


def _reasons(school_year_ids: Iterable[int]):
    return AbsenceRequest.objects.filter(
        meeting__community__school_year_id__in=list(school_year_ids)
    ).exclude(reason="")


def absence_reasons_count(school_year_ids: Iterable[int]) -> dict[int, int]:
    return dict(
        _reasons(school_year_ids)
        .values_list("meeting__community__school_year_id")
        .annotate(count=Count("pk"))
        .order_by()
    )


def absence_reasons_delete(school_year_ids: Iterable[int]) -> int:
    # Blank, not delete: the request's status still counts in the yearly report.
    return AbsenceRequest.objects.filter(pk__in=_reasons(school_year_ids).values("pk")).update(
        reason=""
    )


def register_all() -> None:
    from plg_platform import erasure

    erasure.register_account_eraser("meetings", erase_account)
    erasure.register_retention(
        "absence_reasons",
        _("reasons of absence requests"),
        count=absence_reasons_count,
        delete=absence_reasons_delete,
    )
