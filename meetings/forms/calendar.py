"""Forms for the theme calendar: calendar."""

from __future__ import annotations
