from django.urls import URLPattern

from .views import leader_plg, profile

app_name = "teacherleaders"

# Each area keeps its own routes next to its views.
urlpatterns: list[URLPattern] = [
    *profile.urlpatterns,
    *leader_plg.urlpatterns,
]
