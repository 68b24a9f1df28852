"""Thin views for the small groups: the teacher leaders' page, hand moves, leader and case."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from communities.permissions import require
from meetings.models import Meeting
from meetings.permissions import get_meeting_for
from plg_platform.forms import attach_errors

from ..forms.groups import NEW_GROUP, GroupMoveForm, GroupSplitForm, GroupUpdateForm
from ..models import SmallGroup
from ..permissions import casework_access
from ..selectors import groups as selectors
from ..services import groups as services


def _meeting_for_splitting(request: HttpRequest, pk: int) -> Meeting:
    """The meeting, if the user is one of its PLG's teacher leaders; 404 for everyone else."""
    meeting = get_meeting_for(request.user, pk)
    require(casework_access(request.user, meeting).splits_groups)
    return meeting


def _back_to_groups(meeting: Meeting, number: int | None = None) -> HttpResponse:
    url = reverse("casework:groups", kwargs={"pk": meeting.pk})
    return redirect(f"{url}#group-{number}" if number else url)


@login_required
def groups(request: HttpRequest, pk: int) -> HttpResponse:
    """Make the small groups of a meeting, and see them with their quality and warnings."""
    meeting = _meeting_for_splitting(request, pk)
    page = selectors.groups_page(meeting)
    initial = (
        {"min_size": page.split.min_size, "max_size": page.split.max_size} if page.split else {}
    )
    form = GroupSplitForm(request.POST or None, groups_exist=page.exist, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            split = services.groups_split(
                meeting=meeting,
                actor=request.user,
                min_size=form.cleaned_data["min_size"],
                max_size=form.cleaned_data["max_size"],
                group_count=form.cleaned_data["group_count"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "The small groups have been made: %(pairs)d repeated pair.",
                    "The small groups have been made: %(pairs)d repeated pairs.",
                    split.repeated_pairs,
                )
                % {"pairs": split.repeated_pairs},
            )
            return _back_to_groups(meeting)
    return render(
        request,
        "casework/groups/groups.html",
        {
            "meeting": meeting,
            "community": meeting.community,
            "page": page,
            "form": form,
            "new_group": NEW_GROUP,
        },
    )


@require_POST
@login_required
def group_move(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_for_splitting(request, pk)
    form = GroupMoveForm(request.POST, meeting=meeting)
    if not form.is_valid():
        messages.error(
            request, _("Choose a member of a small group and the group to move them to.")
        )
        return _back_to_groups(meeting)
    member = form.cleaned_data["member"]
    try:
        group = services.group_member_move(
            meeting=meeting,
            actor=request.user,
            member=member,
            to_group=form.cleaned_data["to_group"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _back_to_groups(meeting)
    messages.success(
        request,
        _("%(name)s now sits in group %(number)d.")
        % {"name": member.display_name, "number": group.number},
    )
    return _back_to_groups(meeting, group.number)


@require_POST
@login_required
def group_update(request: HttpRequest, pk: int, group_pk: int) -> HttpResponse:
    meeting = _meeting_for_splitting(request, pk)
    group = get_object_or_404(SmallGroup, meeting=meeting, pk=group_pk)
    form = GroupUpdateForm(request.POST, meeting=meeting)
    if not form.is_valid():
        messages.error(request, _("Choose the leader and the work case from the lists."))
        return _back_to_groups(meeting, group.number)
    try:
        services.group_update(
            group=group,
            actor=request.user,
            leader=form.cleaned_data["leader"],
            case=form.cleaned_data["case"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Group %(number)d has been changed.") % {"number": group.number}
        )
    return _back_to_groups(meeting, group.number)


urlpatterns: list[URLPattern] = [
    path("meeting/<int:pk>/groups/", groups, name="groups"),
    path("meeting/<int:pk>/groups/move/", group_move, name="group_move"),
    path("meeting/<int:pk>/groups/<int:group_pk>/", group_update, name="group_update"),
]
