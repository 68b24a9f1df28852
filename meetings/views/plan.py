"""Thin views for the year plan, the year view, the meeting page and moving a meeting."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communities import permissions as community_permissions
from communities.page_cache import page_cached
from plg_platform.forms import attach_errors, messages_from_form_errors

from .. import panels, services
from ..forms.plan import MeetingCancelForm, MeetingMoveForm, YearPlanForm
from ..permissions import get_meeting_for, meeting_access
from ..selectors import attendance, calendar, plan, preparation, themes
from ..services.plan import CANCELLABLE_STATUSES, MoveNeedsConfirmation

# Each area of the calendar adds its section to the meeting page through its selector.
MEETING_PANELS = (themes, preparation, attendance, calendar)


@login_required
@page_cached
def year_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """Everyone who sees the PLG sees its year view; only its managers generate the plan."""
    community, relation = community_permissions.open_community(request.user, pk)
    can_manage = relation.manages
    meetings = list(plan.year_plan_meetings(community))
    form = YearPlanForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        community_permissions.require(can_manage)
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
                attach_errors(form, error)
            else:
                messages.success(request, _("The year plan has been made."))
                return redirect("meetings:year_plan", pk=community.pk)
    return render(
        request,
        "meetings/year_plan.html",
        {
            "community": community,
            "meetings": meetings,
            "timeline": plan.year_timeline(community, meetings),
            "form": form,
            "can_manage": can_manage,
        },
    )


@login_required
@page_cached
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for(request.user, pk)
    access = meeting_access(request.user, meeting)
    context: dict[str, object] = {
        "meeting": meeting,
        "community": meeting.community,
        "access": access,
        "cancel_form": (
            MeetingCancelForm() if access.plan and meeting.status in CANCELLABLE_STATUSES else None
        ),
        "history": plan.meeting_history(meeting) if access.plan or access.prepare else None,
    }
    for panel in MEETING_PANELS:
        context.update(panel.meeting_panel(meeting, request.user, access))
    extra = panels.registered()
    for extra_panel in extra:
        context.update(extra_panel.context(meeting, request.user, access))
    context["extra_panels"] = [extra_panel.template for extra_panel in extra]
    return render(request, "meetings/meeting_detail.html", context)


@login_required
def meeting_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a meeting; an unusual date is shown with its reasons and needs a second click."""
    meeting = get_meeting_for(request.user, pk, manage=True)
    form = MeetingMoveForm.for_meeting(meeting, request.POST or None)
    concerns: list[str] = []
    if request.method == "POST" and form.is_valid():
        # "Move anyway" only confirms the very moment whose concerns were shown.
        confirmed = request.POST.get("confirmed_for") == form.starts_at.isoformat()
        try:
            services.meeting_move(
                meeting=meeting,
                actor=request.user,
                starts_at=form.starts_at,
                duration=form.duration,
                location=form.cleaned_data["location"],
                confirmed=confirmed,
            )
        except MoveNeedsConfirmation as question:
            concerns = question.concerns
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The meeting has been moved."))
            return redirect("meetings:meeting", pk=meeting.pk)
    return render(
        request,
        "meetings/meeting_move.html",
        {
            "meeting": meeting,
            "community": meeting.community,
            "form": form,
            "concerns": concerns,
            "confirmed_for": form.starts_at.isoformat() if concerns else "",
        },
    )


@login_required
@require_POST
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel a meeting with a reason; problems are shown as a message on the meeting page."""
    meeting = get_meeting_for(request.user, pk, manage=True)
    form = MeetingCancelForm(request.POST)
    if not form.is_valid():
        messages_from_form_errors(request, form)
        return redirect("meetings:meeting", pk=meeting.pk)
    try:
        services.meeting_cancel(
            meeting=meeting, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The meeting has been cancelled."))
    return redirect("meetings:meeting", pk=meeting.pk)


urlpatterns = [
    path("plg/<int:pk>/year-plan/", year_plan, name="year_plan"),
    path("meeting/<int:pk>/", meeting_detail, name="meeting"),
    path("meeting/<int:pk>/move/", meeting_move, name="meeting_move"),
    path("meeting/<int:pk>/cancel/", meeting_cancel, name="meeting_cancel"),
]
