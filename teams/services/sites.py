"""Host sites on the day, write side: choosing one's site within its capacity, and
checking people in. The seat rules themselves are in `_seats`, shared with the team services.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from hackqc.service import service

from ..exceptions import CheckInError, RegistrationError
from ..models import Registration
from ._seats import seat_registration, team_site_of


@service
def choose_host_site(registration, *, site, by):
    """Sets where the person will be on the day; refused when the site is full, or when the
    person's team has chosen its site (they come with their team). Writes only the row."""
    team_site = team_site_of(registration)
    if team_site is not None and team_site != site:
        raise RegistrationError(
            _("You come with your team, to %(site)s: its captain chooses the site.")
            % {"site": team_site.name},
            field="host_site",
        )
    seat_registration(registration, site)
    return registration


@service
def check_in(registration, *, by) -> bool:
    """Marks the person arrived. Idempotent: a second check-in changes nothing and returns
    False (the first one's time and volunteer are kept). Only the edition's organizers and
    volunteers may. Writes only the row."""
    from ..permissions import can_check_in

    if not can_check_in(by, registration.edition):
        raise CheckInError(_("Only the organizers and volunteers of this edition check people in."))
    updated = Registration.objects.filter(pk=registration.pk, checked_in_at=None).update(
        checked_in_at=timezone.now(), checked_in_by=by
    )
    registration.refresh_from_db(fields=["checked_in_at", "checked_in_by"])
    return bool(updated)
