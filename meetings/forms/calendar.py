"""Forms for the theme calendar: confirming a new or revoked calendar subscription address."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class CalendarFeedRegenerateForm(forms.Form):
    """Making a new address breaks every calendar that uses the old one: ask first."""

    prefix = "regenerate"

    confirm = forms.BooleanField(
        label=_("I understand that my current address stops working"),
        error_messages={
            "required": _("Tick the box to confirm that your current address may stop working.")
        },
    )


class CalendarFeedRevokeForm(forms.Form):
    """Switching the address off empties every calendar that uses it: ask first."""

    prefix = "revoke"

    confirm = forms.BooleanField(
        label=_("I understand that my calendar apps will no longer receive my theme meetings"),
        error_messages={
            "required": _("Tick the box to confirm that you want to switch the address off.")
        },
    )
