"""Thin views for absence requests, the team leader's decisions, attendance and hours."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communities.permissions import get_community_for, leads_a_team, require
from plg_platform.forms import attach_errors

from ..forms.attendance import AbsenceDecisionForm, AbsenceRequestForm, AttendanceForm
from ..models import AbsenceStatus
from ..permissions import absence_communities, get_meeting_for, meeting_access, sees_all_hours
from ..selectors import attendance as selectors
from ..services import attendance as services


@login_required
def absence_request(request: HttpRequest, pk: int) -> HttpResponse:
    """A group member asks the team leader to be excused, or changes the pending reason."""
    meeting = get_meeting_for(request.user, pk)
    access = meeting_access(request.user, meeting)
    require(access.member)
    absence = selectors.own_absence(meeting, request.user)
    form = AbsenceRequestForm(
        request.POST or None, initial={"reason": absence.reason if absence else ""}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.absence_submit(
                meeting=meeting, member=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                _("Your absence request has been changed.")
                if absence
                else _("Your absence request has been sent to the team leader."),
            )
            return redirect("meetings:meeting", pk=meeting.pk)
    return render(
        request,
        "meetings/attendance/absence_form.html",
        {
            "meeting": meeting,
            "community": meeting.community,
            "form": form,
            "absence": absence,
            "can_change": not meeting.has_taken_place
            and not meeting.is_cancelled
            and (absence is None or absence.status == AbsenceStatus.PENDING),
        },
    )


@require_POST
@login_required
def absence_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for(request.user, pk)
    absence = selectors.own_absence(meeting, request.user)
    require(absence is not None)
    try:
        services.absence_withdraw(absence=absence, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your absence request has been withdrawn."))
    return redirect("meetings:meeting", pk=meeting.pk)


@login_required
def absence_list(request: HttpRequest) -> HttpResponse:
    """The team leader's inbox: pending requests of the team's PLGs and recent decisions."""
    require(leads_a_team(request.user) or absence_communities(request.user).exists())
    return render(
        request,
        "meetings/attendance/absence_list.html",
        selectors.absence_inbox(request.user),
    )


@require_POST
@login_required
def absence_decide(request: HttpRequest, pk: int) -> HttpResponse:
    absence = selectors.get_absence_for_decision(request.user, pk)
    form = AbsenceDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to approve or to decline the request."))
        return redirect("meetings:absence_list")
    try:
        services.absence_decide(absence=absence, actor=request.user, approve=form.approve)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        name = absence.member.display_name
        messages.success(
            request,
            _("The absence request of %(name)s has been approved.") % {"name": name}
            if form.approve
            else _("The absence request of %(name)s has been declined.") % {"name": name},
        )
    return redirect("meetings:absence_list")


@login_required
def attendance_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Teacher leaders record who was present, from the meeting's day on."""
    meeting = get_meeting_for(request.user, pk, manage=True)
    rows = selectors.attendance_sheet(meeting)
    form = AttendanceForm(request.POST or None, rows=rows)
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_record(meeting=meeting, actor=request.user, statuses=form.statuses)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The attendance has been saved."))
            return redirect("meetings:meeting", pk=meeting.pk)
    return render(
        request,
        "meetings/attendance/attendance_form.html",
        {
            "meeting": meeting,
            "community": meeting.community,
            "form": form,
            "can_record": services.attendance_can_be_recorded(meeting),
        },
    )


@login_required
def hours(request: HttpRequest, pk: int) -> HttpResponse:
    """Preparation and participation hours against the norms of the annual task load."""
    community = get_community_for(request.user, pk)
    sees_all = sees_all_hours(request.user, community)
    rows = selectors.hours_overview(community, only_user=None if sees_all else request.user)
    return render(
        request,
        "meetings/attendance/hours.html",
        {
            "community": community,
            "rows": rows,
            "sees_all": sees_all,
            "preparation_norm": selectors.PREPARATION_NORM,
            "participation_norm": selectors.PARTICIPATION_NORM,
        },
    )


urlpatterns: list[URLPattern] = [
    path("meeting/<int:pk>/absence/", absence_request, name="absence_request"),
    path("meeting/<int:pk>/absence/withdraw/", absence_withdraw, name="absence_withdraw"),
    path("absence/", absence_list, name="absence_list"),
    path("absence/<int:pk>/decide/", absence_decide, name="absence_decide"),
    path("meeting/<int:pk>/attendance/", attendance_record, name="attendance"),
    path("plg/<int:pk>/hours/", hours, name="hours"),
]
