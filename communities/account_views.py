"""A programme lead deletes the account of a person of their school (AVG right to erasure)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from plg_platform.users.services import user_delete

from .permissions import get_school_for, refusal_for
from .selectors import school_people

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

    from plg_platform.users.models import User

    from .models import School


class SchoolAccountDeleteForm(forms.Form):
    understood = forms.BooleanField(
        label=gettext_lazy(
            "I understand that this deletes the account for good and cannot be undone."
        ),
        error_messages={"required": gettext_lazy("Tick the box to confirm.")},
    )


def get_school_person_for(user: User, school_pk: int, person_pk: int) -> tuple[School, User]:
    """A person of a school the user administers (not yet deleted); 404 otherwise."""
    school = get_school_for(user, school_pk)
    person = get_object_or_404(school_people(school), pk=person_pk)
    return school, person


@login_required
def school_account_delete(request: HttpRequest, pk: int, person_pk: int) -> HttpResponse:
    school, person = get_school_person_for(request.user, pk, person_pk)
    refusal = refusal_for(school=school, person=person, actor=request.user)
    form = SchoolAccountDeleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and refusal is None and form.is_valid():
        name = person.display_name
        user_delete(user=person, actor=request.user)
        messages.success(
            request,
            _("The account of %(name)s has been deleted.") % {"name": name},
        )
        return redirect("communities:school", pk=school.pk)
    return render(
        request,
        "users/account_delete_school.html",
        {"school": school, "person": person, "form": form, "refusal": refusal},
        status=400 if request.method == "POST" else 200,
    )
