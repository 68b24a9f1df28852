from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("plg/<int:pk>/year-plan/", views.year_plan, name="year_plan"),
]
