"""What each app removes when an account is deleted, and when a school year's data expires.

Like plg_platform.privacy, each app registers its own steps from its AppConfig.ready(), so this
module never imports the apps and the dependency direction stays as it is.

- An *account eraser* gets the person (and who deletes them) before their account row is
  anonymised: it deletes what is theirs alone (private texts, drafts, settings) and keeps what
  belongs to a PLG's history (shared contributions, attendance, hours), which then reads
  "former member".
- An *account refusal* says why a person may not delete their own account yet (a school
  would be left without a programme lead); deleting one's own account is refused then.
- A *retention step* counts and deletes one app's texts of given school years (cases,
  reflections, phase notes, report texts, notifications); numbers in stored yearly reports
  stay.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count

if TYPE_CHECKING:
    from django.db.models import Model, QuerySet
    from django.utils.functional import Promise

    from .users.models import User

# How a row that belongs to a meeting reaches the school year it belongs to.
MEETING_YEAR = "meeting__community__school_year_id"

AccountEraser = Callable[["User", "User | None"], None]
# Why a person may not delete their own account now (e.g. a school would lose its last
# programme lead), or None when they may.
AccountRefusal = Callable[["User"], "str | None"]


@dataclass(frozen=True)
class RetentionStep:
    key: str
    label: Promise | str  # what the retention page calls these rows ("work cases")
    # Rows that would be deleted, per school-year id (years without rows may be left out).
    count: Callable[[Iterable[int]], dict[int, int]]
    # Delete them; returns how many rows were deleted or emptied.
    delete: Callable[[Iterable[int]], int]


_ACCOUNT_ERASERS: dict[str, AccountEraser] = {}
_RETENTION_STEPS: dict[str, RetentionStep] = {}
_ACCOUNT_REFUSALS: dict[str, AccountRefusal] = {}


def register_account_eraser(key: str, erase: AccountEraser) -> None:
    _ACCOUNT_ERASERS[key] = erase


def account_erasers() -> tuple[AccountEraser, ...]:
    return tuple(_ACCOUNT_ERASERS.values())


def register_account_refusal(key: str, refuse: AccountRefusal) -> None:
    _ACCOUNT_REFUSALS[key] = refuse


def own_deletion_refusals(user: User) -> list[str]:
    """Every registered reason why the person may not delete their own account now."""
    return [reason for refuse in _ACCOUNT_REFUSALS.values() if (reason := refuse(user))]


def register_retention(
    key: str,
    label: Promise | str,
    *,
    count: Callable[[Iterable[int]], dict[int, int]],
    delete: Callable[[Iterable[int]], int],
) -> None:
    _RETENTION_STEPS[key] = RetentionStep(key, label, count, delete)


def register_rows_retention(
    key: str, label: Promise | str, model: type[Model], *, year: str = MEETING_YEAR
) -> None:
    """Register a step that deletes a model's rows of the school years past retention."""

    def rows(school_year_ids: Iterable[int]) -> QuerySet:
        return model._default_manager.filter(**{f"{year}__in": list(school_year_ids)})

    def delete(school_year_ids: Iterable[int]) -> int:
        deleted, _per_model = rows(school_year_ids).delete()
        return deleted

    register_retention(
        key, label, count=lambda ids: count_per_year(rows(ids), year=year), delete=delete
    )


def count_per_year(queryset: QuerySet, *, year: str = MEETING_YEAR) -> dict[int, int]:
    """The rows of `queryset` per school-year id, reached through the lookup `year`."""
    return dict(queryset.values_list(year).annotate(count=Count("pk")).order_by())


def retention_steps() -> tuple[RetentionStep, ...]:
    return tuple(_RETENTION_STEPS.values())
