"""Read-mostly admin: writes go through the services and the organizer pages."""

from django.contrib import admin

from .models import (
    DatasetLink,
    DeadlineReminder,
    Decision,
    Library,
    Screenshot,
    Submission,
    SubmissionVersion,
    Technology,
)


class DatasetLinkInline(admin.TabularInline):
    model = DatasetLink
    extra = 0
    raw_id_fields = ["dataset"]


class LibraryInline(admin.TabularInline):
    model = Library
    extra = 0


class ScreenshotInline(admin.TabularInline):
    model = Screenshot
    extra = 0
    readonly_fields = ["image", "thumbnail"]


class DecisionInline(admin.TabularInline):
    model = Decision
    extra = 0
    readonly_fields = ["kind", "reason", "until", "decided_by", "decided_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "team", "edition", "state", "updated_at"]
    list_filter = ["edition", "state"]
    search_fields = ["title", "team__name"]
    list_select_related = ["team", "edition"]
    readonly_fields = ["state", "lock_version", "reopened_until", "created_at", "updated_at"]
    inlines = [DatasetLinkInline, LibraryInline, ScreenshotInline, DecisionInline]


@admin.register(SubmissionVersion)
class SubmissionVersionAdmin(admin.ModelAdmin):
    list_display = ["submission", "number", "submitted_by", "submitted_at"]
    list_filter = ["submission__edition"]
    list_select_related = ["submission", "submitted_by"]

    def has_change_permission(self, request, obj=None):
        return False  # a version is immutable


@admin.register(Technology)
class TechnologyAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(DeadlineReminder)
class DeadlineReminderAdmin(admin.ModelAdmin):
    list_display = ["team", "kind", "sent_at"]
    list_select_related = ["team"]
