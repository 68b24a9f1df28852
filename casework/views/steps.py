"""Thin views for first small steps: one's own list and looking back on one step."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from plg_platform.forms import attach_errors

from ..forms.steps import StepReviewForm
from ..selectors import steps as selectors
from ..services import steps as services


@require_GET
@login_required
def my_steps(request: HttpRequest) -> HttpResponse:
    """The signed-in user's first small steps as a presenter, newest meeting first."""
    return render(request, "casework/steps/list.html", {"steps": selectors.own_steps(request.user)})


@login_required
def step_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The presenter marks their step done, partly done or not done, with what happened."""
    step = selectors.get_own_step(request.user, pk)
    form = StepReviewForm(
        request.POST or None, initial=StepReviewForm.initial_for(step.status, step.outcome)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.step_review(
                step=step,
                actor=request.user,
                status=form.cleaned_data["status"],
                outcome=form.cleaned_data["outcome"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Thank you: your small group will read how it went."))
            return redirect("casework:my_steps")
    return render(request, "casework/steps/review.html", {"step": step, "form": form})


urlpatterns: list[URLPattern] = [
    path("steps/", my_steps, name="my_steps"),
    path("step/<int:pk>/", step_review, name="step_review"),
]
