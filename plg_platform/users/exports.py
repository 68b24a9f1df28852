"""The account itself, for a person's data download."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from plg_platform.privacy import Rows

    from .models import User


def account(user: User) -> Rows:
    return [
        {
            "email": user.email,
            "name": user.name,
            "language": user.language,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
        }
    ]


def register_all() -> None:
    from plg_platform import privacy

    privacy.register("account", _("Your account"), account)
