"""Thin views for work cases: writing one's own, the list of submitted cases, one case's text."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communities.permissions import require
from meetings.permissions import get_meeting_for, meeting_access
from plg_platform.forms import attach_errors

from ..forms.cases import WorkCaseForm
from ..permissions import casework_access
from ..selectors import cases as selectors
from ..services import cases as services

SUBMIT = "submit"


@login_required
def my_case(request: HttpRequest, pk: int) -> HttpResponse:
    """A group member writes their work case for a meeting: a draft, or submitted to it."""
    meeting = get_meeting_for(request.user, pk)
    require(meeting_access(request.user, meeting).member)
    case = selectors.own_case(meeting, request.user)
    form = WorkCaseForm.for_case(case, request.POST or None)
    if request.method == "POST" and form.is_valid():
        submit = SUBMIT in request.POST
        try:
            case = services.case_save(
                meeting=meeting, presenter=request.user, data=form.cleaned_data, submit=submit
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            if submit:
                messages.success(request, _("Your work case has been submitted to the meeting."))
                return redirect("meetings:meeting", pk=meeting.pk)
            messages.success(
                request, _("Your draft has been saved. Only you can read it until you submit it.")
            )
            return redirect("casework:my_case", pk=meeting.pk)
    return render(
        request,
        "casework/cases/case_form.html",
        {
            "meeting": meeting,
            "community": meeting.community,
            "form": form,
            "case": case,
            "can_change": services.case_can_be_changed(meeting),
        },
    )


@require_POST
@login_required
def my_case_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Take one's submitted case back to draft, before the meeting starts."""
    meeting = get_meeting_for(request.user, pk)
    case = selectors.own_case(meeting, request.user)
    require(case is not None)
    try:
        services.case_withdraw(case=case, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Your work case is a draft again. Only you can read it until you submit it.")
        )
    return redirect("casework:my_case", pk=meeting.pk)


@login_required
def case_list(request: HttpRequest, pk: int) -> HttpResponse:
    """Teacher leaders and preparers: the submitted cases (title and presenter) and the turns."""
    meeting = get_meeting_for(request.user, pk)
    access = casework_access(request.user, meeting)
    require(access.lists_cases)
    cases = selectors.submitted_cases(meeting, request.user, access)
    return render(
        request,
        "casework/cases/case_list.html",
        {
            "meeting": meeting,
            "community": meeting.community,
            "cases": cases,
            "turns": selectors.turns(meeting, cases),
        },
    )


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The full text of a work case, for whoever may read it now."""
    case, access = selectors.get_case_for(request.user, pk)
    return render(
        request,
        "casework/cases/case_detail.html",
        {
            "case": case,
            "meeting": case.meeting,
            "community": case.meeting.community,
            "is_presenter": case.presenter_id == request.user.pk,
            "lists_cases": access.lists_cases,
        },
    )


urlpatterns: list[URLPattern] = [
    path("meeting/<int:pk>/case/", my_case, name="my_case"),
    path("meeting/<int:pk>/case/withdraw/", my_case_withdraw, name="my_case_withdraw"),
    path("meeting/<int:pk>/cases/", case_list, name="cases"),
    path("case/<int:pk>/", case_detail, name="case"),
]
