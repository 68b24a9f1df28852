"""A school may require two-factor sign-in for its team leaders and programme leads.

The rule is checked once, when someone signs in (a flag in the session), so that ordinary
requests cost no extra query; a flagged person costs one until their authenticator exists. Until they add an authenticator app, every page sends them to
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


def has_authenticator(user: User) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def two_factor_required(user: User) -> bool:
    """True when a school of the user's requires two-factor sign-in and they have none yet."""
    required = (
        School.objects.filter(require_two_factor=True)
        .filter(Q(admins=user) | Q(teams__leaders=user))
        .exists()
    )
    return required and not has_authenticator(user)


def on_signed_in(sender, request: HttpRequest | None, user: User, **kwargs) -> None:
    """Flag the session when the user's school requires a second step they have not set up."""
    # Django's user_logged_in: sent by every sign-in, allauth's and the invitation link's.
    if request is not None and two_factor_required(user):
        request.session[SESSION_FLAG] = True


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
            # Only flagged people pay this query, until their authenticator is there.
            if has_authenticator(request.user):
                del request.session[SESSION_FLAG]
                return self.get_response(request)
            messages.info(
                request,
                _(
                    "Your school asks team leaders and programme leads to sign in with a second "
                    "step. Set up an authenticator app to continue."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
