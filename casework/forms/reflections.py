"""The reflection form: four open questions and the choice to share it with the PLG."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Reflection
from ..services.reflections import TEXT_FIELDS, TEXT_MAX_LENGTH


def _text(label, help_text, *, rows: int = 4) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=TEXT_MAX_LENGTH,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class ReflectionForm(forms.Form):
    learned = _text(
        _("What I learned"),
        _("What did you learn at this meeting, about the theme, your pupils or yourself?"),
    )
    method = _text(
        _("How the way of working suited me"),
        _("How did working on a case in a small group go for you? What helped, what did not?"),
    )
    bothers = _text(
        _("What is still on my mind"),
        _("Is there something that still puzzles, worries or bothers you?"),
        rows=3,
    )
    learning_question = _text(
        _("Progress on my learning question"),
        _("Did this meeting bring you closer to an answer? What is your next step?"),
        rows=3,
    )
    shared = forms.BooleanField(
        label=_("Share my reflection with my PLG"),
        required=False,
        help_text=_(
            "Off: private, only you can read it; not the teacher leaders, not the team leader, "
            "not the admins. On: the members of your PLG can read it, with your name. You can "
            "change this later."
        ),
    )

    @classmethod
    def for_reflection(cls, reflection: Reflection | None, data=None) -> ReflectionForm:
        initial: dict[str, object] = {}
        if reflection is not None:
            initial = {name: getattr(reflection, name) for name in (*TEXT_FIELDS, "shared")}
        return cls(data, initial=initial)
