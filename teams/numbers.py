"""Registrations and teams counted for the edition dashboard, each in one query."""

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, TruncDate

from .models import Membership, Registration, Team


def registrations_by_role_and_site(edition) -> list[dict]:
    """[{"role", "site" (host site's name, None without one), "n"}]. A team member is at
    their team's site; someone without a team (or whose team has none) at the site their
    registration names."""
    team_site = Membership.objects.filter(
        edition=OuterRef("edition"), user=OuterRef("user")
    ).values("team__host_site__name")[:1]
    return list(
        Registration.objects.filter(edition=edition)
        .annotate(site=Coalesce(Subquery(team_site), "host_site__name"))
        .values("role", "site")
        .annotate(n=Count("pk"))
        .order_by("site", "role")
    )


def registrations_per_day(edition) -> list[tuple]:
    """[(local date, registrations that day)] in date order."""
    return list(
        Registration.objects.filter(edition=edition)
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by("day")
        .values_list("day", "n")
    )


def teams_by_size_and_openness(edition) -> list[dict]:
    """[{"size", "is_open", "n"}]: how many teams of each size, open to new members or not."""
    size = (
        Membership.objects.filter(team=OuterRef("pk"))
        .values("team")
        .annotate(c=Count("pk"))
        .values("c")
    )
    return list(
        Team.objects.filter(edition=edition)
        .annotate(size=Coalesce(Subquery(size), Value(0), output_field=IntegerField()))
        .values("size", "is_open")
        .annotate(n=Count("pk"))
        .order_by("size", "is_open")
    )
