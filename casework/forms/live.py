"""Forms of the live screen: moving a phase on or back, and saving one note."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import NoteField

DIRECTIONS = {"next": 1, "previous": -1}
MAX_ID = 2**31 - 1  # the largest value of a PostgreSQL integer column


class PhaseMoveForm(forms.Form):
    """The phase the screen showed and which way to go, so a double click moves one phase."""

    direction = forms.ChoiceField(
        label=_("direction"), choices=[("next", _("next")), ("previous", _("previous"))]
    )
    from_phase = forms.IntegerField(label=_("phase shown"), min_value=0, max_value=6)

    @property
    def step(self) -> int:
        return DIRECTIONS[self.cleaned_data["direction"]]


class NoteForm(forms.Form):
    """One live note as the screen posts it (the autosave and the Save button alike)."""

    field = forms.ChoiceField(label=_("field"), choices=NoteField.choices)
    # Bounded like the database's integer columns: a huge number is bad input (400), not an
    # OverflowError in the query (500).
    group = forms.IntegerField(
        label=_("small group"), required=False, min_value=1, max_value=MAX_ID
    )
    member = forms.IntegerField(label=_("member"), required=False, min_value=1, max_value=MAX_ID)
    # strip=False: what the user typed is kept exactly, spaces and all.
    text = forms.CharField(label=_("text"), required=False, strip=False)
    version = forms.IntegerField(label=_("version"), min_value=0, max_value=MAX_ID)
