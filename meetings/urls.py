from django.urls import URLPattern

from .views import attendance, calendar, notifications, plan, preparation, themes

app_name = "meetings"

# Each area of the calendar keeps its own routes next to its views.
urlpatterns: list[URLPattern] = [
    *plan.urlpatterns,
    *themes.urlpatterns,
    *preparation.urlpatterns,
    *attendance.urlpatterns,
    *calendar.urlpatterns,
    *notifications.urlpatterns,
]
