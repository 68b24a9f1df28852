"""Thin views for one's own notifications and reminder settings, and a school's lead times."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communities.permissions import get_school_for
from plg_platform.forms import attach_errors

from ..forms.notifications import NotificationSettingsForm, ReminderScheduleForm
from ..models import ReminderSchedule
from ..selectors import notifications as selectors
from ..services import notifications as services


def _back_to_list(request: HttpRequest) -> HttpResponse:
    url = reverse("meetings:notifications")
    page = request.POST.get("page", "")
    # Only a page number goes back into the address; anything else starts at page one.
    if page.isdigit() and page != "1":
        url += f"?page={page}"
    return redirect(url)


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own notifications, newest first."""
    page, entries = selectors.inbox_page(request.user, request.GET.get("page"))
    return render(
        request, "meetings/notifications/list.html", {"page_obj": page, "entries": entries}
    )


@require_POST
@login_required
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = selectors.get_notification_for(request.user, pk)
    services.notification_read(notification=notification, user=request.user)
    return _back_to_list(request)


@require_POST
@login_required
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    if services.notifications_read_all(user=request.user):
        messages.success(request, _("All your notifications are marked as read."))
    return _back_to_list(request)


@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    """Which non-essential reminders the person gets, and whether as a daily digest."""
    initial = NotificationSettingsForm.initial_for(selectors.own_settings(request.user))
    form = NotificationSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.notification_settings_save(
            user=request.user, wanted_kinds=form.cleaned_data["wanted_kinds"], digest=form.digest
        )
        messages.success(request, _("Your reminder settings have been saved."))
        return redirect("meetings:notification_settings")
    return render(
        request,
        "meetings/notifications/settings.html",
        {"form": form, "essential_kinds": selectors.essential_kinds()},
    )


@login_required
def reminder_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    """A school's programme leads set how many days before or after the reminders go out."""
    school = get_school_for(request.user, pk)
    form = ReminderScheduleForm(request.POST or None, instance=ReminderSchedule.of_school(school))
    if request.method == "POST" and form.is_valid():
        try:
            services.reminder_schedule_save(school=school, days=form.days)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The reminder lead times have been saved."))
            return redirect("communities:school", pk=school.pk)
    return render(request, "meetings/notifications/schedule.html", {"school": school, "form": form})


urlpatterns: list[URLPattern] = [
    path("notifications/", notification_list, name="notifications"),
    path("notifications/<int:pk>/read/", notification_read, name="notification_read"),
    path("notifications/read-all/", notifications_read_all, name="notifications_read_all"),
    path("account/reminders/", notification_settings, name="notification_settings"),
    path("school/<int:pk>/reminders/", reminder_schedule, name="reminder_schedule"),
]
