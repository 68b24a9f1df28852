"""A school may require two-factor sign-in for its team leaders and programme leads.

The rule is checked once, when someone signs in (a flag in the session), so that ordinary
requests cost no extra query. Until they add an authenticator app, every page sends them to
the set-up page; signing out, the language switch and static files stay reachable.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import School

if TYPE_CHECKING:
    from plg_platform.users.models import User

SESSION_FLAG = "plg_two_factor_required"


def two_factor_required(user: User) -> bool:
    """True when a school of the user's requires two-factor sign-in and they have none yet."""
    required = (
        School.objects.filter(require_two_factor=True)
        .filter(Q(admins=user) | Q(teams__leaders=user))
        .exists()
    )
    if not required:
        return False
    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def on_signed_in(sender, request: HttpRequest, user: User, **kwargs) -> None:
    if two_factor_required(user):
        request.session[SESSION_FLAG] = True


def on_authenticator_added(sender, request: HttpRequest, user: User, **kwargs) -> None:
    request.session.pop(SESSION_FLAG, None)


def _allowed_paths() -> tuple[str, ...]:
    return (
        reverse("mfa_activate_totp"),
        reverse("mfa_index"),
        # allauth asks for the password again before an authenticator is added.
        reverse("account_reauthenticate"),
        reverse("account_logout"),
        reverse("users:language"),
        "/static/",
        "/health/",
    )


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.user.is_authenticated
            and request.session.get(SESSION_FLAG)
            and not request.path.startswith(_allowed_paths())
        ):
            messages.info(
                request,
                _(
                    "Your school asks team leaders and programme leads to sign in with a second "
                    "step. Set up an authenticator app to continue."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
