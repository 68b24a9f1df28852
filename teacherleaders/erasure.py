"""What teacherleaders removes when an account is deleted.

Deleted: the person's training records and private self-reflections. Shared self-reflections,
responsibilities and teacher-leader meeting notes stay as the school's history under
"former member".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .models import SelfReflection, Training

if TYPE_CHECKING:
    from plg_platform.users.models import User


def erase_account(user: User, actor: User | None) -> None:
    Training.objects.filter(user=user).delete()
    SelfReflection.objects.filter(user=user, shared=False).delete()


def register_all() -> None:
    from plg_platform import erasure

    erasure.register_account_eraser("teacherleaders", erase_account)
