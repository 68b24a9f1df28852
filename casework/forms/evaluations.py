"""The two-question evaluation after a meeting."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..services.evaluations import EVALUATION_MAX_LENGTH


def _answer(label, help_text) -> forms.CharField:
    # Optional each: the service asks for at least one of the two.
    return forms.CharField(
        label=label,
        required=False,
        max_length=EVALUATION_MAX_LENGTH,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class EvaluationForm(forms.Form):
    went_well = _answer(
        _("What went well"), _("What worked at this meeting and should stay the same?")
    )
    do_better = _answer(
        _("What we do better next time"), _("What would make the next meeting better?")
    )
