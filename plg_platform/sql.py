"""Plain SQL for the few hot reads where building the ORM query costs more than running it.

On this stack Django spends 1-2 ms of CPU building each correlated EXISTS or counting
subquery, for queries the database answers in a tenth of that (docs/performance.md). The
handful of reads that every page makes are therefore written out as SQL text, built once per
process from the models' own table names, with every value passed as a parameter. Each has a
test that holds it to the ORM rule it stands for.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Field, Model


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
    expression = field.get_col(field.model._meta.db_table)
    converters = connection.ops.get_db_converters(expression) + field.get_db_converters(connection)
    for converter in converters:
        value = converter(value, expression, connection)
    return value


def instance(model: type[Model], fields: list[Field], values: list[Any]) -> Model:
    """Build a model instance from raw values selected with `columns`."""
    converted = [from_db(value, field) for value, field in zip(values, fields, strict=True)]
    return model.from_db(connection.alias, [field.attname for field in fields], converted)
