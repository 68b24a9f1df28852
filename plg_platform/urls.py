from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", include("communities.urls")),
    path("", include("meetings.urls")),
    path("", include("casework.urls")),
    path("", include("teacherleaders.urls")),
    path("", include("plg_platform.users.urls")),
    # Addresses come from invitations: people do not add or swap e-mail addresses themselves.
    path("accounts/email/", views.not_found, name="account_email"),
    path("accounts/", include("allauth.urls")),
    path("health/", views.health, name="health"),
    # Also the benchmark's trivial view (tests/bench/load.py): the stack without any page work.
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("privacy/", views.privacy, name="privacy"),
    path(settings.ADMIN_URL, admin.site.urls),
]
