"""Thin views for the live screen: the whole meeting, a small group, and saving notes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from communities.page_cache import page_cached
from communities.permissions import require
from meetings.models import Meeting
from meetings.permissions import get_meeting_for
from meetings.phases import SMALL_GROUP_PHASES, Phase
from plg_platform.responses import json_response

from ..forms.live import NoteForm, PhaseMoveForm
from ..models import NOTE_SPECS, NoteField, PhaseNote, SmallGroup
from ..permissions import CaseworkAccess, casework_access
from ..selectors import live as selectors
from ..services import live as services


def _opens_live(access: CaseworkAccess) -> bool:
    return selectors.sees_whole_meeting(access) or selectors.own_group_id(access) is not None


def _error_message(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


@require_GET
@login_required
@page_cached
def live(request: HttpRequest, pk: int) -> HttpResponse:
    """The screen of the whole meeting, for the teacher leaders and the preparers outside the
    small groups (who read along and take the phase-6 notes); group members go to their group's."""
    meeting = get_meeting_for(request.user, pk)
    access = casework_access(request.user, meeting)
    if not selectors.sees_whole_meeting(access):
        own = selectors.own_group_id(access)
        require(own is not None)
        return redirect("casework:live_group", pk=meeting.pk, group_pk=own)
    return render(request, "casework/live/meeting.html", selectors.live_meeting(meeting, access))


