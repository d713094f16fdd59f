"""Read-only admin: prizes, conditions, snapshots, awards and mails change only through the
services (`save_prize`, `update_award_policy`, overrides with reasons, staleness,
publication), which the organizer pages call."""

from django.contrib import admin

from hackqc.admin_readonly import ReadOnlyAdmin, ReadOnlyTabularInline

from .models import Announcement, Award, AwardPolicy, Prize, ResultSnapshot


@admin.register(Prize)
class PrizeAdmin(ReadOnlyAdmin):
    list_display = ["name", "edition", "priority", "places", "eligibility", "round", "sponsor"]
    list_filter = ["edition"]
    search_fields = ["name", "sponsor"]


@admin.register(AwardPolicy)
class AwardPolicyAdmin(ReadOnlyAdmin):
    list_display = ["edition", "require_repository", "require_licence"]


class AwardInline(ReadOnlyTabularInline):
    model = Award
    fields = ["prize", "place", "submission", "rank", "missing", "tied", "override_reason"]


@admin.register(ResultSnapshot)
class ResultSnapshotAdmin(ReadOnlyAdmin):
    list_display = ["edition", "state", "computed_at", "published_at", "withdrawn_at"]
    list_filter = ["edition", "state"]
    inlines = [AwardInline]


@admin.register(Announcement)
class AnnouncementAdmin(ReadOnlyAdmin):
    list_display = ["edition", "user", "kind", "sent_at"]
    list_filter = ["edition", "kind"]
