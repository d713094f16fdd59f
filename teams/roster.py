"""Host sites on the day, read side: seats and arrivals per site, and each site's roster.

Dietary and accessibility needs are personal and sensitive (Law 25): they are read here only
for the organizers' roster and its export; the check-in page for volunteers never asks for
them.
"""

from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from hackqc import audit
from hackqc.models import HostSite

from .models import Membership, Registration

NO_SITE = "none"

# Downloads of personal data, logged by `hackqc.personal_exports.LoggedDownloadMixin`.
ROSTER_DOWNLOADED = audit.action(
    "export.roster", _("Downloaded a host site's roster with needs (personal data)")
)
NAME_TAGS_DOWNLOADED = audit.action(
    "export.name_tags", _("Downloaded a host site's name tags (personal data)")
)


@dataclass
class Roster:
    """One site's people, grouped as the organizers read them on the day."""

    site: HostSite | None
    teams: list = field(default_factory=list)  # [(team name, [registration, …]), …]
    without_team: list = field(default_factory=list)
    mentors: list = field(default_factory=list)
    volunteers: list = field(default_factory=list)

    @property
    def people(self) -> list:
        members = [person for _name, people in self.teams for person in people]
        return members + self.without_team + self.mentors + self.volunteers


def site_counts(edition):
    """Each site of `edition` with `seats` (people there) and `arrived` (checked in), plus a
    last row for the people with no site, in two queries."""
    arrived = Q(registrations__checked_in_at__isnull=False)
    sites = list(
        HostSite.objects.filter(edition=edition)
        .annotate(seats=Count("registrations"), arrived=Count("registrations", filter=arrived))
        .order_by("name")
    )
    for site in sites:
        site.seats_left = None if site.capacity is None else max(site.capacity - site.seats, 0)
    unseated = Registration.objects.filter(edition=edition, host_site=None).aggregate(
        seats=Count("pk"), arrived=Count("pk", filter=Q(checked_in_at__isnull=False))
    )
    return sites, unseated


def site_from_choice(edition, choice):
    """The site a `?site=` value names: a site of `edition`, None for "no site" (NO_SITE),
    or False for every site (no value)."""
    if not choice:
        return False
    if choice == NO_SITE:
        return None
    if not str(choice).isdigit() or len(str(choice)) > 12:
        return False
    return HostSite.objects.filter(edition=edition, pk=int(choice)).first() or False


def roster_registrations(edition, site=False):
    """Registrations of `edition` at `site` (None: no site; False: everyone), with the team
    name, in one query."""
    team = Membership.objects.filter(edition=OuterRef("edition"), user=OuterRef("user"))
    people = Registration.objects.filter(edition=edition)
    if site is not False:
        people = people.filter(host_site=site)
    return (
        people.select_related("user", "host_site")
        .annotate(team_name=Subquery(team.values("team__name")[:1]))
        .order_by("user__display_name", "pk")
    )


def site_roster(edition, site=False) -> Roster:
    roster = Roster(site=site or None)
    teams: dict[str, list] = {}
    for person in roster_registrations(edition, site):
        if person.role == Registration.Role.MENTOR:
            roster.mentors.append(person)
        elif person.role == Registration.Role.VOLUNTEER:
            roster.volunteers.append(person)
        elif person.team_name:
            teams.setdefault(person.team_name, []).append(person)
        else:
            roster.without_team.append(person)
    roster.teams = sorted(teams.items(), key=lambda item: item[0].casefold())
    return roster


def recent_check_ins(edition, limit=20):
    return (
        Registration.objects.filter(edition=edition, checked_in_at__isnull=False)
        .select_related("user", "host_site")
        .order_by("-checked_in_at", "-pk")[:limit]
    )
