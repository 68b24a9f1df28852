"""Writes for a person's own account."""

from __future__ import annotations

from django.core.exceptions import ValidationError
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


def _sessions_delete(user: User) -> None:
    """Delete the person's stored sessions, so no browser stays signed in."""
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    # Sessions do not index their user; deleting an account is rare, so a scan is acceptable.
    # (The unusable password alone already invalidates them: Django checks the session hash.)
    user_key = str(user.pk)
    stale = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(session.get_decoded().get("_auth_user_id")) == user_key
    ]
    Session.objects.filter(pk__in=stale).delete()


@transaction.atomic
def user_delete(*, user: User, actor: User | None) -> User:
    """Delete a person's account: their own data goes, shared history stays as "former member".

    1. Each app's registered eraser runs first, while the person's name, e-mail and roles are
       still there (the audit log copies them as text).
    2. The account row stays, so shared contributions keep their place; everything that
       identifies the person is blanked and they cannot sign in again.
    """
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from django.utils import timezone

    from plg_platform import erasure

    user = User.objects.select_for_update().get(pk=user.pk)
    if user.deleted_at is not None:
        return user
    if actor is not None and actor.pk == user.pk:
        # Some roles must not go empty (a school's last programme lead); the apps say which.
        if refusals := erasure.own_deletion_refusals(user):
            raise ValidationError(refusals)
    for erase in erasure.account_erasers():
        erase(user, actor)
    Authenticator.objects.filter(user=user).delete()
    EmailAddress.objects.filter(user=user).delete()
    _sessions_delete(user)
    user.groups.clear()
    user.user_permissions.clear()
    user.deleted_at = timezone.now()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.name = ""
    # Unique and never deliverable (.invalid is reserved, RFC 2606).
    user.email = f"deleted-{user.pk}@invalid"
    user.last_login = None
    user.set_unusable_password()
    user.save()
    return user
