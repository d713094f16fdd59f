"""Each person's seat at a host site, within its capacity.

A person's host site is stored once, on their registration. A team member is at their team's
site: when a team chooses a site, or someone joins a team that has one, the members' seats
move there. Every seat change locks the site's row first, so two people cannot both take the
last seat; locks are always taken team first, then site, so two services cannot deadlock.
"""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hackqc.models import HostSite

from ..exceptions import RegistrationError, SiteFullError
from ..models import Membership, Registration


def lock_site(site) -> HostSite:
    """The site, its row locked until the transaction ends, so its seats are counted once."""
    return HostSite.objects.select_for_update().get(pk=site.pk)


def seats_taken(site) -> int:
    return Registration.objects.filter(host_site=site).count()


def check_room(site, *, coming: int):
    """Raises SiteFullError unless `coming` more people fit at the (locked) `site`."""
    if site.capacity is None or coming <= 0:
        return
    left = site.capacity - seats_taken(site)
    if coming > left:
        raise SiteFullError(
            ngettext(
                "%(site)s is full: %(left)s seat left for %(coming)s people.",
                "%(site)s is full: %(left)s seats left for %(coming)s people.",
                max(left, 0),
            )
            % {"site": site.name, "left": max(left, 0), "coming": coming},
            field="host_site",
        )


def seat_registration(registration, site):
    """Puts one registration at `site` (or at none), within the site's capacity.

    Called inside a service; the caller has locked any team first."""
    if site is not None and site.edition_id != registration.edition_id:
        raise RegistrationError(_("This host site belongs to another edition."), field="host_site")
    # The stored site, not the instance's: a model form has already set the new one on it.
    stored = registration.host_site_id
    if registration.pk:
        stored = Registration.objects.filter(pk=registration.pk).values_list(
            "host_site", flat=True
        )[0]
    if site is not None and site.pk != stored:
        check_room(lock_site(site), coming=1)
    registration.host_site = site
    if registration.pk:
        Registration.objects.filter(pk=registration.pk).update(host_site=site)


def seat_team(team):
    """Moves every member of `team` to its host site, if it has one, within capacity.

    Called inside a service that holds the team's lock."""
    if team.host_site_id is None:
        return
    site = lock_site(team.host_site)
    moving = Registration.objects.filter(
        edition=team.edition_id, user__memberships__team=team
    ).exclude(host_site=site)
    check_room(site, coming=moving.count())
    moving.update(host_site=site)


def team_site_of(registration):
    """The host site of the person's team, when the team has chosen one, else None."""
    membership = (
        Membership.objects.filter(edition=registration.edition_id, user=registration.user_id)
        .select_related("team__host_site")
        .first()
    )
    return membership.team.host_site if membership else None
