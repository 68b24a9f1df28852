"""Thin views for the theme calendar: the school's theme library, a PLG's theme proposals and
vote, fixing the themes of meetings 2-5, and changing one meeting's theme."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communities import permissions as community_permissions
from communities.models import Community
from plg_platform.forms import attach_errors

from ..forms.themes import MeetingThemeForm, MeetingThemesFixForm, ThemeForm, ThemeProposalForm
from ..models import MeetingStatus, ThemeProposal
from ..permissions import get_meeting_for
from ..selectors import themes as selectors
from ..services import theme_library_ensure
from ..services import themes as services


def _error_message(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


# The school's theme library: school admins only.


def _library_url(school_pk: int) -> str:
    return reverse("meetings:theme_library", kwargs={"pk": school_pk})


@login_required
def theme_library(request: HttpRequest, pk: int) -> HttpResponse:
    """List the school's themes and add one to the library."""
    school = community_permissions.get_school_for(request.user, pk)
    form = ThemeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            theme = services.theme_create(school=school, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request, _("“%(title)s” has been added to the library.") % {"title": theme.title}
            )
            return redirect(_library_url(school.pk))
    themes = list(selectors.library_themes(school))
    return render(
        request,
        "meetings/themes/library.html",
        {
            "school": school,
            "library": [theme for theme in themes if theme.in_library],
            "outside": [theme for theme in themes if not theme.in_library],
            "form": form,
        },
    )


