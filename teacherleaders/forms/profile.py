"""Forms on a teacher leader's own page; the services check what the forms cannot."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import (
    SELF_REFLECTION_FIELDS,
    LeaderNeed,
    LeaderRole,
    LeadershipStyle,
    Responsibility,
    ResponsibilityCheck,
    ResponsibilityStatus,
    SelfReflection,
    Training,
    TrainingStatus,
)
from ..services.profile import EVIDENCE_MAX_LENGTH, TEXT_MAX_LENGTH, responsibility_field


def _long_text(label, help_text, *, rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=TEXT_MAX_LENGTH,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class TrainingForm(forms.Form):
    course = forms.CharField(label=_("Course"), max_length=200)
    year = forms.IntegerField(label=_("Year"), help_text=_("The year you started or finished it."))
    status = forms.ChoiceField(
        label=_("Status"), choices=TrainingStatus.choices, widget=forms.RadioSelect
    )

    @classmethod
    def for_training(cls, training: Training | None, data=None) -> TrainingForm:
        initial = (
            {"status": TrainingStatus.IN_PROGRESS}
            if training is None
            else {"course": training.course, "year": training.year, "status": training.status}
        )
        return cls(data, initial=initial)


class SelfReflectionForm(forms.Form):
    style = forms.ChoiceField(
        label=_("The leadership style I use most"),
        choices=[("", _("I do not know yet")), *LeadershipStyle.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    style_fit = _long_text(
        _("How that fits my group"),
        _(
            "Does your group need more steering, or more room? Where do you and your co-teacher "
            "leader complement each other?"
        ),
    )
    roles_taken = forms.MultipleChoiceField(
        label=_("Roles I take"),
        choices=LeaderRole.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    roles_to_grow = forms.MultipleChoiceField(
        label=_("Roles I want to grow in"),
        choices=LeaderRole.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    skills = _long_text(
        _("Skills and attitudes I want to work on"),
        _(
            "For example taking the initiative, keeping everyone involved, dealing with "
            "negativity, openness, courage or perseverance."
        ),
    )
    needs = forms.MultipleChoiceField(
        label=_("What I need"),
        choices=LeaderNeed.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    needs_note = _long_text(_("More about what I need"), "", rows=2)
    shared = forms.BooleanField(
        label=_("Share my self-reflection with the other teacher leaders"),
        required=False,
        help_text=_(
            "Off: private, only you can read it. On: the school's other teacher leaders can read "
            "it, with your name. Team leaders and the programme lead never see it."
        ),
    )

    FIELDS = SELF_REFLECTION_FIELDS

    @classmethod
    def for_reflection(cls, reflection: SelfReflection | None, data=None) -> SelfReflectionForm:
        initial: dict[str, object] = {}
        if reflection is not None:
            initial = {name: getattr(reflection, name) for name in cls.FIELDS}
        return cls(data, initial=initial)


class ResponsibilitiesForm(forms.Form):
    """A status and a line of evidence for each of the five responsibilities."""

    def __init__(self, checks: list[ResponsibilityCheck], data=None) -> None:
        by_item = {check.item: check for check in checks}
        initial: dict[str, object] = {}
        for item in Responsibility.values:
            check = by_item.get(item)
            initial[responsibility_field(item, "status")] = (
                check.status if check else ResponsibilityStatus.NOT_STARTED
            )
            initial[responsibility_field(item, "evidence")] = check.evidence if check else ""
        super().__init__(data, initial=initial)
        for item in Responsibility.values:
            self.fields[responsibility_field(item, "status")] = forms.ChoiceField(
                label=_("Status"), choices=ResponsibilityStatus.choices, widget=forms.RadioSelect
            )
            self.fields[responsibility_field(item, "evidence")] = forms.CharField(
                label=_("Evidence"),
                required=False,
                max_length=EVIDENCE_MAX_LENGTH,
                help_text=_("One line: what shows where you stand?"),
            )

    def items(self) -> list[tuple[str, str, forms.BoundField, forms.BoundField]]:
        """Each responsibility with its two bound fields, for the template's fieldsets."""
        return [
            (
                item,
                str(label),
                self[responsibility_field(item, "status")],
                self[responsibility_field(item, "evidence")],
            )
            for item, label in Responsibility.choices
        ]
