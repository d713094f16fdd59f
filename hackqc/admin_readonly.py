"""The admin browses what a service guards; it never writes it.

Editions, rounds, rubrics, judges, conflicts, assignments, finalists, prizes, submissions and
teams change only through their services (the organizer pages call them), which enforce the
deadline lock, conflicts of interest, one role per person and edition, and record who did
what. An admin form saving the row directly would skip all of it, so these admins are
read-only: staff see every field, and change things on the organizer pages.
"""

from django.contrib import admin


class ReadOnlyMixin:
    """No add, change or delete (and so no bulk delete action); viewing stays allowed."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    pass


class ReadOnlyTabularInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0
