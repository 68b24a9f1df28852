"""Thin views for a teacher leader's own page: training, self-reflection, responsibilities."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