@require_POST
@login_required
def theme_library_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Fill an empty library with the seven starting themes."""
    school = community_permissions.get_school_for(request.user, pk)
    theme_library_ensure(school=school)
    messages.success(request, _("The starting themes have been added to the library."))
    return redirect(_library_url(school.pk))


@login_required
def theme_edit(request: HttpRequest, pk: int, theme_pk: int) -> HttpResponse:
    school = community_permissions.get_school_for(request.user, pk)
    theme = selectors.get_school_theme(school, theme_pk)
    form = ThemeForm(
        request.POST or None, initial={"title": theme.title, "description": theme.description}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.theme_update(theme=theme, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The theme has been saved."))
            return redirect(_library_url(school.pk))
    return render(
        request, "meetings/themes/theme_form.html", {"school": school, "theme": theme, "form": form}
    )


@require_POST
@login_required
def theme_remove(request: HttpRequest, pk: int, theme_pk: int) -> HttpResponse:
    """Take a theme out of the library; meetings that use it keep it."""
    school = community_permissions.get_school_for(request.user, pk)
    theme = selectors.get_school_theme(school, theme_pk)
    services.theme_library_remove(theme=theme)
    messages.success(
        request,
        _("“%(title)s” is no longer in the library. Meetings that use it keep it.")
        % {"title": theme.title},
    )
    return redirect(_library_url(school.pk))


@require_POST
@login_required
def theme_restore(request: HttpRequest, pk: int, theme_pk: int) -> HttpResponse:
    school = community_permissions.get_school_for(request.user, pk)
    theme = selectors.get_school_theme(school, theme_pk)
    services.theme_library_restore(theme=theme)
    messages.success(request, _("“%(title)s” is in the library.") % {"title": theme.title})
    return redirect(_library_url(school.pk))


# A PLG's themes: proposals, the vote and fixing the themes of meetings 2-5.


def _themes_url(community: Community, anchor: str = "") -> str:
    url = reverse("meetings:themes", kwargs={"pk": community.pk})
    return f"{url}#{anchor}" if anchor else url


def _render_themes_page(
    request: HttpRequest,
    community: Community,
    *,
    proposal_form: ThemeProposalForm | None = None,
    fix_form: MeetingThemesFixForm | None = None,
) -> HttpResponse:
    can_manage = community_permissions.can_manage_community(request.user, community)
    page = selectors.themes_page(community, request.user, can_manage=can_manage)
    if proposal_form is None and page.is_member and page.voting.is_open:
        proposal_form = ThemeProposalForm()
    if fix_form is None and page.options is not None:
        fix_form = MeetingThemesFixForm(options=page.options, meetings=page.voted_meetings)
    return render(
        request,
        "meetings/themes/community_themes.html",
        {
            "community": community,
            "page": page,
            # A refused proposal stays on screen with its message, so the text is not lost.
            "proposal_form": proposal_form
            if page.voting.is_open or (proposal_form is not None and proposal_form.is_bound)
            else None,
            "fix_form": fix_form if page.voted_meetings else None,
        },
    )


@login_required
def community_themes(request: HttpRequest, pk: int) -> HttpResponse:
    """Everyone who sees the PLG sees its proposals; the results once the vote is closed."""
    community = community_permissions.get_community_for(request.user, pk)
    return _render_themes_page(request, community)


def _member_community(request: HttpRequest, pk: int) -> Community:
    """The PLG, for one of its group members (a guest expert or a visitor gets 404)."""
    community = community_permissions.get_community_for(request.user, pk)
    community_permissions.require(community_permissions.is_group_member(request.user, community))
    return community


@require_POST
@login_required
def theme_propose(request: HttpRequest, pk: int) -> HttpResponse:
    community = _member_community(request, pk)
    form = ThemeProposalForm(request.POST)
    if form.is_valid():
        try:
            services.theme_proposal_create(
                community=community, author=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Thank you, your theme has been proposed."))
            return redirect(_themes_url(community, "proposals"))
    return _render_themes_page(request, community, proposal_form=form)


def _proposal_action(request: HttpRequest, pk: int, proposal_pk: int) -> ThemeProposal:
    community = _member_community(request, pk)
    return selectors.get_proposal_in(community, proposal_pk)


@require_POST
@login_required
def theme_proposal_withdraw(request: HttpRequest, pk: int, proposal_pk: int) -> HttpResponse:
    proposal = _proposal_action(request, pk, proposal_pk)
    community_permissions.require(proposal.author_id == request.user.pk)
    try:
        services.theme_proposal_withdraw(proposal=proposal, actor=request.user)
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(
            request, _("Your proposal “%(title)s” has been withdrawn.") % {"title": proposal.title}
        )
    return redirect(_themes_url(proposal.community, "proposals"))


@require_POST
@login_required
def theme_vote(request: HttpRequest, pk: int, proposal_pk: int) -> HttpResponse:
    proposal = _proposal_action(request, pk, proposal_pk)
    try:
        services.theme_vote_cast(proposal=proposal, voter=request.user)
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(request, _("You voted for “%(title)s”.") % {"title": proposal.title})
    return redirect(_themes_url(proposal.community, "proposals"))


@require_POST
@login_required
def theme_unvote(request: HttpRequest, pk: int, proposal_pk: int) -> HttpResponse:
    proposal = _proposal_action(request, pk, proposal_pk)
    try:
        services.theme_vote_withdraw(proposal=proposal, voter=request.user)
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(
            request,
            _("Your vote for “%(title)s” has been taken back.") % {"title": proposal.title},
        )
    return redirect(_themes_url(proposal.community, "proposals"))


@require_POST
@login_required
def theme_voting_close(request: HttpRequest, pk: int) -> HttpResponse:
    community = community_permissions.get_community_for(request.user, pk, manage=True)
    try:
        services.theme_voting_close(community=community, actor=request.user)
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(request, _("The theme vote is closed; everyone sees the results."))
    return redirect(_themes_url(community, "proposals"))


@require_POST
@login_required
def theme_voting_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    community = community_permissions.get_community_for(request.user, pk, manage=True)
    try:
        services.theme_voting_reopen(community=community, actor=request.user)
    except ValidationError as error:
        _error_message(request, error)
    else:
        messages.success(request, _("The theme vote is open again."))
    return redirect(_themes_url(community, "proposals"))


@require_POST
@login_required
def themes_fix(request: HttpRequest, pk: int) -> HttpResponse:
    """Fix the themes of meetings 2-5 in one go."""
    community = community_permissions.get_community_for(request.user, pk, manage=True)
    page = selectors.themes_page(community, request.user, can_manage=True)
    community_permissions.require(page.options is not None and bool(page.voted_meetings))
    form = MeetingThemesFixForm(request.POST, options=page.options, meetings=page.voted_meetings)
    if form.is_valid():
        try:
            services.meeting_themes_fix(
                community=community,
                actor=request.user,
                choices=form.choices,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The themes of the meetings have been saved."))
            return redirect(_themes_url(community, "meeting-themes"))
    return _render_themes_page(request, community, fix_form=form)


# One meeting's theme.


@login_required
def meeting_theme(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a meeting's theme; replacing a fixed theme needs a reason."""
    meeting = get_meeting_for(request.user, pk, manage=True)
    options = selectors.meeting_theme_options(meeting, request.user)
    form = MeetingThemeForm(request.POST or None, options=options, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        choice = form.cleaned_data["choice"]
        chosen = {"proposal": choice} if isinstance(choice, ThemeProposal) else {"theme": choice}
        try:
            services.meeting_theme_set(
                meeting=meeting, actor=request.user, reason=form.cleaned_data["reason"], **chosen
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The theme of the meeting has been saved."))
            return redirect("meetings:meeting", pk=meeting.pk)
    return render(
        request,
        "meetings/themes/meeting_theme.html",
        {
            "meeting": meeting,
            "community": meeting.community,
            "form": form,
            "held": meeting.status in (MeetingStatus.HELD, MeetingStatus.REPORTED),
        },
    )


urlpatterns: list[URLPattern] = [
    path("school/<int:pk>/themes/", theme_library, name="theme_library"),
    path("school/<int:pk>/themes/start/", theme_library_start, name="theme_library_start"),
    path("school/<int:pk>/themes/<int:theme_pk>/", theme_edit, name="theme_edit"),
    path("school/<int:pk>/themes/<int:theme_pk>/remove/", theme_remove, name="theme_remove"),
    path("school/<int:pk>/themes/<int:theme_pk>/restore/", theme_restore, name="theme_restore"),
    path("plg/<int:pk>/themes/", community_themes, name="themes"),
    path("plg/<int:pk>/themes/propose/", theme_propose, name="theme_propose"),
    path("plg/<int:pk>/themes/close/", theme_voting_close, name="theme_voting_close"),
    path("plg/<int:pk>/themes/reopen/", theme_voting_reopen, name="theme_voting_reopen"),
    path("plg/<int:pk>/themes/fix/", themes_fix, name="themes_fix"),
    path("plg/<int:pk>/themes/<int:proposal_pk>/vote/", theme_vote, name="theme_vote"),
    path("plg/<int:pk>/themes/<int:proposal_pk>/unvote/", theme_unvote, name="theme_unvote"),
    path(
        "plg/<int:pk>/themes/<int:proposal_pk>/withdraw/",
        theme_proposal_withdraw,
        name="theme_proposal_withdraw",
    ),
    path("meeting/<int:pk>/theme/", meeting_theme, name="meeting_theme"),
]
