"""Read-only admin (but for the technologies' vocabulary): a submission changes only through
`submissions.services` (deadline lock, one clock reading, versions, decisions with reasons),
which the team's and the organizers' pages call."""

from django.contrib import admin

from hackqc.admin_readonly import ReadOnlyAdmin, ReadOnlyTabularInline

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


class DatasetLinkInline(ReadOnlyTabularInline):
    model = DatasetLink


class LibraryInline(ReadOnlyTabularInline):
    model = Library


class ScreenshotInline(ReadOnlyTabularInline):
    model = Screenshot


class DecisionInline(ReadOnlyTabularInline):
    model = Decision


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "team", "edition", "state", "updated_at"]
    list_filter = ["edition", "state"]
    search_fields = ["title", "team__name"]
    list_select_related = ["team", "edition"]
    inlines = [DatasetLinkInline, LibraryInline, ScreenshotInline, DecisionInline]


@admin.register(SubmissionVersion)
class SubmissionVersionAdmin(ReadOnlyAdmin):
    """A version is immutable."""

    list_display = ["submission", "number", "submitted_by", "submitted_at"]
    list_filter = ["submission__edition"]
    list_select_related = ["submission", "submitted_by"]


@admin.register(Technology)
class TechnologyAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(DeadlineReminder)
class DeadlineReminderAdmin(ReadOnlyAdmin):
    list_display = ["team", "kind", "sent_at"]
    list_select_related = ["team"]
