from django.contrib import admin

from .models import (
    AbsenceRequest,
    AgendaItem,
    Attendance,
    CalendarFeed,
    Meeting,
    MeetingChange,
    MeetingMaterial,
    MeetingPreparer,
    Notification,
    ReminderSchedule,
    Theme,
    ThemeIntroduction,
    ThemeProposal,
    ThemeVoting,
)


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["title", "school", "in_library"]
    list_filter = ["school", "in_library"]
    search_fields = ["title", "description"]
    list_select_related = ["school"]


class MeetingChangeInline(admin.TabularInline):
    model = MeetingChange
    extra = 0
    readonly_fields = ["actor", "changed_at", "kind", "summary"]
    fields = readonly_fields


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "community", "starts_at", "location", "theme", "status"]
    list_filter = ["status", "team_leader_expected", "community__team__school"]
    search_fields = ["community__name", "location", "theme__title"]
    list_select_related = ["community", "theme"]
    date_hierarchy = "starts_at"
    inlines = [MeetingChangeInline]


class PreparerInline(admin.TabularInline):
    model = MeetingPreparer
    extra = 0
    raw_id_fields = ["user"]


class AgendaInline(admin.TabularInline):
    model = AgendaItem
    extra = 0


MeetingAdmin.inlines = [PreparerInline, AgendaInline, MeetingChangeInline]


@admin.register(MeetingChange)
class MeetingChangeAdmin(admin.ModelAdmin):
    list_display = ["meeting", "actor", "changed_at", "kind", "summary"]
    list_filter = ["kind"]
    search_fields = ["meeting__community__name", "actor__email"]
    list_select_related = ["meeting__community", "actor"]


@admin.register(ThemeIntroduction)
class ThemeIntroductionAdmin(admin.ModelAdmin):
    list_display = ["meeting", "kind", "title", "speaker_name"]
    list_filter = ["kind"]
    search_fields = ["title", "speaker_name", "speaker_organisation"]
    list_select_related = ["meeting__community"]


@admin.register(MeetingMaterial)
class MeetingMaterialAdmin(admin.ModelAdmin):
    list_display = ["title", "meeting", "url", "file", "added_at"]
    search_fields = ["title", "url"]
    list_select_related = ["meeting__community"]


@admin.register(ThemeProposal)
class ThemeProposalAdmin(admin.ModelAdmin):
    list_display = ["title", "community", "author", "created_at"]
    list_filter = ["community__team__school"]
    search_fields = ["title", "community__name"]
    list_select_related = ["community", "author"]


@admin.register(ThemeVoting)
class ThemeVotingAdmin(admin.ModelAdmin):
    list_display = ["community", "votes_per_member", "closed_at"]
    list_select_related = ["community"]


@admin.register(AbsenceRequest)
class AbsenceRequestAdmin(admin.ModelAdmin):
    """The reason is personal: only the member and the deciding team leader read it."""

    list_display = ["meeting", "member", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["member__email", "meeting__community__name"]
    list_select_related = ["meeting__community", "member"]
    exclude = ["reason"]
    readonly_fields = ["meeting", "member", "created_at"]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["meeting", "member", "status", "recorded_at"]
    list_filter = ["status"]
    search_fields = ["member__email", "meeting__community__name"]
    list_select_related = ["meeting__community", "member"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    """Tokens are secrets: the admin shows who has a feed, never the token."""

    list_display = ["user", "created_at"]
    search_fields = ["user__email"]
    exclude = ["token"]
    readonly_fields = ["user", "created_at"]


@admin.register(ReminderSchedule)
class ReminderScheduleAdmin(admin.ModelAdmin):
    list_display = ["school", "meeting_first_days", "meeting_second_days", "prepare_days"]
    list_select_related = ["school"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: to see what went out and what was dropped; the details stay out of view."""

    list_display = [
        "kind",
        "recipient",
        "meeting",
        "delivery",
        "created_at",
        "sent_at",
        "dropped_at",
        "attempts",
        "last_error",
    ]
    list_filter = ["kind", "delivery"]
    list_select_related = ["recipient", "meeting__community"]
    date_hierarchy = "created_at"
    exclude = ["payload"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        # The row is the proof a reminder went out: deleted, the next run would send it again.
        return False
