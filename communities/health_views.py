"""Health-check pages: moments, the anonymous questionnaire, results, agreed actions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from plg_platform.forms import attach_errors

from . import health, health_selectors, health_services
from .health_forms import (
    HealthActionFollowUpForm,
    HealthActionForm,
    HealthAnswerForm,
    HealthDatesForm,
)
from .models import HEALTH_CHECK_MOMENTS, Community, HealthAction, HealthCheckMoment
from .permissions import get_community_for, is_group_member, leads_community, require

if TYPE_CHECKING:
    from plg_platform.users.models import User


# Access helpers: 404 for what does not exist and for what the user may not see or do.


def get_health_community_for(user: User, pk: int, *, lead: bool = False) -> Community:
    """The PLG if the user sees it (members, team leaders, programme lead); with lead=True only
    for the PLG's own teacher leaders, who plan the moments and agree on actions."""
    community = get_community_for(user, pk)
    if lead:
        require(leads_community(user, community))
    return community


def get_moment_for(community: Community, number: int) -> HealthCheckMoment:
    """One of the PLG's three moments (saved or still a proposal); 404 for another number."""
    require(1 <= number <= HEALTH_CHECK_MOMENTS)
    return health_selectors.health_moments(community)[number - 1]


def get_health_action_for(community: Community, pk: int) -> HealthAction:
    return get_object_or_404(
        HealthAction.objects.select_related("moment", "owner"), moment__community=community, pk=pk
    )


@login_required
def health_overview(request: HttpRequest, pk: int) -> HttpResponse:
    community = get_health_community_for(request.user, pk)
    return render(
        request,
        "communities/health/overview.html",
        health_selectors.health_overview(request.user, community),
    )


@login_required
def health_moment(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    community = get_health_community_for(request.user, pk)
    require(1 <= number <= HEALTH_CHECK_MOMENTS)
    return render(
        request,
        "communities/health/moment.html",
        health_selectors.moment_page(request.user, community, number),
    )


@login_required
def health_answer(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    community = get_health_community_for(request.user, pk)
    # Only the group answers; team leaders, the programme lead and guest experts do not.
    require(is_group_member(request.user, community))
    moment = get_moment_for(community, number)
    state = health_selectors.moment_state(moment)
    answered = health_selectors.has_answered(request.user, moment)
    form = HealthAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if moment.pk is None:
                moment = health_services.health_moments_ensure(community=community)[number - 1]
            health_services.health_answer_submit(
                moment=moment,
                user=request.user,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Thank you. Your answer has been saved anonymously."))
            return redirect("communities:health", pk=community.pk)
    return render(
        request,
        "communities/health/answer.html",
        {
            "community": community,
            "moment": moment,
            "state": state,
            "answered": answered,
            "form": form,
        },
    )


@login_required
def health_dates(request: HttpRequest, pk: int) -> HttpResponse:
    community = get_health_community_for(request.user, pk, lead=True)
    moments = health_selectors.health_moments(community)
    form = HealthDatesForm(request.POST or None, moments=moments)
    if request.method == "POST" and form.is_valid():
        try:
            health_services.health_moments_set_dates(
                community=community, dates=form.dates(), actor=request.user
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The health-check dates have been saved."))
            return redirect("communities:health", pk=community.pk)
    return render(request, "communities/health/dates.html", {"community": community, "form": form})


def _suggestion_initial(request: HttpRequest) -> dict[str, object]:
    """Prefill the action form from a suggestion picked on the results page (GET only)."""
    try:
        characteristic = int(request.GET.get("characteristic", ""))
        suggestions = health.suggestions_for(characteristic)
    except (ValueError, KeyError):
        return {}
    try:
        index = int(request.GET.get("suggestion", ""))
    except ValueError:
        return {"characteristic": characteristic}
    if not 0 <= index < len(suggestions):
        return {"characteristic": characteristic}
    suggestion = suggestions[index]
    return {"characteristic": characteristic, "role": suggestion.role, "text": suggestion.text}


@login_required
def health_action_add(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    community = get_health_community_for(request.user, pk, lead=True)
    moment = get_moment_for(community, number)
    form = HealthActionForm(
        request.POST or None, community=community, initial=_suggestion_initial(request)
    )
    if request.method == "POST" and form.is_valid():
        try:
            health_services.health_action_create(
                moment=moment,
                characteristic=form.cleaned_data["characteristic"],
                role=form.cleaned_data["role"],
                text=form.cleaned_data["text"],
                owner=form.cleaned_data["owner"],
                actor=request.user,
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The action has been agreed."))
            return redirect("communities:health_moment", pk=community.pk, number=number)
    return render(
        request,
        "communities/health/action_form.html",
        {"community": community, "moment": moment, "form": form},
    )


@login_required
def health_action_edit(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    community = get_health_community_for(request.user, pk, lead=True)
    action = get_health_action_for(community, action_pk)
    form = HealthActionFollowUpForm(
        request.POST or None, initial={"status": action.status, "follow_up": action.follow_up}
    )
    if request.method == "POST" and form.is_valid():
        try:
            health_services.health_action_follow_up(
                action=action,
                status=form.cleaned_data["status"],
                follow_up=form.cleaned_data["follow_up"],
                actor=request.user,
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The follow-up has been saved."))
            # Followed up at the next moment, so that is where we return to.
            number = min(action.moment.number + 1, HEALTH_CHECK_MOMENTS)
            return redirect("communities:health_moment", pk=community.pk, number=number)
    return render(
        request,
        "communities/health/action_follow_up.html",
        {"community": community, "action": action, "form": form},
    )
