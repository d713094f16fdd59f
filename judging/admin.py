from django import forms
from django.contrib import admin

from hackqc.roles import Role, validate_role_free

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


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["name", "edition", "number", "opens_at", "closes_at", "closed_at", "method"]
    list_filter = ["edition"]
    inlines = [CriterionInline]


class JudgeForm(forms.ModelForm):
    """One role per person and edition, in the admin as through an invitation."""

    class Meta:
        model = Judge
        fields = [
            "edition", "user", "organisation", "preferred_challenges", "accepted_at", "sponsor"
        ]  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        user, edition = cleaned.get("user"), cleaned.get("edition")
        if user is not None and edition is not None:
            validate_role_free(edition, user, Role.JUDGE)
        return cleaned


@admin.register(Judge)
class JudgeAdmin(admin.ModelAdmin):
    form = JudgeForm
    list_display = ["user", "edition", "organisation", "sponsor", "accepted_at"]
    list_filter = ["edition"]
    list_select_related = ["user", "edition"]
    search_fields = ["user__email", "user__display_name", "organisation"]


@admin.register(JudgeInvitation)
class JudgeInvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "edition", "created_at", "accepted_at", "revoked_at"]
    exclude = ["token"]


@admin.register(Conflict)
class ConflictAdmin(admin.ModelAdmin):
    list_display = ["judge", "team", "organisation", "kind", "created_at", "lifted_at"]
    list_filter = ["kind"]
    list_select_related = ["judge__user", "team"]


class ReviewChangeInline(admin.TabularInline):
    model = ReviewChange
    extra = 0
    can_delete = False
    readonly_fields = ["action", "changed_by", "changed_at", "version", "old", "new"]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    """Read-only: reviews change only through the judge's page, so the audit trail is whole."""

    list_display = ["judge", "submission", "round", "state", "version", "updated_at"]
    list_filter = ["state", "round"]
    list_select_related = ["judge__user", "submission", "round"]
    inlines = [ReviewChangeInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


admin.site.register(Assignment)
admin.site.register(Finalist)
