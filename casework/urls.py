from django.urls import URLPattern

from .views import cases, evaluations, groups, live, reflections, reports, steps, yearly

app_name = "casework"

# Each area of a case session keeps its own routes next to its views.
urlpatterns: list[URLPattern] = [
    *cases.urlpatterns,
    *evaluations.urlpatterns,
    *groups.urlpatterns,
    *live.urlpatterns,
    *reflections.urlpatterns,
    *reports.urlpatterns,
    *steps.urlpatterns,
    *yearly.urlpatterns,
]