@require_POST
@login_required
def live_start(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for(request.user, pk)
    access = casework_access(request.user, meeting)
    require(access.runs_meeting)
    try:
        services.run_start(meeting=meeting, actor=request.user)
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(request, _("The meeting has started: phase 0."))
    return redirect("casework:live", pk=meeting.pk)


@require_POST
@login_required
def live_phase(request: HttpRequest, pk: int) -> HttpResponse:
    """Move the whole meeting to its next or previous phase."""
    meeting = get_meeting_for(request.user, pk)
    access = casework_access(request.user, meeting)
    require(access.runs_meeting)
    run = selectors.run_of(meeting)
    form = PhaseMoveForm(request.POST)
    if run is None:
        messages.error(request, _("Start the meeting first."))
    elif not form.is_valid():
        messages.error(request, _("Choose the next or the previous phase."))
    else:
        try:
            services.run_phase_move(
                run=run,
                actor=request.user,
                from_phase=form.cleaned_data["from_phase"],
                direction=form.step,
            )
        except ValidationError as error:
            _error_message(request, error)
    return redirect("casework:live", pk=meeting.pk)


@require_POST
@login_required
def live_close(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for(request.user, pk)
    access = casework_access(request.user, meeting)
    require(access.runs_meeting)
    run = selectors.run_of(meeting)
    require(run is not None)
    try:
        services.run_close(run=run, actor=request.user)
    except ValidationError as error:
        _error_message(request, error)
        return redirect("casework:live", pk=meeting.pk)
    messages.success(request, _("The meeting has been closed. Thank you!"))
    return redirect("meetings:meeting", pk=meeting.pk)


def _shown_phase(request: HttpRequest) -> int | None:
    """The phase tab asked for: a plain number 1-5, anything else shows the current phase.

    isdigit() alone lets "²" through to int(), a 500; plain ASCII digits only.
    """
    value = request.GET.get("phase", "")
    if not (value.isascii() and value.isdecimal() and len(value) <= 2):
        return None
    phase = int(value)
    return phase if phase in SMALL_GROUP_PHASES else None


@require_GET
@login_required
def live_group(request: HttpRequest, pk: int, group_pk: int) -> HttpResponse:
    """A small group's screen: its phase, the case, and the notes of one phase."""
    meeting = get_meeting_for(request.user, pk)
    access = casework_access(request.user, meeting)
    group = selectors.get_group_for(meeting, group_pk, access)
    context = selectors.live_group(
        meeting, group, request.user, access, shown=_shown_phase(request)
    )
    return render(request, "casework/live/group.html", context)


@require_POST
@login_required
def group_phase(request: HttpRequest, pk: int, group_pk: int) -> HttpResponse:
    """Move one small group to its next or previous phase (its leader or a teacher leader)."""
    meeting = get_meeting_for(request.user, pk)
    access = casework_access(request.user, meeting)
    group = selectors.get_group_for(meeting, group_pk, access)
    if not access.writes_group_notes(group.pk):
        raise PermissionDenied
    form = PhaseMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the next or the previous phase."))
    else:
        try:
            services.group_phase_move(
                group=group,
                actor=request.user,
                from_phase=form.cleaned_data["from_phase"],
                direction=form.step,
            )
        except ValidationError as error:
            _error_message(request, error)
    return redirect("casework:live_group", pk=meeting.pk, group_pk=group.pk)


# Notes ---------------------------------------------------------------------------------------


def _note_json(note: PhaseNote) -> dict[str, object]:
    saved_by = note.updated_by.display_name if note.updated_by else ""
    return {
        "version": note.version,
        "saved_at": note.updated_at.isoformat(),
        "saved_time": time_format(timezone.localtime(note.updated_at), "H:i"),
        "saved_by": saved_by,
    }


def _screen_url(meeting: Meeting, group: SmallGroup | None, phase: int, key: str) -> str:
    if group is None:
        return f"{reverse('casework:live', kwargs={'pk': meeting.pk})}#note-{key}"
    url = reverse("casework:live_group", kwargs={"pk": meeting.pk, "group_pk": group.pk})
    return f"{url}?phase={phase}#note-{key}"


def _screen(
    request: HttpRequest,
    meeting: Meeting,
    access: CaseworkAccess,
    group: SmallGroup | None,
    feedback: selectors.NoteFeedback,
    *,
    phase: int,
    status: int,
) -> HttpResponse:
    """Show the screen again with the typed words kept and the reason they were not saved."""
    if group is None and selectors.sees_whole_meeting(access):
        context = selectors.live_meeting(meeting, access, feedback=feedback)
        return render(request, "casework/live/meeting.html", context, status=status)
    if group is None:
        own = selectors.own_group_id(access)
        require(own is not None)
        group = selectors.get_group_for(meeting, own, access)
    context = selectors.live_group(
        meeting, group, request.user, access, shown=phase, feedback=feedback
    )
    return render(request, "casework/live/group.html", context, status=status)


@require_POST
@login_required
def note_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Save one note: JSON for the autosave, a redirect or the screen again without JavaScript."""
    meeting = get_meeting_for(request.user, pk)
    access = casework_access(request.user, meeting)
    require(_opens_live(access))
    wants_json = "application/json" in request.headers.get("Accept", "")
    form = NoteForm(request.POST)
    if not form.is_valid():
        if wants_json:
            return json_response(
                {"errors": [str(m) for errors in form.errors.values() for m in errors]},
                status=400,
            )
        messages.error(request, _("The note could not be saved: reload the page and try again."))
        return redirect("casework:live", pk=meeting.pk)
    data = form.cleaned_data
    group = selectors.get_group_for(meeting, data["group"], access) if data["group"] else None
    writes = access.writes_group_notes(group.pk) if group else access.writes_meeting_notes
    if not writes:
        raise PermissionDenied
    field, text, base_version = data["field"], data["text"], data["version"]
    key = selectors.note_key(field, data["member"])
    phase = Phase.CLOSING if field in selectors.CLOSING_FIELDS else None
    try:
        member = selectors.seated_member(group, data["member"]) if data["member"] else None
        if data["member"] and member is None:
            raise ValidationError(_("Choose a member of this small group."))
        note = services.note_save(
            meeting=meeting,
            group=group,
            field=field,
            member=member,
            text=text,
            base_version=base_version,
            actor=request.user,
        )
    except services.NoteConflict as conflict:
        theirs = conflict.note
        if wants_json:
            return json_response(
                {"conflict": True, "their_text": theirs.text, "their_version": theirs.version}
                | {k: v for k, v in _note_json(theirs).items() if k != "version"},
                status=409,
            )
        feedback = selectors.NoteFeedback(
            key=key, text=text, base_version=theirs.version, conflict=theirs
        )
        return _screen(
            request, meeting, access, group, feedback, phase=phase or theirs.spec.phase, status=409
        )
    except ValidationError as error:
        # NoteGone: the note or its group was removed (the groups were made again): final, 404.
        status = 404 if isinstance(error, services.NoteGone) else 400
        if wants_json:
            return json_response({"errors": error.messages}, status=status)
        feedback = selectors.NoteFeedback(
            key=key, text=text, base_version=base_version, errors=error.messages
        )
        shown = phase or NOTE_SPECS[NoteField(field)].phase
        return _screen(request, meeting, access, group, feedback, phase=shown, status=status)
    if wants_json:
        return json_response(_note_json(note))
    messages.success(request, _("The note has been saved."))
    return redirect(_screen_url(meeting, group, note.spec.phase, key))


urlpatterns: list[URLPattern] = [
    path("meeting/<int:pk>/live/", live, name="live"),
    path("meeting/<int:pk>/live/start/", live_start, name="live_start"),
    path("meeting/<int:pk>/live/phase/", live_phase, name="live_phase"),
    path("meeting/<int:pk>/live/close/", live_close, name="live_close"),
    path("meeting/<int:pk>/live/group/<int:group_pk>/", live_group, name="live_group"),
    path("meeting/<int:pk>/live/group/<int:group_pk>/phase/", group_phase, name="group_phase"),
    path("meeting/<int:pk>/notes/", note_save, name="note_save"),
]
