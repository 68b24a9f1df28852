"""E-mails of the communities app, rendered in the recipient's language."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from plg_platform.users.tokens import invitation_url

from .models import Membership


def invitation_send(*, user_id: int, inviter_id: int | None, community_id: int | None) -> bool:
    """Mail a one-time link to set a password; skipped once the person has one."""
    user_model = get_user_model()
    user = user_model.objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.has_usable_password():
        return False
    membership = None
    if community_id is not None:
        membership = (
            Membership.objects.select_related("community__team__school")
            .filter(user=user, community_id=community_id)
            .first()
        )
        if membership is None:
            return False  # removed from the PLG before the mail went out
    inviter = user_model.objects.filter(pk=inviter_id).first() if inviter_id else None
    with translation.override(user.language):
        context = {
            "user": user,
            "membership": membership,
            "inviter": inviter,
            "accept_url": invitation_url(user),
        }
        subject = render_to_string("communities/email/invitation_subject.txt", context).strip()
        text = render_to_string("communities/email/invitation.txt", context)
        html = render_to_string("communities/email/invitation.html", context)
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email]
    )
    message.attach_alternative(html, "text/html")
    message.send()
    return True
