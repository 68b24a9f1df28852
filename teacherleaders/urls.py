from django.urls import URLPattern

from .views import profile

app_name = "teacherleaders"

# Each area keeps its own routes next to its views.
urlpatterns: list[URLPattern] = [
    *profile.urlpatterns,
]
