"""A person's own data, gathered from every app, as a ZIP of JSON files and a readable summary.

Each app registers an exporter from its AppConfig.ready() (nothing here imports the apps, so the
dependency direction stays as it is). An exporter returns the person's own rows only: what they
wrote, what was recorded about them, and never another person's private text.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.dispatch import Signal
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import capfirst

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from .users.models import User

Rows = list[dict[str, Any]]

# School years a school keeps cases, reflections and notes after the year they belong to,
# unless it chooses otherwise (communities.models.School.retention_years); the privacy page says so.
DEFAULT_RETENTION_YEARS = 2


@dataclass(frozen=True)
class Exporter:
    key: str  # the JSON file's name
    title: Promise | str  # the section heading in the summary
    rows: Callable[[User], Rows]
    # Column headings for the summary (lazy translations) by row key; others are humanised.
    labels: Mapping[str, Promise | str] = field(default_factory=dict)

    def column_label(self, key: str) -> str:
        """The heading of a column: the registered label, else the key made readable."""
        if key in self.labels:
            return str(self.labels[key])
        return capfirst(key.replace("__", " · ").replace("_", " "))


_EXPORTERS: dict[str, Exporter] = {}

# Sent with `user` when a person has downloaded their own data (communities logs it).
data_exported = Signal()


def register(
    key: str,
    title: Promise | str,
    rows: Callable[[User], Rows],
    labels: Mapping[str, Promise | str] | None = None,
) -> None:
    _EXPORTERS[key] = Exporter(key, title, rows, dict(labels or {}))


def registered() -> tuple[Exporter, ...]:
    return tuple(_EXPORTERS.values())


def personal_data(user: User) -> list[tuple[Exporter, Rows]]:
    """Every registered section with the person's rows, in registration order."""
    return [(exporter, exporter.rows(user)) for exporter in _EXPORTERS.values()]


def personal_data_zip(user: User) -> bytes:
    """The person's data as a ZIP: one JSON file per section plus summary.html."""
    sections = personal_data(user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for exporter, rows in sections:
            archive.writestr(
                f"{exporter.key}.json",
                json.dumps(rows, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            )
        summary = render_to_string(
            "users/export_summary.html",
            {
                "person": user,
                "made_at": timezone.now(),
                # Rendered outside a request: no LANGUAGE_CODE from the context processors.
                "language": translation.get_language(),
                "sections": [
                    {
                        "key": exporter.key,
                        "title": exporter.title,
                        "columns": [exporter.column_label(key) for key in rows[0]] if rows else [],
                        "rows": [list(row.values()) for row in rows],
                    }
                    for exporter, rows in sections
                ],
            },
        )
        archive.writestr("summary.html", summary)
    return buffer.getvalue()
