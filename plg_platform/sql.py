"""Plain SQL for the few hot reads where building the ORM query costs more than running it.

On this stack Django spends 1-2 ms of CPU building each correlated EXISTS or counting
subquery, for queries the database answers in a tenth of that (docs/performance.md). The
handful of reads that every page makes are therefore written out as SQL text, built once per
process from the models' own table names, with every value passed as a parameter. Each has a
test that holds it to the ORM rule it stands for.
"""

from __future__ import annotations

import functools
from typing import Any

from django.db import connection
from django.db.models import Field, ForeignKey, Model
from django.http import Http404


def table(model: type[Model]) -> str:
    """The model's table name, quoted for the database in use."""
    return connection.ops.quote_name(model._meta.db_table)


def one_row(sql: str, params: dict[str, Any]) -> tuple[Any, ...] | None:
    """Run `sql` with named parameters and return its first row (None when there is none)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def all_rows(sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Run `sql` with named parameters and return every row."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def columns(model: type[Model], alias: str) -> tuple[str, list[Field]]:
    """The select list of the model's columns under a table alias, and their fields in order."""
    fields = list(model._meta.concrete_fields)
    quote = connection.ops.quote_name
    return ", ".join(f"{alias}.{quote(field.column)}" for field in fields), fields


def from_db(value: Any, field: Field) -> Any:
    """Convert one raw value as the ORM would (SQLite hands back booleans as 0/1 and times as
    text; PostgreSQL's are already Python values)."""
    expression, converters = _converters(field, connection.vendor)
    for converter in converters:
        value = converter(value, expression, connection)
    return value


@functools.cache
def _converters(field: Field, vendor: str) -> tuple[Any, tuple[Any, ...]]:
    """The field's column expression and the ORM's converters for it on this database, worked
    out once per process (most fields on PostgreSQL have none; rebuilding the list for every
    value cost about 1.5 ms a page)."""
    expression = field.get_col(field.model._meta.db_table)
    converters = connection.ops.get_db_converters(expression) + field.get_db_converters(connection)
    return expression, tuple(converters)


def instance(model: type[Model], fields: list[Field], values: list[Any]) -> Model:
    """Build a model instance from raw values selected with `columns`."""
    converted = [from_db(value, field) for value, field in zip(values, fields, strict=True)]
    return model.from_db(connection.alias, [field.attname for field in fields], converted)


def fits_key(model: type[Model], pk: Any) -> bool:
    """Can the model's primary key column hold this id? (A URL's digits may not fit: the ORM
    then matches no row, but a plain query would fail.)"""
    low, high = connection.ops.integer_field_range(model._meta.pk.get_internal_type())
    try:
        return low <= int(pk) <= high
    except (TypeError, ValueError):
        return False


def get_with_related(model: type[Model], pk: Any, *paths: str) -> Model:
    """`get_object_or_404(model.objects.select_related(*paths), pk=pk)` in one plain query.

    Opening a PLG or a meeting (every page under one) read it with three to four joins in the
    ORM, about 3 ms of CPU to build; this builds the SQL once per process. Only foreign keys
    (`paths` as in `select_related`, e.g. "community__team__school"); a nullable one is left
    joined and cached as None when empty, as the ORM does. tests/plg_platform/test_sql.py holds it
    to the ORM.
    """
    if not fits_key(model, pk):
        raise Http404  # as the ORM: an id the column cannot hold matches no row
    rows = _read_with_related(model, model._meta.pk.name, pk, (), paths)
    if not rows:
        raise Http404
    return rows[0]


def filter_with_related(
    model: type[Model], field: str, value: Any, order: tuple[str, ...], *paths: str
) -> list[Model]:
    """`model.objects.filter(**{field: value}).select_related(*paths).order_by(*order)` in one
    plain query built once per process; `order` as in `order_by` ("-changed_at", "user__name"),
    on the model's own fields or those of a related path. Without paths: a model's rows by one
    column (a meeting's agenda, materials, run)."""
    return _read_with_related(model, field, value, order, paths)


