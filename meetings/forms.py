from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _


class YearPlanForm(forms.Form):
    weekday = forms.TypedChoiceField(
        label=_("Weekday"),
        coerce=int,
        choices=[(number, WEEKDAYS[number]) for number in range(5)],
        initial=1,
    )
    start_time = forms.TimeField(
        label=_("Start time"),
        initial=dt.time(15, 30),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    duration_minutes = forms.IntegerField(
        label=_("Length in minutes"), min_value=30, max_value=12 * 60, initial=150
    )
    location = forms.CharField(label=_("Room"), max_length=200, required=False)
    replace = forms.BooleanField(
        label=_("Replace the meetings that have not taken place yet"), required=False
    )

    @property
    def duration(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.cleaned_data["duration_minutes"])
