from __future__ import annotations

import datetime as dt
import functools

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django import forms
from django.utils import timezone, translation
from django.utils.dates import WEEKDAYS
from django.utils.safestring import SafeString
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

    def as_crispy_html(self) -> SafeString:
        """The form as `{{ form|crispy }}` renders it; the blank form once per language.

        The year view shows the blank form to its managers on every visit, and crispy-forms
        took 5.5 ms of CPU to render it. Blank, it is the same HTML for every PLG, user and
        request in a language: its fields, labels, choices and initial values are all in this
        class, nothing comes from the database or the request (the CSRF token is outside it).
        So it is kept per process and language, and a deploy (new code) starts afresh. A bound
        form (a POST with errors) is rendered each time.
        """
        if self.is_bound:
            return as_crispy_form(self)
        return _blank_year_plan_form(translation.get_language())


@functools.lru_cache(maxsize=8)
def _blank_year_plan_form(language: str | None) -> SafeString:
    # Rendered inside the language it is kept for (the caller's active one).
    return as_crispy_form(YearPlanForm())


class MeetingMoveForm(forms.Form):
    """Move a meeting: date, start time, length and room."""

    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(
        label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    duration_minutes = forms.IntegerField(
        label=_("Length in minutes"), min_value=30, max_value=12 * 60
    )
    location = forms.CharField(label=_("Room"), max_length=200, required=False)

    @classmethod
    def for_meeting(cls, meeting, data=None) -> MeetingMoveForm:
        local = timezone.localtime(meeting.starts_at)
        initial = {
            "day": local.date(),
            "start_time": local.time(),
            "duration_minutes": int(meeting.duration.total_seconds() // 60),
            "location": meeting.location,
        }
        return cls(data, initial=initial)

    @property
    def starts_at(self) -> dt.datetime:
        return dt.datetime.combine(
            self.cleaned_data["day"],
            self.cleaned_data["start_time"],
            tzinfo=timezone.get_default_timezone(),
        )

    @property
    def duration(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.cleaned_data["duration_minutes"])


class MeetingCancelForm(forms.Form):
    """Cancel a meeting: the reason goes into its history."""

    # The meeting page also holds the absence form's "reason": keep names and ids apart.
    prefix = "cancel"

    reason = forms.CharField(
        label=_("Reason for cancelling"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Give a reason for cancelling the meeting.")},
    )
