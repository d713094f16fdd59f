from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from .admin_readonly import ReadOnlyAdmin, ReadOnlyTabularInline
from .models import AuditEntry, Challenge, Edition, EditionOrganizer, HostSite, User
from .roles import RoleConflictError, check_may_be_staff


def login_through_allauth(request, extra_context=None):
    """The admin's login page: allauth's, with its rate limits and lockout (the admin's own
    password form has none, and organizers are staff). Replaces `admin.site.login`."""
    target = request.GET.get(REDIRECT_FIELD_NAME, "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = ""
    target = target or reverse("admin:index")
    if not request.user.is_authenticated:
        return redirect_to_login(target, login_url=reverse("account_login"))
    if not (request.user.is_active and request.user.is_staff):
        # Signed in but not staff: allauth would send them straight back here.
        raise PermissionDenied
    return HttpResponseRedirect(target)


admin.site.login = login_through_allauth


class StaffForm(UserChangeForm):
    """Staff organize every edition: a judge or participant of one may not become staff."""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("is_staff") and not self.initial.get("is_staff"):
            try:
                check_may_be_staff(self.instance)
            except RoleConflictError as exc:
                raise ValidationError({"is_staff": exc.message}) from None
        return cleaned


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = StaffForm
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

    # Deleting a person erases the account instead (Law 25), by the same path as closing it
    # from the privacy page: teams, reviews and published results must not cascade away.
    def get_deleted_objects(self, objs, request):
        erased = [
            _("%(person)s: anonymised; their teams, reviews and results stay") % {"person": o}
            for o in objs
        ]
        return erased, {}, set(), []

    def delete_model(self, request, obj):
        from hackqc.privacy.erasure import erase_account
        from hackqc.privacy.models import ErasedAccount

        if not ErasedAccount.objects.filter(user=obj).exists():
            erase_account(obj, by=request.user, reason=ErasedAccount.Reason.ADMIN)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            self.delete_model(request, user)


class ChallengeInline(ReadOnlyTabularInline):
    model = Challenge


class HostSiteInline(ReadOnlyTabularInline):
    model = HostSite


class OrganizerInline(ReadOnlyTabularInline):
    model = EditionOrganizer


@admin.register(Edition)
class EditionAdmin(ReadOnlyAdmin):
    """Read-only: `update_edition` keeps a passed deadline where it is, `grant_organizer`
    keeps one role per person and edition; the organizer pages call them."""

    list_display = ["name", "year", "slug", "registration_opens", "submissions_close"]
    inlines = [ChallengeInline, HostSiteInline, OrganizerInline]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The log is read here, never written: entries are append-only."""

    list_display = ["at", "edition", "actor", "action", "target_label"]
    list_filter = ["action"]
    list_select_related = ["edition", "actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
