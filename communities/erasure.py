"""What communities removes when an account is deleted.

Deleted: the person's learning questions, their programme-lead and team-leader roles (a former
member leads nothing). Kept: their memberships, because the PLG's counts, hours and yearly
reports rest on them; member lists leave deleted people out (see selectors), history shows
them as "former member". Health-check participation carries no answer and stays for the
response counts; product contributions stay under "former member".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .models import AuditAction, LearningQuestion
from .permissions import own_deletion_refusal
from .selectors import schools_of_person

if TYPE_CHECKING:
    from plg_platform.users.models import User


def erase_account(user: User, actor: User | None) -> None:
    from .audit import audit_record

    # Logged in every school the person belonged to, while their name is still there to copy.
    for school in schools_of_person(user):
        audit_record(
            school=school,
            actor=actor,
            action=AuditAction.ACCOUNT_DELETED,
            subject=user.display_name,
        )
    LearningQuestion.objects.filter(membership__user=user).delete()
    user.administered_schools.clear()
    user.led_teams.clear()


def register_all() -> None:
    from plg_platform import erasure

    erasure.register_account_eraser("communities", erase_account)
    erasure.register_account_refusal("communities", own_deletion_refusal)
