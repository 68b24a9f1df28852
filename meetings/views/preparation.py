"""Thin views for preparing a meeting: preparers and hours, phase 0 and its materials, the agenda,
the printable agenda and phase card, and meeting 1's checklist."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communities.permissions import require
from plg_platform.forms import attach_errors
from plg_platform.uploads import attachment_response

from ..forms.preparation import (
    AgendaForm,
    ChecklistTickForm,
    MaterialForm,
    PreparerHoursForm,
    PreparersForm,
    ThemeIntroductionForm,
)
from ..models import Meeting
from ..permissions import get_meeting_for, meeting_access
from ..selectors import preparation as selectors
from ..services import preparation as services


def _meeting_url(meeting: Meeting, anchor: str = "") -> str:
    url = reverse("meetings:meeting", kwargs={"pk": meeting.pk})
    return f"{url}#{anchor}" if anchor else url


def _meeting_to_prepare(request: HttpRequest, pk: int) -> Meeting:
    """The meeting, if the user plans it or is one of its preparers; 404 otherwise."""
    meeting = get_meeting_for(request.user, pk)
    require(meeting_access(request.user, meeting).prepare)
    return meeting


@login_required
def meeting_preparers(request: HttpRequest, pk: int) -> HttpResponse:
    """Teacher leaders and school admins assign the two preparers of a meeting."""
    meeting = get_meeting_for(request.user, pk, manage=True)
    form = PreparersForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_preparers_set(
                meeting=meeting, actor=request.user, users=form.cleaned_data["users"]
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The preparers have been saved."))
            return redirect(_meeting_url(meeting, "preparation-heading"))
    return render(
        request,
        "meetings/preparation/preparers.html",
        {
            "meeting": meeting,
            "community": meeting.community,
            "form": form,
            "candidate_count": form.fields["users"].queryset.count(),
        },
    )


@login_required
def preparation_hours(request: HttpRequest, pk: int) -> HttpResponse:
    """A preparer logs their own preparation hours for the meeting."""
    meeting = get_meeting_for(request.user, pk)
    require(meeting_access(request.user, meeting).is_preparer)
    own = meeting.preparers.get(user=request.user)
    form = PreparerHoursForm(request.POST or None, initial={"hours": own.hours})
    if request.method == "POST" and form.is_valid():
        try:
            services.preparer_hours_set(
                meeting=meeting, actor=request.user, hours=form.cleaned_data["hours"]
            )
        except ValidationError as error:
            form.add_error("hours", error)
        else:
            messages.success(request, _("Your preparation hours have been saved."))
            return redirect(_meeting_url(meeting, "preparation-heading"))
    return render(
        request,
        "meetings/preparation/hours.html",
        {"meeting": meeting, "community": meeting.community, "form": form},
    )


def _phase0_page(
    request: HttpRequest,
    meeting: Meeting,
    *,
    introduction_form: ThemeIntroductionForm | None = None,
    material_form: MaterialForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "meetings/preparation/phase0.html",
        {
            "meeting": meeting,
            "community": meeting.community,
            "introduction_form": introduction_form or ThemeIntroductionForm.for_meeting(meeting),
            "material_form": material_form or MaterialForm(),
            "materials": selectors.meeting_materials(meeting),
        },
        status=status,
    )


@login_required
def meeting_phase0(request: HttpRequest, pk: int) -> HttpResponse:
    """Planners and preparers record how phase 0 introduces the theme."""
    meeting = _meeting_to_prepare(request, pk)
    if request.method != "POST":
        return _phase0_page(request, meeting)
    form = ThemeIntroductionForm.for_meeting(meeting, request.POST)
    if form.is_valid():
        try:
            services.theme_introduction_save(
                meeting=meeting, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Phase 0 has been saved."))
            return redirect(_meeting_url(meeting, "phase0-heading"))
    return _phase0_page(request, meeting, introduction_form=form)


@login_required
@require_POST
def material_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_to_prepare(request, pk)
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.meeting_material_add(
                meeting=meeting,
                actor=request.user,
                title=form.cleaned_data["title"],
                url=form.cleaned_data["url"],
                file=form.cleaned_data["file"] or None,
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The material has been added."))
            return redirect("meetings:meeting_phase0", pk=meeting.pk)
    return _phase0_page(request, meeting, material_form=form)


@login_required
@require_POST
def material_remove(request: HttpRequest, pk: int, material_pk: int) -> HttpResponse:
    meeting = _meeting_to_prepare(request, pk)
    material = get_object_or_404(meeting.materials, pk=material_pk)
    try:
        services.meeting_material_remove(material=material, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("meetings:meeting", pk=meeting.pk)
    messages.success(request, _("The material has been removed."))
    return redirect("meetings:meeting_phase0", pk=meeting.pk)


@login_required
def material_download(request: HttpRequest, pk: int, material_pk: int) -> HttpResponse:
    """Hand out a material's file (as a download) to whoever sees the meeting; 404 otherwise."""
    meeting = get_meeting_for(request.user, pk)
    material = get_object_or_404(meeting.materials, pk=material_pk)
    if not material.file:
        raise Http404  # a link is shown as itself on the meeting page, never redirected to
    return attachment_response(material.file)


