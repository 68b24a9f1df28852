"""Thin views for the evaluation after a meeting: members answer once, readers see no names."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from communities.models import HEALTH_MIN_ANSWERS
from communities.permissions import require
from meetings.permissions import get_meeting_for
from plg_platform.forms import attach_errors

from ..forms.evaluations import EvaluationForm
from ..permissions import casework_access
from ..selectors import evaluations as selectors
from ..services import evaluations as services


@require_http_methods(["GET", "POST"])
@login_required
def evaluation(request: HttpRequest, pk: int) -> HttpResponse:
    """A group member answers the two questions once, while the evaluation is open."""
    meeting = get_meeting_for(request.user, pk)
    access = casework_access(request.user, meeting)
    require(access.member)
    state = selectors.evaluation_state(meeting, request.user)
    form = EvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_evaluation_submit(
                meeting=meeting, member=request.user, data=form.cleaned_data
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Thank you. Your answer has been saved without your name."))
            return redirect("meetings:meeting", pk=meeting.pk)
    return render(
        request,
        "casework/evaluations/evaluation_form.html",
        {
            "meeting": meeting,
            "community": meeting.community,
            "form": form,
            "state": state,
            "reads_evaluations": selectors.reads_evaluations(access),
            "needed": HEALTH_MIN_ANSWERS,
        },
    )


@require_GET
@login_required
def evaluation_results(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the PLG's teacher leaders the collected answers, without names or times."""
    meeting = get_meeting_for(request.user, pk)
    access = casework_access(request.user, meeting)
    require(selectors.reads_evaluations(access))
    return render(
        request,
        "casework/evaluations/evaluation_results.html",
        {
            "meeting": meeting,
            "community": meeting.community,
            "summary": selectors.evaluation_summary(meeting),
        },
    )


urlpatterns: list[URLPattern] = [
    path("meeting/<int:pk>/evaluation/", evaluation, name="evaluation"),
    path("meeting/<int:pk>/evaluations/", evaluation_results, name="evaluation_results"),
]
