from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plg_platform.erasure import own_deletion_refusals

from .forms import AccountDeleteForm, AccountSettingsForm, LanguageForm
from .services import user_accept_invitation, user_delete, user_update_settings
from .tokens import invitation_token_generator


def _remember_language(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
    )


@login_required
def account_settings(request: HttpRequest) -> HttpResponse:
    form = AccountSettingsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user_update_settings(
            user=request.user,
            name=form.cleaned_data["name"],
            language=form.cleaned_data["language"],
        )
        response = redirect("users:settings")
        _remember_language(response, request.user.language)
        messages.success(request, _("Your settings have been saved."))
        return response
    return render(request, "users/settings.html", {"form": form})


@require_POST
def language_switch(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; remembered on the account when signed in."""
    form = LanguageForm(request.POST)
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if form.is_valid():
        language = form.cleaned_data["language"]
        if request.user.is_authenticated:
            user_update_settings(user=request.user, name=request.user.name, language=language)
        _remember_language(response, language)
    return response


def invitation_accept(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """An invited person sets their password through the one-time link, then is signed in."""
    user_model = get_user_model()
    try:
        user = user_model.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))))
    except (TypeError, ValueError, OverflowError, user_model.DoesNotExist):
        user = None
    valid = (
        user is not None
        and user.is_active
        and not user.has_usable_password()
        and invitation_token_generator.check_token(user, token)
    )
    if not valid:
        return render(request, "users/invitation_invalid.html", status=404)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user_accept_invitation(user=user, password=form.cleaned_data["new_password1"])
        messages.success(request, _("Welcome! Your password has been set."))
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("communities:dashboard")
    return render(request, "users/invitation_accept.html", {"form": form, "invitee": user})


@login_required
def data_download(request: HttpRequest) -> HttpResponse:
    """Download everything the platform keeps about the signed-in person (AVG right of access)."""
    from plg_platform.privacy import data_exported, personal_data_zip

    content = personal_data_zip(request.user)
    data_exported.send(sender=None, user=request.user)
    response = HttpResponse(content, content_type="application/zip")
    filename = f"plg-platform-my-data-{timezone.localdate():%Y-%m-%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def account_delete(request: HttpRequest) -> HttpResponse:
    """Delete one's own account after re-entering the password; then sign out."""
    form = AccountDeleteForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "GET":
        # Say so before the person types their password, not only after.
        for refusal in own_deletion_refusals(request.user):
            messages.warning(request, refusal)
    if request.method == "POST" and form.is_valid():
        try:
            user_delete(user=request.user, actor=request.user)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return render(request, "users/account_delete.html", {"form": form}, status=400)
        logout(request)
        messages.success(
            request,
            _(
                "Your account has been deleted. What you shared stays in your PLGs under "
                '"former member".'
            ),
        )
        return redirect("account_login")
    status = 400 if form.errors else 200
    return render(request, "users/account_delete.html", {"form": form}, status=status)
