"""The programme lead's overview of all PLGs of a school year."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path

from communities.permissions import get_school_for, get_school_year_for, require

from ..selectors import overview as selectors


@login_required
def programme_overview_start(request: HttpRequest) -> HttpResponse:
    """Open the overview of the one school the user administers, or let them pick one."""
    schools = list(selectors.overview_schools(request.user))
    if not schools:
        raise Http404
    if len(schools) == 1:
        return redirect("teacherleaders:programme_overview", pk=schools[0].pk)
    return render(request, "teacherleaders/overview_schools.html", {"schools": schools})


@login_required
def programme_overview(request: HttpRequest, pk: int, year_pk: int | None = None) -> HttpResponse:
    """Every PLG of the school's year: leaders, size, warnings, meetings, health, product."""
    school = get_school_for(request.user, pk)
    school_year = None
    if year_pk is not None:
        school_year = get_school_year_for(request.user, year_pk)
        # A year of another school the user also runs belongs on that school's overview.
        require(school_year.school_id == school.pk)
    return render(
        request,
        "teacherleaders/overview.html",
        {"overview": selectors.programme_overview(school, school_year)},
    )


urlpatterns: list[URLPattern] = [
    path("programme/", programme_overview_start, name="programme_overview_start"),
    path("programme/<int:pk>/", programme_overview, name="programme_overview"),
    path(
        "programme/<int:pk>/year/<int:year_pk>/",
        programme_overview,
        name="programme_overview_year",
    ),
]
