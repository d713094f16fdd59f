from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Challenge, Edition, EditionOrganizer, HostSite, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "is_staff", "is_active"]
    search_fields = ["email", "display_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profile"), {"fields": ("display_name", "preferred_language")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("email", "display_name", "password1", "password2")},
        ),
    )


class ChallengeInline(admin.TabularInline):
    model = Challenge
    extra = 0


class HostSiteInline(admin.TabularInline):
    model = HostSite
    extra = 0


class OrganizerInline(admin.TabularInline):
    model = EditionOrganizer
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "slug", "registration_opens", "submissions_close"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ChallengeInline, HostSiteInline, OrganizerInline]
