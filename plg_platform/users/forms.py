from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import User


class AccountSettingsForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "language"]
        help_texts = {"name": _("Shown to the people in your PLGs.")}


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    next = forms.CharField(required=False, widget=forms.HiddenInput)
