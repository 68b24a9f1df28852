"""Thin views: check access, validate, call one service, message, redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plg_platform.forms import attach_errors

from . import permissions, selectors, services
from .forms import (
    CommunityEditForm,
    CommunityForm,
    HolidayFormSet,
    LearningQuestionForm,
    MemberAddForm,
    MemberRolesForm,
    PeriodFormSet,
    SchoolForm,
    SchoolYearForm,
    TeamForm,
)
from .page_cache import page_cached


@login_required
@page_cached
def dashboard(request: HttpRequest) -> HttpResponse:
    communities = selectors.dashboard_entries(request.user)
    schools = permissions.administered_schools_list(request.user)
    return render(
        request, "communities/dashboard.html", {"communities": communities, "schools": schools}
    )


@login_required
@page_cached
def community_detail(request: HttpRequest, pk: int) -> HttpResponse:
    community, relation = permissions.open_community(request.user, pk)
    return render(
        request,
        "communities/community_detail.html",
        selectors.community_page(request.user, community, relation),
    )


@login_required
def community_edit(request: HttpRequest, pk: int) -> HttpResponse:
    community = permissions.get_community_for(request.user, pk, manage=True)
    form = CommunityEditForm(request.POST or None, instance=community)
    if request.method == "POST" and form.is_valid():
        try:
            services.community_save(
                community=community,
                team=community.team,
                school_year=community.school_year,
                **{field: form.cleaned_data[field] for field in form.Meta.fields},
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The PLG has been saved."))
            return redirect("communities:detail", pk=community.pk)
    return render(
        request, "communities/community_form.html", {"form": form, "community": community}
    )


@login_required
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    community = permissions.get_community_for(request.user, pk, manage=True)
    form = MemberAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership, _invited = services.membership_add(
                community=community,
                email=form.cleaned_data["email"],
                name=form.cleaned_data["name"],
                roles=form.cleaned_data["roles"],
                actor=request.user,
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            # One message either way: it must not tell whether the address has an account.
            messages.success(
                request,
                _(
                    "%(email)s has been added. Someone without an account yet receives an "
                    "invitation by e-mail."
                )
                % {"email": membership.user.email},
            )
            return redirect("communities:detail", pk=community.pk)
    return render(request, "communities/member_add.html", {"form": form, "community": community})


@login_required
def member_edit(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    community = permissions.get_community_for(request.user, pk, manage=True)
    membership = permissions.get_membership_for(request.user, community, membership_pk)
    form = MemberRolesForm(request.POST or None, initial={"roles": membership.roles})
    if request.method == "POST" and form.is_valid():
        services.membership_update_roles(
            membership=membership, roles=form.cleaned_data["roles"], actor=request.user
        )
        messages.success(request, _("The roles have been saved."))
        return redirect("communities:detail", pk=community.pk)
    return render(
        request,
        "communities/member_edit.html",
        {
            "form": form,
            "community": community,
            "membership": membership,
            # Only this PLG's own programme leads delete accounts, not an admin of another school.
            "may_delete_account": permissions.administered_schools(request.user)
            .filter(pk=community.team.school_id)
            .exists(),
        },
    )


@require_POST
@login_required
def member_remove(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    community = permissions.get_community_for(request.user, pk, manage=True)
    membership = permissions.get_membership_for(request.user, community, membership_pk)
    services.membership_remove(membership=membership, actor=request.user)
    messages.success(
        request,
        _("%(name)s has been removed from the PLG.") % {"name": membership.user.display_name},
    )
    if not permissions.can_manage_community(request.user, community):
        # A teacher leader who removed themselves may no longer see the PLG.
        return redirect("communities:dashboard")
    return redirect("communities:detail", pk=community.pk)


@require_POST
@login_required
def member_reinvite(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    community = permissions.get_community_for(request.user, pk, manage=True)
    membership = permissions.get_membership_for(request.user, community, membership_pk)
    try:
        services.invitation_resend(membership=membership, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("A new invitation is on its way to %(email)s.") % {"email": membership.user.email},
        )
    return redirect("communities:detail", pk=community.pk)


@login_required
def learning_question(request: HttpRequest, pk: int) -> HttpResponse:
    community = permissions.get_community_for(request.user, pk)
    membership = permissions.get_own_participation(request.user, community)
    current = getattr(membership, "learning_question", None)
    form = LearningQuestionForm(
        request.POST or None, initial={"text": current.text if current else ""}
    )
    if request.method == "POST" and form.is_valid():
        services.learning_question_set(membership=membership, text=form.cleaned_data["text"])
        messages.success(request, _("Your learning question has been saved."))
        return redirect("communities:detail", pk=community.pk)
    return render(
        request, "communities/learning_question.html", {"form": form, "community": community}
    )


# School set-up: programme leads (school admins) only.


@login_required
def school_list(request: HttpRequest) -> HttpResponse:
    schools = permissions.administered_schools_list(request.user)
    if len(schools) == 1:
        return redirect("communities:school", pk=schools[0].pk)
    permissions.require(bool(schools))
    return render(request, "communities/school_list.html", {"schools": schools})


@login_required
def school_detail(request: HttpRequest, pk: int) -> HttpResponse:
    school = permissions.get_school_for(request.user, pk)
    return render(
        request,
        "communities/school_detail.html",
        {
            "school": selectors.school_overview(school),
            "communities": selectors.school_communities(school),
        },
    )


@login_required
def school_edit(request: HttpRequest, pk: int) -> HttpResponse:
    school = permissions.get_school_for(request.user, pk)
    form = SchoolForm(request.POST or None, instance=school)
    if request.method == "POST" and form.is_valid():
        services.school_update(
            school=school,
            name=form.cleaned_data["name"],
            require_two_factor=form.cleaned_data["require_two_factor"],
            actor=request.user,
        )
        messages.success(request, _("The school has been saved."))
        return redirect("communities:school", pk=school.pk)
    return render(request, "communities/school_form.html", {"form": form, "school": school})


def _school_year_form(request: HttpRequest, school, school_year=None) -> HttpResponse:
    initial_periods = initial_holidays = None
    if school_year is not None:
        initial_periods = [
            {"starts_on": p.starts_on, "ends_on": p.ends_on} for p in school_year.periods.all()
        ]
        initial_holidays = [
            {"name": h.name, "first_day": h.first_day, "last_day": h.last_day}
            for h in school_year.holidays.all()
        ]
    data = request.POST or None
    form = SchoolYearForm(data, instance=school_year)
    periods = PeriodFormSet(data, prefix="periods", initial=initial_periods)
    holidays = HolidayFormSet(data, prefix="holidays", initial=initial_holidays)
    if request.method == "POST" and all([form.is_valid(), periods.is_valid(), holidays.is_valid()]):
        try:
            saved = services.school_year_save(
                school=school,
                school_year=school_year,
                name=form.cleaned_data["name"],
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
                periods=[
                    services.DateRange(f.cleaned_data["starts_on"], f.cleaned_data["ends_on"])
                    for f in periods.forms
                ],
                holidays=[
                    services.HolidayInput(
                        f.cleaned_data["name"],
                        f.cleaned_data["first_day"],
                        f.cleaned_data["last_day"],
                    )
                    for f in holidays.forms
                    if f.cleaned_data and not f.cleaned_data.get("DELETE")
                ],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request, _("School year %(name)s has been saved.") % {"name": saved.name}
            )
            return redirect("communities:school", pk=school.pk)
    return render(
        request,
        "communities/school_year_form.html",
        {
            "form": form,
            "periods": periods,
            "holidays": holidays,
            "school": school,
            "school_year": school_year,
        },
    )


@login_required
def school_year_create(request: HttpRequest, pk: int) -> HttpResponse:
    school = permissions.get_school_for(request.user, pk)
    return _school_year_form(request, school)


@login_required
def school_year_edit(request: HttpRequest, pk: int) -> HttpResponse:
    school_year = permissions.get_school_year_for(request.user, pk)
    return _school_year_form(request, school_year.school, school_year)


def _team_form(request: HttpRequest, school, team=None) -> HttpResponse:
    form = TeamForm(request.POST or None, instance=team, people=selectors.school_people(school))
    if request.method == "POST" and form.is_valid():
        try:
            services.team_save(
                school=school,
                team=team,
                name=form.cleaned_data["name"],
                leaders=form.cleaned_data["leaders"],
                new_leader_email=form.cleaned_data["new_leader_email"],
                actor=request.user,
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The team has been saved."))
            return redirect("communities:school", pk=school.pk)
    return render(
        request, "communities/team_form.html", {"form": form, "school": school, "team": team}
    )


@login_required
def team_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _team_form(request, permissions.get_school_for(request.user, pk))


@login_required
def team_edit(request: HttpRequest, pk: int) -> HttpResponse:
    team = permissions.get_team_for(request.user, pk)
    return _team_form(request, team.school, team)


@login_required
def community_create(request: HttpRequest, pk: int) -> HttpResponse:
    school = permissions.get_school_for(request.user, pk)
    form = CommunityForm(request.POST or None, school=school)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            community = services.community_save(
                team=data.pop("team"), school_year=data.pop("school_year"), **data
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request, _("PLG %(name)s has been created.") % {"name": community.name}
            )
            return redirect("communities:detail", pk=community.pk)
    return render(request, "communities/community_form.html", {"form": form, "school": school})
