"""The audit log page: a school's programme leads read and filter who did what."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from .audit import AuditFilter, audit_log_page
from .forms import DateInput
from .models import AuditAction
from .permissions import get_school_for


class AuditFilterForm(forms.Form):
    """The log page's filters; every field may stay empty."""

    action = forms.ChoiceField(
        label=_("What"), required=False, choices=[("", _("Everything")), *AuditAction.choices]
    )
    starts_on = forms.DateField(label=_("From"), required=False, widget=DateInput())
    ends_on = forms.DateField(label=_("Until"), required=False, widget=DateInput())
    person = forms.CharField(
        label=_("Who"),
        required=False,
        max_length=200,
        help_text=_("Part of the person's name or e-mail address as shown in the log."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The end date must not be before the start date."))
        return cleaned

    def audit_filter(self) -> AuditFilter:
        """The filter made of the fields that are valid; a bad field is shown, not applied."""
        self.is_valid()
        data = self.cleaned_data
        return AuditFilter(
            action=data.get("action") or "",
            starts_on=data.get("starts_on"),
            ends_on=data.get("ends_on"),
            person=(data.get("person") or "").strip(),
        )


@require_GET
@login_required
def audit_log(request: HttpRequest, pk: int) -> HttpResponse:
    """The school's audit log, newest first, for its programme leads only."""
    school = get_school_for(request.user, pk)
    form = AuditFilterForm(request.GET)
    audit_filter = form.audit_filter()
    return render(
        request,
        "communities/audit_log.html",
        {
            "school": school,
            "form": form,
            "filtered": audit_filter.is_active,
            "page_obj": audit_log_page(school, audit_filter, request.GET.get("page")),
        },
    )


urlpatterns: list[URLPattern] = [
    path("school/<int:pk>/audit-log/", audit_log, name="audit_log"),
]
