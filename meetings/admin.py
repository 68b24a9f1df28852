from django.contrib import admin

from .models import Meeting, MeetingChange, Theme


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["title", "school", "in_library"]
    list_filter = ["school", "in_library"]
    search_fields = ["title", "description"]
    list_select_related = ["school"]


class MeetingChangeInline(admin.TabularInline):
    model = MeetingChange
    extra = 0
    readonly_fields = ["actor", "changed_at", "description"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "community", "starts_at", "location", "theme", "status"]
    list_filter = ["status", "team_leader_expected", "community__team__school"]
    search_fields = ["community__name", "location", "theme__title"]
    list_select_related = ["community", "theme"]
    date_hierarchy = "starts_at"
    inlines = [MeetingChangeInline]


@admin.register(MeetingChange)
class MeetingChangeAdmin(admin.ModelAdmin):
    list_display = ["meeting", "actor", "changed_at", "description"]
    search_fields = ["description", "meeting__community__name"]
    list_select_related = ["meeting__community", "actor"]
