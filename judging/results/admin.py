"""Admin: prizes and conditions are editable; snapshots, awards and mails are read only,
because their changes must go through the services (reasons, staleness, publication)."""

from django.contrib import admin

from .models import Announcement, Award, AwardPolicy, Prize, ResultSnapshot


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Prize)
class PrizeAdmin(admin.ModelAdmin):
    list_display = ["name", "edition", "priority", "places", "eligibility", "round", "sponsor"]
    list_filter = ["edition"]
    search_fields = ["name", "sponsor"]


@admin.register(AwardPolicy)
class AwardPolicyAdmin(admin.ModelAdmin):
    list_display = ["edition", "require_repository", "require_licence"]


class AwardInline(admin.TabularInline):
    model = Award
    fields = ["prize", "place", "submission", "rank", "missing", "tied", "override_reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ResultSnapshot)
class ResultSnapshotAdmin(ReadOnlyAdmin):
    list_display = ["edition", "state", "computed_at", "published_at", "withdrawn_at"]
    list_filter = ["edition", "state"]
    inlines = [AwardInline]


@admin.register(Announcement)
class AnnouncementAdmin(ReadOnlyAdmin):
    list_display = ["edition", "user", "kind", "sent_at"]
    list_filter = ["edition", "kind"]