def select_with_related(
    model: type[Model],
    where: str,
    params: dict[str, Any],
    *,
    order: tuple[str, ...] = (),
    paths: tuple[str, ...] = (),
    extra: tuple[tuple[str, str, Field], ...] = (),
) -> list[Model]:
    """`filter_with_related` for a condition the ORM builds slowly (correlated `EXISTS`): `where`
    is SQL on the model's table under the alias `t0`, with named `params`. `extra` adds columns
    as `annotate` would: (attribute, SQL expression on `t0`, the field whose converters apply).
    Pass constant strings only; the text is built once per process."""
    sql, parts = _with_related_sql(model, ("where", where), order, paths, extra)
    return _instances(sql, params, parts, extra)


def _read_with_related(
    model: type[Model], field: str, value: Any, order: tuple[str, ...], paths: tuple[str, ...]
) -> list[Model]:
    sql, parts = _with_related_sql(model, ("field", field), order, paths, ())
    return _instances(sql, {"value": value}, parts, ())


def _instances(
    sql: str,
    params: dict[str, Any],
    parts: list[tuple[str, type[Model], list[Field], ForeignKey | None]],
    extra: tuple[tuple[str, str, Field], ...],
) -> list[Model]:
    found = []
    for row in all_rows(sql, params):
        objects: dict[str, Model | None] = {}
        start = 0
        for path, part_model, fields, key in parts:
            values = row[start : start + len(fields)]
            start += len(fields)
            # The primary key comes first: NULL when a left join found no row.
            obj = instance(part_model, fields, list(values)) if values[0] is not None else None
            objects[path] = obj
            if key is not None:
                parent = objects[path.rpartition("__")[0]]
                if parent is not None:
                    key.set_cached_value(parent, obj)
        main = objects[""]
        for (name, _expression, field), value in zip(extra, row[start:], strict=True):
            setattr(main, name, None if value is None else from_db(value, field))
        found.append(main)
    return found


@functools.cache
def _with_related_sql(
    model: type[Model],
    condition: tuple[str, str],
    order: tuple[str, ...],
    paths: tuple[str, ...],
    extra: tuple[tuple[str, str, Field], ...],
) -> tuple[str, list[tuple[str, type[Model], list[Field], ForeignKey | None]]]:
    """The query text, and per joined table: its path, model, fields in select order and the
    foreign key that leads to it (None for the model itself). `condition` is ("field", a field
    path to compare with %(value)s) or ("where", SQL text)."""
    wanted = sorted(
        {
            "__".join(path.split("__")[: i + 1])
            for path in paths
            for i in range(len(path.split("__")))
        }
    )
    quote = connection.ops.quote_name
    selected, fields = columns(model, "t0")
    parts: list[tuple[str, type[Model], list[Field], ForeignKey | None]] = [
        ("", model, fields, None)
    ]
    select = [selected]
    joins = []
    aliases = {"": ("t0", model, False)}
    for number, path in enumerate(wanted, start=1):
        parent_path, _, name = path.rpartition("__")
        parent_alias, parent_model, parent_nullable = aliases[parent_path]
        key = parent_model._meta.get_field(name)
        if not isinstance(key, ForeignKey):
            raise TypeError(f"{parent_model.__name__}.{name} is not a foreign key")
        related = key.related_model
        alias = f"t{number}"
        nullable = parent_nullable or key.null
        aliases[path] = (alias, related, nullable)
        joins.append(
            f"{'LEFT JOIN' if nullable else 'JOIN'} {table(related)} {alias} "
            f"ON {alias}.{quote(key.target_field.column)} = {parent_alias}.{quote(key.column)}"
        )
        selected, fields = columns(related, alias)
        select.append(selected)
        parts.append((path, related, fields, key))
    select += [f"{expression} AS {quote(name)}" for name, expression, _field in extra]

    def column(path_and_name: str) -> str:
        path, _, name = path_and_name.rpartition("__")
        alias, owner, _nullable = aliases[path]
        return f"{alias}.{quote(owner._meta.get_field(name).column)}"

    ordering = [
        f"{column(term.lstrip('-'))}{' DESC' if term.startswith('-') else ''}" for term in order
    ]
    kind, text = condition
    where = f"{column(text)} = %(value)s" if kind == "field" else f"({text})"
    sql = (
        f"SELECT {', '.join(select)} FROM {table(model)} t0 {' '.join(joins)} "  # noqa: S608
        f"WHERE {where}" + (f" ORDER BY {', '.join(ordering)}" if ordering else "")
    )
    return sql, parts
