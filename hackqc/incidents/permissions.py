"""Who keeps the register: an edition's organizers its incidents, staff every incident and
those of the whole site. Views ask here."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from hackqc.permissions import is_organizer

from .models import Incident


def can_keep_register(user, edition) -> bool:
    """`edition` None: the site's own incidents, staff only."""
    if edition is None:
        return user.is_authenticated and user.is_active and user.is_staff
    return is_organizer(user, edition)


def get_incident(user, pk, *, edition) -> Incident:
    """Incident `pk` of `edition` (None: of the whole site) if `user` keeps that register;
    404 otherwise, so another edition's organizer cannot tell it exists."""
    incident = get_object_or_404(
        Incident.objects.select_related("edition", "recorded_by"), pk=pk, edition=edition
    )
    if not can_keep_register(user, edition):
        raise Http404
    return incident
