"""Forms for the theme calendar: attendance."""

from __future__ import annotations
