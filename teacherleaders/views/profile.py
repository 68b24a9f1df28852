"""Thin views for a teacher leader's own page: training, self-reflection, responsibilities."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communities.permissions import get_school_for
from plg_platform.forms import attach_errors

from ..explanations import (
    NEED_EXPLANATIONS,
    ROLE_EXPLANATIONS,
    STYLE_EXPLANATIONS,
    explained,
)
from ..forms.profile import ResponsibilitiesForm, SelfReflectionForm, TrainingForm
from ..models import LeaderNeed, LeaderRole, LeadershipStyle
from ..permissions import LeaderYear, get_leader_year_for, get_training_for, leader_years
from ..selectors import profile as selectors
from ..selectors.years import chosen_school_year, default_school_year, school_years_of
from ..services import profile as services


def _profile_redirect(leader_year: LeaderYear) -> HttpResponse:
    return redirect("teacherleaders:profile_at", school_pk=leader_year.school.pk)


def _explanations() -> dict[str, object]:
    return {
        "styles": explained(LeadershipStyle.choices, STYLE_EXPLANATIONS),
        "roles": explained(LeaderRole.choices, ROLE_EXPLANATIONS),
        "needs": explained(LeaderNeed.choices, NEED_EXPLANATIONS),
    }


@login_required
def profile(request: HttpRequest, school_pk: int | None = None) -> HttpResponse:
    """The teacher leader's own page: training, PLGs led, self-reflection, responsibilities."""
    years = leader_years(request.user)
    leader_year = get_leader_year_for(request.user, school_pk, years=years)
    return render(
        request,
        "teacherleaders/profile.html",
        {
            "leader_year": leader_year,
            "other_schools": [entry for entry in years if entry != leader_year],
            **selectors.profile_page(request.user, leader_year),
            **_explanations(),
        },
    )


def _training_form(
    request: HttpRequest, leader_year: LeaderYear, training=None
) -> HttpResponse | None:
    form = TrainingForm.for_training(training, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if training is None:
                services.training_create(
                    user=request.user, school=leader_year.school, data=form.cleaned_data
                )
            else:
                services.training_update(training=training, data=form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The course has been saved."))
            return _profile_redirect(leader_year)
    return render(
        request,
        "teacherleaders/profile_training_form.html",
        {"leader_year": leader_year, "form": form, "training": training},
    )


@login_required
def training_create(request: HttpRequest, school_pk: int) -> HttpResponse:
    """Add a course the teacher leader took or is taking."""
    leader_year = get_leader_year_for(request.user, school_pk)
    return _training_form(request, leader_year)


@login_required
def training_edit(request: HttpRequest, school_pk: int, pk: int) -> HttpResponse:
    """Change one of the teacher leader's own courses."""
    leader_year = get_leader_year_for(request.user, school_pk)
    training = get_training_for(request.user, leader_year, pk)
    return _training_form(request, leader_year, training)


@require_POST
@login_required
def training_delete(request: HttpRequest, school_pk: int, pk: int) -> HttpResponse:
    """Remove one of the teacher leader's own courses."""
    leader_year = get_leader_year_for(request.user, school_pk)
    training = get_training_for(request.user, leader_year, pk)
    services.training_delete(training=training)
    messages.success(request, _("The course has been removed."))
    return _profile_redirect(leader_year)


@login_required
def self_reflection(request: HttpRequest, school_pk: int) -> HttpResponse:
    """Write or edit the year's self-reflection; private unless shared with teacher leaders."""
    leader_year = get_leader_year_for(request.user, school_pk)
    own = selectors.own_self_reflection(request.user, leader_year.school_year)
    form = SelfReflectionForm.for_reflection(own, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.self_reflection_save(
                user=request.user, school_year=leader_year.school_year, data=form.cleaned_data
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                _("Your self-reflection has been saved and shared with the other teacher leaders.")
                if saved.shared
                else _("Your self-reflection has been saved. It is private: only you can read it."),
            )
            return _profile_redirect(leader_year)
    return render(
        request,
        "teacherleaders/profile_self_reflection.html",
        {"leader_year": leader_year, "form": form, "reflection": own, **_explanations()},
    )


@login_required
def responsibilities(request: HttpRequest, school_pk: int) -> HttpResponse:
    """Update the year's responsibilities checklist: a status and a line of evidence each."""
    leader_year = get_leader_year_for(request.user, school_pk)
    checks = selectors.own_responsibility_checks(request.user, leader_year.school_year)
    form = ResponsibilitiesForm(checks, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.responsibilities_save(
                user=request.user, school_year=leader_year.school_year, data=form.cleaned_data
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Your responsibilities checklist has been saved."))
            return _profile_redirect(leader_year)
    return render(
        request,
        "teacherleaders/profile_responsibilities.html",
        {"leader_year": leader_year, "form": form},
    )


@login_required
def shared_reflections(request: HttpRequest, school_pk: int) -> HttpResponse:
    """The self-reflections the school's other teacher leaders shared this year."""
    leader_year = get_leader_year_for(request.user, school_pk)
    return render(
        request,
        "teacherleaders/profile_shared_reflections.html",
        {
            "leader_year": leader_year,
            "reflections": selectors.shared_self_reflections(request.user, leader_year.school_year),
            "own": selectors.own_self_reflection(request.user, leader_year.school_year),
        },
    )


@login_required
def school_responsibilities(request: HttpRequest, pk: int) -> HttpResponse:
    """For the programme lead: where each of the school's teacher leaders stands this year."""
    school = get_school_for(request.user, pk)
    school_years = school_years_of(school)
    if "year" in request.GET:
        school_year = chosen_school_year(school_years, request.GET["year"])
    else:
        school_year = default_school_year(school_years, timezone.localdate())
    return render(
        request,
        "teacherleaders/profile_school_responsibilities.html",
        {
            "school": school,
            "school_year": school_year,
            "school_years": school_years,
            "leaders": selectors.school_responsibilities(school_year) if school_year else [],
        },
    )


urlpatterns: list[URLPattern] = [
    path("teacher-leader/", profile, name="profile"),
    path("teacher-leader/<int:school_pk>/", profile, name="profile_at"),
    path("teacher-leader/<int:school_pk>/training/new/", training_create, name="training_create"),
    path("teacher-leader/<int:school_pk>/training/<int:pk>/", training_edit, name="training_edit"),
    path(
        "teacher-leader/<int:school_pk>/training/<int:pk>/remove/",
        training_delete,
        name="training_delete",
    ),
    path(
        "teacher-leader/<int:school_pk>/self-reflection/", self_reflection, name="self_reflection"
    ),
    path(
        "teacher-leader/<int:school_pk>/responsibilities/",
        responsibilities,
        name="responsibilities",
    ),
    path(
        "teacher-leader/<int:school_pk>/shared-self-reflections/",
        shared_reflections,
        name="shared_reflections",
    ),
    path(
        "school/<int:pk>/teacher-leaders/responsibilities/",
        school_responsibilities,
        name="school_responsibilities",
    ),
]
