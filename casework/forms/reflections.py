"""The reflection form: four open questions and the choice to share it with the PLG."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Reflection
from ..services.reflections import TEXT_FIELDS
from . import long_text


class ReflectionForm(forms.Form):
    learned = long_text(
        _("What I learned"),
        _("What did you learn at this meeting, about the theme, your pupils or yourself?"),
    )
    method = long_text(
        _("How the way of working suited me"),
        _("How did working on a case in a small group go for you? What helped, what did not?"),
    )
    bothers = long_text(
        _("What is still on my mind"),
        _("Is there something that still puzzles, worries or bothers you?"),
        rows=3,
    )
    learning_question = long_text(
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
