"""The Dutch catalogue is complete: every string on screen has a Dutch translation."""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings


def _entries(po_file: Path) -> list[dict[str, str]]:
    """Parse a .po file into entries of msgid/msgid_plural/msgstr[n] (obsolete ones left out)."""
    entries: list[dict[str, str]] = []
    current: dict[str, str] = {}
    key = ""
    for line in po_file.read_text(encoding="utf-8").splitlines():
        if line.startswith("#~"):
            continue
        if (
            line.startswith("msgid ")
            and current.get("msgid") is not None
            and "msgstr" in "".join(current)
        ):
            entries.append(current)
            current = {}
        if line.startswith(("msgctxt ", "msgid ", "msgid_plural ", "msgstr")):
            key, _, value = line.partition(" ")
            current[key] = ast.literal_eval(value)
        elif line.startswith('"') and key:
            current[key] += ast.literal_eval(line)
    if current:
        entries.append(current)
    return [entry for entry in entries if entry.get("msgid")]


def test_dutch_catalogue_translates_every_string() -> None:
    po_file = Path(settings.BASE_DIR) / "locale" / "nl" / "LC_MESSAGES" / "django.po"
    entries = _entries(po_file)

    untranslated = [
        entry["msgid"]
        for entry in entries
        if any(not value for key, value in entry.items() if key.startswith("msgstr"))
    ]

    assert len(entries) > 150
    assert untranslated == []


def test_dutch_catalogue_has_no_fuzzy_entries() -> None:
    po_file = Path(settings.BASE_DIR) / "locale" / "nl" / "LC_MESSAGES" / "django.po"

    assert "#, fuzzy" not in po_file.read_text(encoding="utf-8")
