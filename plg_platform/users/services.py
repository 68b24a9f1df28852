"""Writes for a person's own account."""

from __future__ import annotations

from django.db import transaction

from .models import User


@transaction.atomic
def user_update_settings(*, user: User, name: str, language: str) -> User:
    user.name = name.strip()
    user.language = language
    user.full_clean(exclude=["password"])
    user.save(update_fields=["name", "language"])
    return user


@transaction.atomic
def user_accept_invitation(*, user: User, password: str) -> User:
    """Set the invited person's password and record their e-mail address as verified."""
    from allauth.account.models import EmailAddress

    user.set_password(password)
    user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user
