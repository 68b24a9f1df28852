"""Thin views for the yearly theme calendar."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from communities import permissions

from . import selectors, services
from .forms import YearPlanForm


@login_required
def year_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """Everyone who sees the PLG sees its year plan; only its managers generate it."""
    community = permissions.get_community_for(request.user, pk)
    can_manage = permissions.can_manage_community(request.user, community)
    meetings = list(selectors.year_plan_meetings(community))
    form = YearPlanForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        permissions.require(can_manage)
        if form.is_valid():
            try:
                services.year_plan_create(
                    community=community,
                    actor=request.user,
                    weekday=form.cleaned_data["weekday"],
                    start_time=form.cleaned_data["start_time"],
                    duration=form.duration,
                    location=form.cleaned_data["location"],
                    replace=form.cleaned_data["replace"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The year plan has been made."))
                return redirect("meetings:year_plan", pk=community.pk)
    return render(
        request,
        "meetings/year_plan.html",
        {"community": community, "meetings": meetings, "form": form, "can_manage": can_manage},
    )
