from django.urls import path

from . import account_views, audit_views, health_views, product_views, retention_views, views

app_name = "communities"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("plg/<int:pk>/", views.community_detail, name="detail"),
    path("plg/<int:pk>/edit/", views.community_edit, name="edit"),
    path("plg/<int:pk>/learning-question/", views.learning_question, name="learning_question"),
    path("plg/<int:pk>/members/add/", views.member_add, name="member_add"),
    path("plg/<int:pk>/members/<int:membership_pk>/", views.member_edit, name="member_edit"),
    path(
        "plg/<int:pk>/members/<int:membership_pk>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path(
        "plg/<int:pk>/members/<int:membership_pk>/reinvite/",
        views.member_reinvite,
        name="member_reinvite",
    ),
    path("plg/<int:pk>/health/", health_views.health_overview, name="health"),
    path("plg/<int:pk>/health/dates/", health_views.health_dates, name="health_dates"),
    path("plg/<int:pk>/health/<int:number>/", health_views.health_moment, name="health_moment"),
    path(
        "plg/<int:pk>/health/<int:number>/answer/",
        health_views.health_answer,
        name="health_answer",
    ),
    path(
        "plg/<int:pk>/health/<int:number>/actions/new/",
        health_views.health_action_add,
        name="health_action_add",
    ),
    path(
        "plg/<int:pk>/health/actions/<int:action_pk>/",
        health_views.health_action_edit,
        name="health_action_edit",
    ),
    path("school/", views.school_list, name="school_list"),
    path("school/<int:pk>/", views.school_detail, name="school"),
    path("school/<int:pk>/edit/", views.school_edit, name="school_edit"),
    path("school/<int:pk>/retention/", retention_views.school_retention, name="retention"),
    path("school/<int:pk>/people/", account_views.school_people_list, name="school_people"),
    path(
        "school/<int:pk>/people/<int:person_pk>/delete/",
        account_views.school_account_delete,
        name="account_delete",
    ),
    path("school/<int:pk>/years/new/", views.school_year_create, name="school_year_create"),
    path("school/<int:pk>/teams/new/", views.team_create, name="team_create"),
    path("school/<int:pk>/plgs/new/", views.community_create, name="community_create"),
    path("school-year/<int:pk>/", views.school_year_edit, name="school_year_edit"),
    path("team/<int:pk>/", views.team_edit, name="team_edit"),
    *product_views.urlpatterns,
    *audit_views.urlpatterns,
]
