from django.urls import path

from . import views

app_name = "users"

urlpatterns = [
    path("account/settings/", views.account_settings, name="settings"),
    path("account/delete/", views.account_delete, name="account_delete"),
    path("account/my-data.zip", views.data_download, name="data_download"),
    path("language/", views.language_switch, name="language"),
    path("invitation/<str:uidb64>/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
