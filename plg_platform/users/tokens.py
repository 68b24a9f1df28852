"""One-time links for invitations: valid until the person sets a password."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from plg_platform.links import absolute_url

if TYPE_CHECKING:
    from .models import User


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    # The token hashes the password, so it stops working once a password is set.
    key_salt = "plg_platform.users.tokens.InvitationTokenGenerator"


invitation_token_generator = InvitationTokenGenerator()


def invitation_url(user: User) -> str:
    path = reverse(
        "users:invitation_accept",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": invitation_token_generator.make_token(user),
        },
    )
    return absolute_url(path)
