"""Forms for the theme calendar: preparation."""

from __future__ import annotations
