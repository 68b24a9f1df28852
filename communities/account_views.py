"""A programme lead finds the people of their school and deletes an account (AVG right to
erasure)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from plg_platform.users.services import user_delete

from .permissions import get_school_for, refusal_for
from .selectors import school_people, school_people_page

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

    from plg_platform.users.models import User

    from .models import School


class PeopleSearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Name or e-mail address"),
        required=False,
        max_length=200,
        widget=forms.SearchInput(),
    )

    def search(self) -> str:
        """The text to look for; a bad one is shown, not applied."""
        return self.cleaned_data["q"] if self.is_valid() else ""


class SchoolAccountDeleteForm(forms.Form):
    understood = forms.BooleanField(
        label=gettext_lazy(
            "I understand that this deletes the account for good and cannot be undone."
        ),
        error_messages={"required": gettext_lazy("Tick the box to confirm.")},
    )


@require_GET
@login_required
def school_people_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The school's people with their roles, a page at a time, for its programme leads only."""
    school = get_school_for(request.user, pk)
    form = PeopleSearchForm(request.GET)
    search = form.search()
    page = school_people_page(
        school, request.user, search=search, page_number=request.GET.get("page")
    )
    return render(
        request,
        "communities/school_people.html",
        {
            "school": school,
            "form": form,
            "searched": bool(search),
            "page_obj": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
        },
    )


def get_school_person_for(user: User, school_pk: int, person_pk: int) -> tuple[School, User]:
    """A person of a school the user administers (not yet deleted); 404 otherwise."""
    school = get_school_for(user, school_pk)
    person = get_object_or_404(school_people(school), pk=person_pk)
    return school, person


def _people_list_url(school: School, query: QueryDict) -> str:
    """The People page as the programme lead left it: their search and page, nothing else."""
    kept = QueryDict(mutable=True)
    for key in ("q", "page"):
        if query.get(key):
            kept[key] = query[key]
    url = reverse("communities:school_people", kwargs={"pk": school.pk})
    return f"{url}?{kept.urlencode()}" if kept else url


@login_required
def school_account_delete(request: HttpRequest, pk: int, person_pk: int) -> HttpResponse:
    school, person = get_school_person_for(request.user, pk, person_pk)
    back_url = _people_list_url(school, request.GET)
    refusal = refusal_for(school=school, person=person, actor=request.user)
    form = SchoolAccountDeleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and refusal is None and form.is_valid():
        name = person.display_name
        user_delete(user=person, actor=request.user)
        messages.success(
            request,
            _("The account of %(name)s has been deleted.") % {"name": name},
        )
        return redirect(back_url)
    return render(
        request,
        "users/account_delete_school.html",
        {
            "school": school,
            "person": person,
            "form": form,
            "refusal": refusal,
            "back_url": back_url,
        },
        status=400 if request.method == "POST" else 200,
    )
