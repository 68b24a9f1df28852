"""Forms for a person's reminder settings and a school's reminder lead times."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import OPTIONAL_KINDS, REMINDER_MAX_DAYS, NotificationSettings, ReminderSchedule

ONE_BY_ONE = "email"
DIGEST = "digest"


class NotificationSettingsForm(forms.Form):
    wanted_kinds = forms.MultipleChoiceField(
        label=_("Reminders I want"),
        choices=[(kind.value, kind.label) for kind in OPTIONAL_KINDS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Untick a reminder to stop getting it, by e-mail and in your notifications."),
        error_messages={"invalid_choice": _("Choose reminders from the list.")},
    )
    delivery = forms.ChoiceField(
        label=_("How I get them"),
        choices=[
            (ONE_BY_ONE, _("One e-mail per reminder, right away")),
            (DIGEST, _("One e-mail a day with all my reminders (daily digest)")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how you get your reminders."),
            "invalid_choice": _("Choose how you get your reminders."),
        },
    )

    @property
    def digest(self) -> bool:
        return self.cleaned_data["delivery"] == DIGEST

    @staticmethod
    def initial_for(current: NotificationSettings) -> dict[str, object]:
        """The form filled in as the person's settings stand."""
        return {
            "wanted_kinds": [
                kind.value for kind in OPTIONAL_KINDS if kind not in current.muted_kinds
            ],
            "delivery": DIGEST if current.digest else ONE_BY_ONE,
        }


# A literal (not built from REMINDER_MAX_DAYS): it has to stay lazy, in the reader's language.
DAYS_MESSAGE = _("Give a whole number of days from 0 to 60.")
SCHEDULE_FIELDS = [
    "meeting_first_days",
    "meeting_second_days",
    "prepare_days",
    "case_days",
    "reflection_days",
    "step_days",
    "report_days",
]


class ReminderScheduleForm(forms.ModelForm):
    class Meta:
        model = ReminderSchedule
        fields = SCHEDULE_FIELDS
        error_messages = {
            name: {code: DAYS_MESSAGE for code in ("required", "invalid", "min_value", "max_value")}
            for name in SCHEDULE_FIELDS
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.update({"min": 0, "max": REMINDER_MAX_DAYS})

    @property
    def days(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] for name in SCHEDULE_FIELDS}
