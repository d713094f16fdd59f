from django.contrib import admin

from hackqc.admin_readonly import ReadOnlyAdmin

from .models import Dataset, Format, Group, Licence, Organization, Portal, SyncRun


@admin.register(Portal)
class PortalAdmin(ReadOnlyAdmin):
    """Read-only: staff add and change portals on /organize/portals/, whose services refuse
    addresses the sync must not fetch (SSRF) and write the audit log."""

    list_display = ["name", "title", "api_url", "is_enabled"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["title", "name", "portal"]
    list_filter = ["portal"]
    search_fields = ["title", "name"]


@admin.register(Dataset)
class DatasetAdmin(ReadOnlyAdmin):
    """Read-only: the sync owns every field, so edits here would be overwritten."""

    list_display = ["title", "name", "organization", "state", "metadata_modified"]
    list_filter = ["state", "portal"]
    search_fields = ["title", "name", "ckan_id"]
    list_select_related = ["organization"]


@admin.register(SyncRun)
class SyncRunAdmin(admin.ModelAdmin):
    list_display = ["created_at", "portal", "status", "created", "updated", "withdrawn", "skipped"]
    list_filter = ["status", "portal"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


admin.site.register([Licence, Group, Format])
