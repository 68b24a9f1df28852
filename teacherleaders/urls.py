from django.urls import URLPattern

from .views import leader_plg, overview, profile

app_name = "teacherleaders"

# Each area keeps its own routes next to its views.
urlpatterns: list[URLPattern] = [
    *profile.urlpatterns,
    *overview.urlpatterns,
    *leader_plg.urlpatterns,
]
