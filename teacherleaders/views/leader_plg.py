"""Thin views for the teacher leaders' own PLG: set it up per year, and its notes in turn."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communities.permissions import get_school_for
from plg_platform.forms import attach_errors, messages_from_form_errors

from ..forms.leader_plg import LeaderNotesForm, LeaderPlgSetupForm, NoteTakerForm
from ..permissions import get_leader_meeting_for, get_notes_for_writer
from ..selectors import leader_plg as selectors
from ..services import leader_plg as services


@login_required
def leader_plg(request: HttpRequest, pk: int) -> HttpResponse:
    """The programme lead's page for the teacher leaders' PLG of each school year."""
    school = get_school_for(request.user, pk)
    return render(
        request,
        "teacherleaders/leader_plg.html",
        {"school": school, "years": selectors.leader_plg_years(school)},
    )


@login_required
@require_POST
def leader_plg_ensure(request: HttpRequest, pk: int) -> HttpResponse:
    """Set up or update the members of the teacher leaders' PLG of one school year."""
    school = get_school_for(request.user, pk)
    form = LeaderPlgSetupForm(request.POST, school=school)
    if not form.is_valid():
        messages_from_form_errors(request, form)
        return redirect("teacherleaders:leader_plg", pk=school.pk)
    try:
        community = services.leader_plg_ensure(
            school_year=form.cleaned_data["school_year"], actor=request.user
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("teacherleaders:leader_plg", pk=school.pk)
    messages.success(
        request,
        _("The teacher leaders' PLG of %(year)s is up to date with this year's teacher leaders.")
        % {"year": community.school_year.name},
    )
    return redirect("teacherleaders:leader_plg", pk=school.pk)


@login_required
@require_POST
def note_taker(request: HttpRequest, pk: int) -> HttpResponse:
    """A teacher leader confirms the proposed note-taker of a meeting, or swaps in another."""
    meeting = get_leader_meeting_for(request.user, pk, manage=True)
    form = NoteTakerForm(request.POST, members=selectors.rotation_members(meeting.community))
    if not form.is_valid():
        messages_from_form_errors(request, form)
        return redirect("meetings:meeting", pk=meeting.pk)
    try:
        notes = services.leader_notes_writer_set(
            meeting=meeting, writer=form.chosen, actor=request.user
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(name)s takes the notes of this meeting.") % {"name": notes.writer.display_name},
        )
    return redirect("meetings:meeting", pk=meeting.pk)


@login_required
def notes_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The note-taker writes the notes, saves a draft, and sends them to the programme lead."""
    notes = get_notes_for_writer(request.user, pk)
    meeting = notes.meeting
    if request.method == "POST" and notes.submitted_at is not None:
        messages.error(request, _("The notes have already been sent to the programme lead."))
        return redirect("meetings:meeting", pk=meeting.pk)
    form = LeaderNotesForm(request.POST or None, initial={"text": notes.text})
    if request.method == "POST" and form.is_valid():
        send = "send" in request.POST
        service = services.leader_notes_submit if send else services.leader_notes_save
        try:
            service(meeting=meeting, text=form.cleaned_data["text"], actor=request.user)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            if send:
                messages.success(request, _("The notes have been sent to the programme lead."))
                return redirect("meetings:meeting", pk=meeting.pk)
            messages.success(request, _("Your notes have been saved."))
            return redirect("teacherleaders:notes", pk=meeting.pk)
    return render(
        request,
        "teacherleaders/notes_form.html",
        {"meeting": meeting, "community": meeting.community, "notes": notes, "form": form},
    )


@login_required
def school_notes(request: HttpRequest, pk: int) -> HttpResponse:
    """The programme lead reads every set of notes the school's teacher leaders sent."""
    school = get_school_for(request.user, pk)
    return render(
        request,
        "teacherleaders/notes_list.html",
        {"school": school, "notes_list": selectors.submitted_notes(school)},
    )


urlpatterns: list[URLPattern] = [
    path("teacher-leaders/school/<int:pk>/plg/", leader_plg, name="leader_plg"),
    path(
        "teacher-leaders/school/<int:pk>/plg/update/",
        leader_plg_ensure,
        name="leader_plg_ensure",
    ),
    path("teacher-leaders/school/<int:pk>/notes/", school_notes, name="school_notes"),
    path("teacher-leaders/meeting/<int:pk>/note-taker/", note_taker, name="note_taker"),
    path("teacher-leaders/meeting/<int:pk>/notes/", notes_edit, name="notes"),
]