@login_required
def meeting_agenda(request: HttpRequest, pk: int) -> HttpResponse:
    """Planners and preparers set the time boxes of phases 0-6."""
    meeting = _meeting_to_prepare(request, pk)
    suggested = request.GET.get("suggested") == "1"
    form = AgendaForm(request.POST or None, meeting=meeting, suggested=suggested)
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_save(
                meeting=meeting, actor=request.user, minutes=form.minutes, notes=form.notes
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The agenda has been saved."))
            return redirect(_meeting_url(meeting, "agenda-heading"))
    return render(
        request,
        "meetings/preparation/agenda.html",
        {
            "meeting": meeting,
            "community": meeting.community,
            "form": form,
            "agenda": selectors.meeting_agenda(meeting),
        },
    )


@login_required
def agenda_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The agenda on one A4 page, for everyone who sees the meeting."""
    meeting = get_meeting_for(request.user, pk)
    return render(
        request,
        "meetings/preparation/agenda_print.html",
        {
            "meeting": meeting,
            "community": meeting.community,
            "preparers": selectors.meeting_preparers(meeting),
            "introduction": selectors.theme_introduction(meeting),
            "materials": selectors.meeting_materials(meeting),
            "agenda": selectors.meeting_agenda(meeting),
        },
    )


@login_required
def phase_card(request: HttpRequest) -> HttpResponse:
    """The seven phases with their aims and guiding questions, on one A4 page."""
    return render(
        request, "meetings/preparation/phase_card.html", {"guides": selectors.phase_card()}
    )


@login_required
@require_POST
def checklist_tick(request: HttpRequest, pk: int) -> HttpResponse:
    """Teacher leaders tick or untick an item of meeting 1's checklist."""
    meeting = get_meeting_for(request.user, pk, manage=True)
    require(meeting.number == 1)
    form = ChecklistTickForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This checklist item could not be changed. Please try again."))
    else:
        try:
            services.checklist_item_set(
                meeting=meeting,
                actor=request.user,
                item=form.cleaned_data["item"],
                done=form.cleaned_data["done"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The checklist has been updated."))
    return redirect(_meeting_url(meeting, "checklist-heading"))


urlpatterns: list[URLPattern] = [
    path("meeting/<int:pk>/preparers/", meeting_preparers, name="meeting_preparers"),
    path("meeting/<int:pk>/preparation-hours/", preparation_hours, name="preparation_hours"),
    path("meeting/<int:pk>/phase-0/", meeting_phase0, name="meeting_phase0"),
    path("meeting/<int:pk>/materials/add/", material_add, name="material_add"),
    path(
        "meeting/<int:pk>/materials/<int:material_pk>/",
        material_download,
        name="material",
    ),
    path(
        "meeting/<int:pk>/materials/<int:material_pk>/remove/",
        material_remove,
        name="material_remove",
    ),
    path("meeting/<int:pk>/agenda/", meeting_agenda, name="meeting_agenda"),
    path("meeting/<int:pk>/agenda/print/", agenda_print, name="agenda_print"),
    path("meeting/<int:pk>/checklist/", checklist_tick, name="checklist_tick"),
    path("phase-card/", phase_card, name="phase_card"),
]
