"""Writes for the theme calendar: themes."""

from __future__ import annotations
