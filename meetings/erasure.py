"""What meetings removes when an account is deleted, and what it removes past retention.

Deleted: the person's notifications, reminder settings and calendar subscription. Absence
requests keep their status (the yearly report counts approved absences) but lose their reason,
which can be about someone's health or family. Attendance, preparation hours, theme proposals
and votes stay: they are the PLG's history and counts.

Past retention (communities.retention) absence requests lose their reason as above, and the
notifications and reminders about that school year's meetings are deleted: their details can
name a colleague (who asked for absence, whose notes were sent), and once the year's texts are
gone nobody needs to be reminded of them.

Other people's notifications that name the person lose the name (their templates then say
"former member" in the reader's language): a payload that names someone carries that person's
id next to the name, under the keys of NAMED_IN_PAYLOAD.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from plg_platform.erasure import count_per_year

from .models import (
    AbsenceRequest,
    CalendarFeed,
    Notification,
    NotificationKind,
    NotificationSettings,
)

if TYPE_CHECKING:
    from plg_platform.users.models import User


# A payload key that holds a person's name -> the key that holds that person's id.
NAMED_IN_PAYLOAD = {
    "member_name": "member_id",
    "writer_name": "writer_id",
    "cancelled_by_name": "cancelled_by_id",
}


def erase_account(user: User, actor: User | None) -> None:
    Notification.objects.filter(recipient=user).delete()
    NotificationSettings.objects.filter(user=user).delete()
    CalendarFeed.objects.filter(user=user).delete()
    _names_forget(user)
    AbsenceRequest.objects.filter(member=user).exclude(reason="").update(reason="")


def _names_forget(user: User) -> None:
    """Take the person's name out of the notifications of everyone else."""
    naming = Q()
    for id_key in NAMED_IN_PAYLOAD.values():
        naming |= Q(**{f"payload__{id_key}": user.pk})
    # Notices of absence requests recorded before the payload carried member_id: by their event.
    events = [
        f"absence:{pk}"
        for pk in AbsenceRequest.objects.filter(member=user).values_list("pk", flat=True)
    ]
    naming |= Q(kind=NotificationKind.ABSENCE_SUBMITTED, event__in=events)
    rows = list(Notification.objects.filter(naming).only("pk", "kind", "payload"))
    for row in rows:
        for name_key, id_key in NAMED_IN_PAYLOAD.items():
            if name_key in row.payload and (
                row.payload.get(id_key) == user.pk or row.kind == NotificationKind.ABSENCE_SUBMITTED
            ):
                row.payload[name_key] = ""
    Notification.objects.bulk_update(rows, ["payload"], batch_size=500)


def _reasons(school_year_ids: Iterable[int]):
    return AbsenceRequest.objects.filter(
        meeting__community__school_year_id__in=list(school_year_ids)
    ).exclude(reason="")


def absence_reasons_count(school_year_ids: Iterable[int]) -> dict[int, int]:
    return count_per_year(_reasons(school_year_ids))


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
    erasure.register_rows_retention("notifications", _("notifications and reminders"), Notification)
