"""Admin for case sessions. What is private or only for a small group stays out of it:
reflections are not registered, and case texts and phase notes are not shown."""

from django.contrib import admin

from .models import GroupSplit, MeetingReport, MeetingRun, NextStep, SmallGroup, WorkCase


@admin.register(WorkCase)
class WorkCaseAdmin(admin.ModelAdmin):
    list_display = ["title", "presenter", "meeting", "status", "submitted_at"]
    list_filter = ["status", "meeting__community__team__school"]
    search_fields = ["title", "presenter__name", "meeting__community__name"]
    list_select_related = ["presenter", "meeting__community"]
    # The situation, question and what was tried are for the small group only.
    fields = ["meeting", "presenter", "title", "status", "submitted_at"]
    readonly_fields = fields


@admin.register(GroupSplit)
class GroupSplitAdmin(admin.ModelAdmin):
    list_display = ["meeting", "min_size", "max_size", "repeated_pairs", "made_by", "made_at"]
    list_select_related = ["meeting__community", "made_by"]


class SmallGroupAdmin(admin.ModelAdmin):
    list_display = ["__str__", "meeting", "leader", "phase"]
    list_select_related = ["meeting__community", "leader"]
    fields = ["meeting", "number", "leader", "phase"]
    readonly_fields = ["meeting"]


admin.site.register(SmallGroup, SmallGroupAdmin)


@admin.register(MeetingRun)
class MeetingRunAdmin(admin.ModelAdmin):
    list_display = ["meeting", "phase", "started_at", "closed_at"]
    list_select_related = ["meeting__community"]


@admin.register(NextStep)
class NextStepAdmin(admin.ModelAdmin):
    list_display = ["presenter", "meeting", "status", "reviewed_at"]
    list_filter = ["status"]
    list_select_related = ["presenter", "meeting__community"]
    fields = ["meeting", "presenter", "status", "reviewed_at"]
    readonly_fields = fields


@admin.register(MeetingReport)
class MeetingReportAdmin(admin.ModelAdmin):
    list_display = ["meeting", "status", "finalised_at", "discussed_at"]
    list_filter = ["status", "meeting__community__team__school"]
    list_select_related = ["meeting__community"]
    # Read-only: drafts belong to the preparers, and a final report only changes through the
    # app's services (which keep the meeting status and history right). No section text here.
    fields = [
        "meeting",
        "status",
        "compiled_at",
        "finalised_at",
        "finalised_by",
        "discussed_at",
        "discussed_by",
    ]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False
