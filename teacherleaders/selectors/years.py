"""Which school year a page shows when nobody asked for one, and the one somebody asked for."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404

if TYPE_CHECKING:
    import datetime as dt

    from communities.models import School, SchoolYear


def school_years_of(school: School) -> list[SchoolYear]:
    """The school's years, newest first."""
    return list(school.school_years.order_by("-starts_on"))


def default_school_year(school_years: list[SchoolYear], today: dt.date) -> SchoolYear | None:
    """The year under way, else the next one to start, else the latest (years newest first)."""
    for year in school_years:
        if year.contains(today):
            return year
    upcoming = [year for year in school_years if year.starts_on > today]
    if upcoming:
        return min(upcoming, key=lambda year: year.starts_on)
    return school_years[0] if school_years else None


def chosen_school_year(school_years: list[SchoolYear], raw_pk: str) -> SchoolYear:
    """The year asked for in a query string, among the school's own years; 404 otherwise."""
    # A mistyped or another school's year must not silently show a different year.
    chosen = next((year for year in school_years if str(year.pk) == raw_pk.strip()), None)
    if chosen is None:
        raise Http404
    return chosen
