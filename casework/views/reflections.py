"""Thin views for reflections: writing one's own, the shared ones of a meeting, all of one's own."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from communities.permissions import require
from meetings.permissions import get_meeting_for
from plg_platform.forms import attach_errors

from ..forms.reflections import ReflectionForm
from ..permissions import casework_access
from ..selectors import reflections as selectors
from ..services import reflections as services


@login_required
def reflection(request: HttpRequest, pk: int) -> HttpResponse:
    """A group member writes or edits their reflection once the meeting has started."""
    meeting = get_meeting_for(request.user, pk)
    access = casework_access(request.user, meeting)
    require(access.member)
    own = selectors.own_reflection(meeting, request.user)
    form = ReflectionForm.for_reflection(own, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.reflection_save(
                meeting=meeting, author=request.user, data=form.cleaned_data
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                _("Your reflection has been saved and shared with your PLG.")
                if saved.shared
                else _("Your reflection has been saved. It is private: only you can read it."),
            )
            return redirect("casework:my_reflections")
    return render(
        request,
        "casework/reflections/reflection_form.html",
        {
            "meeting": meeting,
            "community": meeting.community,
            "form": form,
            "reflection": own,
            "can_write": services.reflection_can_be_written(meeting),
            "learning_question": selectors.own_learning_question(meeting, request.user),
        },
    )


@login_required
def shared_reflections(request: HttpRequest, pk: int) -> HttpResponse:
    """The reflections on a meeting that their authors shared, for the PLG's group members."""
    meeting = get_meeting_for(request.user, pk)
    access = casework_access(request.user, meeting)
    require(access.member)
    return render(
        request,
        "casework/reflections/shared_list.html",
        {
            "meeting": meeting,
            "community": meeting.community,
            "reflections": selectors.shared_reflections(meeting, request.user, access),
        },
    )


@login_required
def my_reflections(request: HttpRequest) -> HttpResponse:
    """The signed-in user's own reflections across meetings."""
    return render(
        request,
        "casework/reflections/my_reflections.html",
        {"reflections": selectors.my_reflections(request.user)},
    )


urlpatterns: list[URLPattern] = [
    path("meeting/<int:pk>/reflection/", reflection, name="reflection"),
    path("meeting/<int:pk>/reflections/", shared_reflections, name="shared_reflections"),
    path("reflections/", my_reflections, name="my_reflections"),
]
