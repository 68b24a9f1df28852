"""The form on which a presenter looks back on their first small step."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import StepStatus
from ..services.steps import ANSWERS, OUTCOME_MAX_LENGTH


class StepReviewForm(forms.Form):
    status = forms.ChoiceField(
        label=_("How did it go?"),
        choices=[(status.value, status.label) for status in ANSWERS],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose done, partly done or not done.")},
    )
    outcome = forms.CharField(
        label=_("What happened?"),
        required=False,
        max_length=OUTCOME_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One line for your small group: needed when the step was partly done or not done."
        ),
    )

    @staticmethod
    def initial_for(status: str, outcome: str) -> dict[str, str]:
        return {"status": "" if status == StepStatus.OPEN else status, "outcome": outcome}
