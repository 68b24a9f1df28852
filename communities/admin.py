from django.contrib import admin

from .audit import audit_programme_leads, audit_school_setting, audit_team_leaders
from .models import (
    Community,
    Holiday,
    LearningQuestion,
    Membership,
    Period,
    School,
    SchoolYear,
    Team,
)


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name", "admins__email", "admins__name"]
    list_filter = ["school_years__name"]
    filter_horizontal = ["admins"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # The settings can be changed here as well as on the school's own pages.
        for field in ("require_two_factor", "retention_years"):
            if change and field in form.changed_data:
                audit_school_setting(
                    school=obj,
                    field=field,
                    before=form.initial.get(field),
                    after=form.cleaned_data[field],
                    actor=request.user,
                )

    def save_related(self, request, form, formsets, change):
        # Programme leads are only changed here, so this is where the audit log hears of it.
        if "admins" in form.cleaned_data:
            before, after = form.instance.admins.all(), form.cleaned_data["admins"]
            audit_programme_leads(
                school=form.instance, before=before, after=after, actor=request.user
            )
        super().save_related(request, form, formsets, change)


class PeriodInline(admin.TabularInline):
    model = Period
    extra = 0


class HolidayInline(admin.TabularInline):
    model = Holiday
    extra = 0


@admin.register(SchoolYear)
class SchoolYearAdmin(admin.ModelAdmin):
    list_display = ["name", "school", "starts_on", "ends_on"]
    list_filter = ["school"]
    search_fields = ["name", "school__name"]
    list_select_related = ["school"]
    inlines = [PeriodInline, HolidayInline]


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ["__str__", "school_year", "starts_on", "ends_on"]
    list_filter = ["school_year__school", "school_year", "number"]
    search_fields = ["school_year__name", "school_year__school__name"]
    list_select_related = ["school_year"]


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["name", "school_year", "first_day", "last_day"]
    list_filter = ["school_year__school", "school_year"]
    search_fields = ["name"]
    list_select_related = ["school_year"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "school"]
    list_filter = ["school"]
    search_fields = ["name", "leaders__email", "leaders__name"]
    filter_horizontal = ["leaders"]
    list_select_related = ["school"]

    def save_related(self, request, form, formsets, change):
        if "leaders" in form.cleaned_data:
            leaders = form.cleaned_data["leaders"]
            audit_team_leaders(team=form.instance, leaders=leaders, actor=request.user)
        super().save_related(request, form, formsets, change)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    exclude = ["added_by"]


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ["name", "team", "school_year", "is_first_year", "created_at"]
    list_filter = ["team__school", "school_year", "is_first_year", "team"]
    search_fields = ["name", "team__name", "question"]
    list_select_related = ["team", "school_year"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "community",
        "is_participant",
        "is_teacher_leader",
        "is_development_team",
        "is_expert",
        "added_at",
    ]
    list_filter = [
        "is_participant",
        "is_teacher_leader",
        "is_development_team",
        "is_expert",
        "community__team__school",
    ]
    search_fields = ["user__email", "user__name", "community__name"]
    list_select_related = ["user", "community"]
    autocomplete_fields = ["user", "community"]
    readonly_fields = ["added_by", "added_at"]


@admin.register(LearningQuestion)
class LearningQuestionAdmin(admin.ModelAdmin):
    list_display = ["membership", "updated_at"]
    list_filter = ["membership__community__team__school", "updated_at"]
    search_fields = ["membership__user__email", "membership__community__name"]
    list_select_related = ["membership__user", "membership__community"]
