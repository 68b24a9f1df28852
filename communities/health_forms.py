"""Forms for the health check: the seven scores, the moments' dates, agreed actions."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from . import health
from .forms import DateInput
from .models import (
    HEALTH_CHECK_MOMENTS,
    Characteristic,
    Community,
    HealthAction,
    HealthActionRole,
    HealthActionStatus,
    HealthCheckMoment,
)
from .selectors import group_member_users

SCORE_CHOICES = [
    (1, _("1 · not at all")),
    (2, _("2 · a little")),
    (3, _("3 · partly")),
    (4, _("4 · largely")),
    (5, _("5 · fully")),
]
COMMENT_MAX_LENGTH = 2000


class HealthAnswerForm(forms.Form):
    """The seven scores, each with its explanation, and an optional comment."""

    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Read only by the members and teacher leaders of this PLG, without your name, once"
            " at least three members have answered; team leaders, the programme lead and guest"
            " experts do not see comments. Leave out names of students or colleagues."
        ),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        scores = {}
        for characteristic in Characteristic:
            scores[self.score_field(characteristic)] = forms.TypedChoiceField(
                label=characteristic.label,
                help_text=health.EXPLANATIONS[characteristic],
                choices=SCORE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Give this characteristic a score from 1 to 5."),
                    "invalid_choice": _("Give this characteristic a score from 1 to 5."),
                },
            )
        # The scores first, the comment last.
        self.fields = {**scores, "comment": self.fields["comment"]}

    @staticmethod
    def score_field(characteristic: Characteristic) -> str:
        return f"score_{characteristic.value}"

    def scores(self) -> dict[int, int]:
        return {c.value: self.cleaned_data[self.score_field(c)] for c in Characteristic}


class HealthDatesForm(forms.Form):
    """The opening and closing day of each of the three moments."""

    def __init__(self, *args: object, moments: list[HealthCheckMoment], **kwargs: object) -> None:
        initial = {}
        for moment in moments:
            initial[f"opens_on_{moment.number}"] = moment.opens_on
            initial[f"closes_on_{moment.number}"] = moment.closes_on
        super().__init__(*args, initial=initial, **kwargs)
        for number in range(1, HEALTH_CHECK_MOMENTS + 1):
            self.fields[f"opens_on_{number}"] = forms.DateField(
                label=_("Moment %(number)d opens on") % {"number": number}, widget=DateInput()
            )
            self.fields[f"closes_on_{number}"] = forms.DateField(
                label=_("Moment %(number)d closes on") % {"number": number}, widget=DateInput()
            )

    def dates(self) -> dict[int, tuple[dt.date, dt.date]]:
        return {
            n: (self.cleaned_data[f"opens_on_{n}"], self.cleaned_data[f"closes_on_{n}"])
            for n in range(1, HEALTH_CHECK_MOMENTS + 1)
        }


class HealthActionForm(forms.Form):
    characteristic = forms.TypedChoiceField(
        label=_("Characteristic"), choices=Characteristic.choices, coerce=int
    )
    role = forms.ChoiceField(label=_("For whom"), choices=HealthActionRole.choices)
    text = forms.CharField(
        label=_("Action"),
        max_length=HealthAction._meta.get_field("text").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    owner = forms.ModelChoiceField(
        label=_("Owner"),
        queryset=None,
        help_text=_("The PLG member who sees to it that the action happens."),
        error_messages={"invalid_choice": _("The owner must be a member of this PLG.")},
    )

    def __init__(self, *args: object, community: Community, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = group_member_users(community)
        self.fields["owner"].label_from_instance = lambda user: user.display_name


class HealthActionFollowUpForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=HealthActionStatus.choices)
    follow_up = forms.CharField(
        label=_("Follow-up"),
        required=False,
        max_length=HealthAction._meta.get_field("follow_up").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
