"""Security log: every failed sign-in, for the school's IT department."""

from __future__ import annotations

import logging

from django.http import HttpRequest

logger = logging.getLogger("plg_platform.security")


def log_failed_sign_in(
    sender, credentials: dict, request: HttpRequest | None = None, **kwargs
) -> None:
    # Django already replaced the password in `credentials`; only the address is logged.
    address = request.META.get("REMOTE_ADDR", "?") if request is not None else "?"
    logger.warning(
        "Failed sign-in for %s from %s",
        credentials.get("email") or credentials.get("username"),
        address,
    )
