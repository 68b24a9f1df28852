"""`plg_platform.sql.get_with_related` opens an object as `select_related` would, in one query."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Model
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from casework.models import YearlyReport
from communities.models import Community
from meetings.models import Meeting, Theme
from meetings.services import theme_library_ensure
from plg_platform.sql import filter_with_related, from_db, get_with_related

pytestmark = pytest.mark.django_db


def _values(obj: Model | None) -> list[object] | None:
    if obj is None:
        return None
    return [getattr(obj, field.attname) for field in obj._meta.concrete_fields]


def _same_graph(ours: Model, orm: Model, paths: tuple[str, ...]) -> None:
    """Every object along every path has the ORM's values, and is already cached on its parent."""
    assert type(ours) is type(orm)
    assert _values(ours) == _values(orm)
    for path in paths:
        mine, theirs = ours, orm
        for name in path.split("__"):
            field = mine._meta.get_field(name)
            assert field.is_cached(mine), path
            mine, theirs = field.get_cached_value(mine), field.get_cached_value(theirs)
            assert _values(mine) == _values(theirs), path
            if mine is None:
                break


def _check(model: type[Model], pk: int, *paths: str) -> Model:
    orm = model.objects.select_related(*paths).get(pk=pk)
    with CaptureQueriesContext(connection) as queries:
        ours = get_with_related(model, pk, *paths)
    assert len(queries) == 1
    _same_graph(ours, orm, paths)
    return ours


def test_a_meeting_with_its_plg_team_school_year_and_theme(world, meetings) -> None:
    theme_library_ensure(school=world.school)
    with_theme, without = meetings[0], meetings[1]
    with_theme.theme = Theme.objects.filter(school=world.school).first()
    with_theme.save(update_fields=["theme"])
    without.theme = None
    without.save(update_fields=["theme"])
    paths = ("community__team__school", "community__school_year", "theme")

    opened = _check(Meeting, with_theme.pk, *paths)
    assert opened.theme is not None
    assert _check(Meeting, without.pk, *paths).theme is None
    # Times come back as the ORM's aware datetimes, also on SQLite.
    assert opened.starts_at == with_theme.starts_at
    assert opened.starts_at.tzinfo is not None


def test_a_plg_and_a_yearly_report_with_empty_nullable_keys(world, school_admin) -> None:
    _check(Community, world.community.pk, "team__school", "school_year")
    report = YearlyReport.objects.create(
        scope="school", school=world.school, school_year=world.school_year
    )
    paths = ("school", "school_year", "community__team", "team")
    opened = _check(YearlyReport, report.pk, *paths)
    # A school-wide report has no PLG (so no PLG's team) and no team: both left joined.
    assert opened.community is None
    assert opened.team is None


def test_a_filtered_list_in_the_orms_order_with_its_related_rows(world, meetings) -> None:
    theme_library_ensure(school=world.school)
    meetings[2].theme = Theme.objects.filter(school=world.school).first()
    meetings[2].save(update_fields=["theme"])
    paths = ("community__team", "theme")
    for order in (("-number",), ("community__name", "starts_at"), ("theme__title", "-id")):
        orm = list(
            Meeting.objects.filter(community=world.community)
            .select_related(*paths)
            .order_by(*order)
        )
        with CaptureQueriesContext(connection) as queries:
            read = filter_with_related(Meeting, "community", world.community.pk, order, *paths)
        assert len(queries) == 1
        assert len(read) == len(orm) == 6
        for ours, theirs in zip(read, orm, strict=True):
            _same_graph(ours, theirs, paths)


@pytest.mark.parametrize("pk", [10**9, 2**63, -(2**63) - 1, "abc", None])
def test_a_missing_or_impossible_id_is_not_found(world, pk) -> None:
    with pytest.raises(Http404):
        get_with_related(Community, pk, "team")


def test_only_foreign_keys_can_be_followed(world) -> None:
    with pytest.raises(TypeError, match="not a foreign key"):
        get_with_related(Community, world.community.pk, "name")


def test_values_are_converted_as_the_orm_does_every_time(world, meetings) -> None:
    field = Meeting._meta.get_field("starts_at")
    with connection.cursor() as cursor:
        cursor.execute("SELECT starts_at FROM meetings_meeting WHERE id = %s", [meetings[0].pk])
        (raw,) = cursor.fetchone()
    # Asked twice: the converters worked out once are applied again, not skipped.
    assert from_db(raw, field) == meetings[0].starts_at
    assert from_db(raw, field) == meetings[0].starts_at
