"""Absolute links for e-mails and calendar feeds, where there is no request to build them from."""

from __future__ import annotations

from django.conf import settings


def absolute_url(path: str) -> str:
    """The public address (settings.SITE_URL) followed by the path."""
    return f"{settings.SITE_URL.rstrip('/')}{path}"
