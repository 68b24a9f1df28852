"""Reads for the yearly theme calendar."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from communities.models import Community

    from .models import Meeting


def year_plan_meetings(community: Community) -> QuerySet[Meeting]:
    return community.meetings.select_related("theme").order_by("number")
