"""The teams app's segments for announcements (hackqc.segments): the people registered for
an edition, by role and by host site."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hackqc import segments

from .models import Registration


def participants(edition, site=None):
    """Registered as participants, or members of a team (a member always is a participant)."""
    return get_user_model().objects.filter(
        Q(registrations__edition=edition, registrations__role=Registration.Role.PARTICIPANT)
        | Q(memberships__edition=edition)
    )


def mentors(edition, site=None):
    return get_user_model().objects.filter(
        registrations__edition=edition, registrations__role=Registration.Role.MENTOR
    )


def volunteers(edition, site=None):
    return get_user_model().objects.filter(
        registrations__edition=edition, registrations__role=Registration.Role.VOLUNTEER
    )


def at_site(edition, site):
    """Everyone expected at `site`: registered there (any role), or in a team held there."""
    return get_user_model().objects.filter(
        Q(registrations__edition=edition, registrations__host_site=site)
        | Q(memberships__edition=edition, memberships__team__host_site=site)
    )


segments.register("teams.participants", _("All participants"), participants)
segments.register("teams.mentors", _("Mentors"), mentors)
segments.register("teams.volunteers", _("Volunteers"), volunteers)
segments.register("teams.site", _("Everyone at a host site"), at_site, per_site=True)
