"""Writes for first small steps: the presenter looks back on theirs before the next meeting."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import NextStep, StepStatus

if TYPE_CHECKING:
    from plg_platform.users.models import User

OUTCOME_MAX_LENGTH = 1000
ANSWERS = (StepStatus.DONE, StepStatus.PARTLY, StepStatus.NOT_DONE)
# "Done" speaks for itself; partly or not done asks for a line, which the group reads in phase 4.
NEEDS_OUTCOME = (StepStatus.PARTLY, StepStatus.NOT_DONE)


@transaction.atomic
def step_review(*, step: NextStep, actor: User, status: str, outcome: str) -> NextStep:
    """Mark one's own first small step done, partly done or not done, with what happened.

    Looking back again later replaces the earlier answer.
    """
    if step.presenter_id != actor.pk:
        raise ValidationError(_("Only the presenter looks back on their first small step."))
    if status not in ANSWERS:
        raise ValidationError({"status": _("Choose done, partly done or not done.")})
    outcome = (outcome or "").strip()
    if status in NEEDS_OUTCOME and not outcome:
        raise ValidationError(
            {"outcome": _("Write one line on what happened, so the group can pick it up.")}
        )
    if len(outcome) > OUTCOME_MAX_LENGTH:
        raise ValidationError(
            {"outcome": _("Keep it to at most %(max)d characters.") % {"max": OUTCOME_MAX_LENGTH}}
        )
    now = timezone.now()
    NextStep.objects.filter(pk=step.pk).update(status=status, outcome=outcome, reviewed_at=now)
    step.status, step.outcome, step.reviewed_at = status, outcome, now
    return step
