from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import Community, Role, School, SchoolYear, Team


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class SchoolForm(forms.ModelForm):
    class Meta:
        model = School
        fields = ["name", "require_two_factor"]


class SchoolYearForm(forms.ModelForm):
    class Meta:
        model = SchoolYear
        fields = ["name", "starts_on", "ends_on"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def clean(self) -> dict:
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on <= starts_on:
            # On the field, so the model's raw "constraint is violated" message is not shown.
            self.add_error("ends_on", _("The school year must end after it starts."))
        return cleaned


class PeriodForm(forms.Form):
    starts_on = forms.DateField(label=_("First day"), widget=DateInput())
    ends_on = forms.DateField(label=_("Last day"), widget=DateInput())


class HolidayForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    first_day = forms.DateField(label=_("First day"), widget=DateInput())
    last_day = forms.DateField(label=_("Last day"), widget=DateInput())


PeriodFormSet = forms.formset_factory(
    PeriodForm, extra=0, min_num=4, max_num=4, validate_min=True, validate_max=True
)
HolidayFormSet = forms.formset_factory(HolidayForm, extra=2, can_delete=True, max_num=20)


class TeamForm(forms.ModelForm):
    new_leader_email = forms.EmailField(
        max_length=254,
        label=_("Invite a new team leader"),
        required=False,
        help_text=_("E-mail address of a team leader who has no account yet."),
    )

    class Meta:
        model = Team
        fields = ["name", "leaders"]
        widgets = {"leaders": forms.CheckboxSelectMultiple}

    def __init__(self, *args: object, people=None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leaders"].queryset = people
        self.fields["leaders"].required = False
        self.fields["leaders"].help_text = ""


class CommunityForm(forms.ModelForm):
    class Meta:
        model = Community
        fields = ["name", "team", "school_year", "vision", "question", "product", "is_first_year"]
        widgets = {
            "vision": forms.Textarea(attrs={"rows": 3}),
            "question": forms.Textarea(attrs={"rows": 2}),
            "product": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: object, school: School, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(school=school)
        self.fields["school_year"].queryset = SchoolYear.objects.filter(school=school)


class CommunityEditForm(forms.ModelForm):
    """What a teacher leader may change: the content, not the team or year."""

    class Meta:
        model = Community
        fields = ["name", "vision", "question", "product", "is_first_year"]
        widgets = CommunityForm.Meta.widgets


class RolesField(forms.MultipleChoiceField):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(
            label=pgettext_lazy("PLG role", "Roles"),
            choices=Role.choices,
            widget=forms.CheckboxSelectMultiple,
            error_messages={"required": _("Choose at least one role.")},
            **kwargs,
        )


class MemberAddForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    name = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=150,
        help_text=_("Only needed for someone who has no account yet."),
    )
    roles = RolesField(initial=[Role.PARTICIPANT])


class MemberRolesForm(forms.Form):
    roles = RolesField()


class LearningQuestionForm(forms.Form):
    text = forms.CharField(
        label=_("My learning question"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "What do you want to learn this year, linked to the PLG's theme? "
            "Leave empty to remove it."
        ),
    )
