"""Who may run the catalogue sync. The catalogue itself is public data: anyone may read it."""

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from hackqc.models import EditionOrganizer

from .models import Portal, SyncRun


def can_sync_catalogue(user) -> bool:
    """Staff and the organizers of any edition: the catalogue is shared by every edition."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_staff or EditionOrganizer.objects.filter(user=user).exists()


def get_sync_run_for_user(user, pk) -> SyncRun:
    """The run `pk` for someone who may sync, or 404 / 403 (runs hold no secret)."""
    run = get_object_or_404(SyncRun.objects.select_related("portal", "started_by"), pk=pk)
    if not can_sync_catalogue(user):
        raise PermissionDenied
    return run


class CatalogueSyncerRequiredMixin(AccessMixin):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not can_sync_catalogue(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def get_portal_for_staff(user, pk) -> Portal:
    """The portal `pk` for staff, or 404 / 403 (the list of portals is public anyway)."""
    portal = get_object_or_404(Portal, pk=pk)
    if not (user.is_authenticated and user.is_active and user.is_staff):
        raise PermissionDenied
    return portal
