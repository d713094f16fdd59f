"""Read-only admin: rounds, rubrics, judges, conflicts, assignments and finalists change only
through `judging.services` (deadline lock, conflicts of interest, one role per person and
edition, mails and logs), which the organizer pages call."""

from django.contrib import admin

from hackqc.admin_readonly import ReadOnlyAdmin, ReadOnlyTabularInline

from .models import (
    Assignment,
    Conflict,
    Criterion,
    Finalist,
    Judge,
    JudgeInvitation,
    Review,
    ReviewChange,
    Round,
)


class CriterionInline(ReadOnlyTabularInline):
    model = Criterion


@admin.register(Round)
class RoundAdmin(ReadOnlyAdmin):
    list_display = ["name", "edition", "number", "opens_at", "closes_at", "closed_at", "method"]
    list_filter = ["edition"]
    inlines = [CriterionInline]


@admin.register(Judge)
class JudgeAdmin(ReadOnlyAdmin):
    list_display = ["user", "edition", "organisation", "sponsor", "accepted_at"]
    list_filter = ["edition"]
    list_select_related = ["user", "edition"]
    search_fields = ["user__email", "user__display_name", "organisation"]


@admin.register(JudgeInvitation)
class JudgeInvitationAdmin(ReadOnlyAdmin):
    list_display = ["email", "edition", "created_at", "accepted_at", "revoked_at"]
    exclude = ["token"]


@admin.register(Conflict)
class ConflictAdmin(ReadOnlyAdmin):
    list_display = ["judge", "team", "organisation", "kind", "created_at", "lifted_at"]
    list_filter = ["kind"]
    list_select_related = ["judge__user", "team"]


class ReviewChangeInline(ReadOnlyTabularInline):
    model = ReviewChange


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    """Reviews change only through the judge's page, so the audit trail is whole."""

    list_display = ["judge", "submission", "round", "state", "version", "updated_at"]
    list_filter = ["state", "round"]
    list_select_related = ["judge__user", "submission", "round"]
    inlines = [ReviewChangeInline]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ["judge", "submission", "round"]
    list_filter = ["round"]
    list_select_related = ["judge__user", "submission", "round"]


@admin.register(Finalist)
class FinalistAdmin(ReadOnlyAdmin):
    list_display = ["submission", "round", "reason", "source_rank"]
    list_filter = ["round"]
    list_select_related = ["submission", "round"]
