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
  reflections, phase notes, report texts); numbers in stored yearly reports stay.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from .users.models import User

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


def retention_steps() -> tuple[RetentionStep, ...]:
    return tuple(_RETENTION_STEPS.values())
