"""The work-case form: each field with a few guiding prompts, and the names reminder."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import WorkCase
from ..services.cases import TITLE_MAX_LENGTH
from . import long_text


class WorkCaseForm(forms.Form):
    """Only the title is needed for a draft; the service asks for more when it is submitted."""

    title = forms.CharField(
        label=_("Short title"),
        required=False,
        max_length=TITLE_MAX_LENGTH,
        help_text=_(
            "A few words your small group will recognise, e.g. “Restless after the break”."
        ),
    )
    situation = long_text(
        _("The situation"),
        _(
            "Where and when does it happen? Who is involved (a pupil in 3 havo, a colleague, "
            "a class)? What do you see and hear, and what do you do yourself? Needed to submit."
        ),
        _("In my 3 havo class, on Monday afternoons after the break, a group of pupils…"),
        rows=6,
    )
    question = long_text(
        _("My question"),
        _(
            "What do you want to find out or get better at? An open question that starts with "
            "“How can I…” works well. Needed to submit."
        ),
        _("How can I…"),
        rows=3,
    )
    tried = long_text(
        _("What I already tried"),
        _("What have you done so far, and what happened? What worked a little, what did not?"),
        _("I moved the seating plan, and then…"),
    )
    why_now = long_text(
        _("Why it matters now"),
        _("Why does this matter to you at this moment? What is at stake for you or your pupils?"),
        _("It matters to me now because…"),
        rows=3,
    )
    names_left_out = forms.BooleanField(
        label=_("I have left out the names of pupils and colleagues."),
        required=False,
        help_text=_("Needed to submit your work case to the meeting."),
    )

    @classmethod
    def for_case(cls, case: WorkCase | None, data=None) -> WorkCaseForm:
        initial = {}
        if case is not None:
            initial = {
                name: getattr(case, name)
                for name in ("title", "situation", "question", "tried", "why_now")
            }
            initial["names_left_out"] = case.is_submitted
        return cls(data, initial=initial)
