"""Writes for the theme calendar: a user's secret calendar subscription address."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from ..models import CalendarFeed

if TYPE_CHECKING:
    from plg_platform.users.models import User

# 32 random bytes: 43 URL-safe characters, far beyond guessing.
TOKEN_BYTES = 32


def _new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


@transaction.atomic
def calendar_feed_create(*, user: User) -> CalendarFeed:
    """Give the user a subscription address; an existing one is kept (a second click is harmless)."""
    feed, _created = CalendarFeed.objects.get_or_create(
        user=user, defaults={"token": _new_token(), "created_at": timezone.now()}
    )
    return feed


@transaction.atomic
def calendar_feed_regenerate(*, user: User) -> CalendarFeed:
    """Replace the user's subscription address with a new one; the old address stops working."""
    feed, _created = CalendarFeed.objects.update_or_create(
        user=user, defaults={"token": _new_token(), "created_at": timezone.now()}
    )
    return feed


@transaction.atomic
def calendar_feed_revoke(*, user: User) -> bool:
    """Switch the user's subscription address off; returns whether there was one."""
    deleted, _per_model = CalendarFeed.objects.filter(user=user).delete()
    return deleted > 0
