"""The programme lead's retention page: what is deleted when, and how long the school keeps it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .permissions import get_school_for
from .retention import retention_plan, school_retention_update

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

RANGE_MESSAGE = gettext_lazy("Choose a number of school years from 1 to 10.")


class RetentionForm(forms.Form):
    retention_years = forms.IntegerField(
        label=gettext_lazy("Keep cases, reflections and notes for (school years)"),
        help_text=gettext_lazy(
            "Counted after the school year they belong to. After that they are deleted; "
            "reports keep only their numbers."
        ),
        min_value=1,
        max_value=10,
        error_messages={
            "required": RANGE_MESSAGE,
            "invalid": RANGE_MESSAGE,
            "min_value": RANGE_MESSAGE,
            "max_value": RANGE_MESSAGE,
        },
    )


@login_required
def school_retention(request: HttpRequest, pk: int) -> HttpResponse:
    school = get_school_for(request.user, pk)
    form = RetentionForm(
        request.POST if request.method == "POST" else None,
        initial={"retention_years": school.retention_years},
    )
    if request.method == "POST" and form.is_valid():
        try:
            school_retention_update(
                school=school, years=form.cleaned_data["retention_years"], actor=request.user
            )
        except ValidationError:
            form.add_error("retention_years", RANGE_MESSAGE)
        else:
            messages.success(request, _("The retention period has been saved."))
            return redirect("communities:retention", pk=school.pk)
    today = timezone.localdate()
    return render(
        request,
        "communities/retention.html",
        {
            "school": school,
            "form": form,
            "plan": retention_plan(school, today=today),
            "today": today,
        },
        status=400 if form.errors else 200,
    )
