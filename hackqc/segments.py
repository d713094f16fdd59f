"""Who an announcement reaches: the registry of segments.

Each app names its own segments in its own `segments.py` (`teams/segments.py`,
`submissions/segments.py`, `judging/segments.py`), from its own models, so the core imports
no other app's models (issue 13):

    segments.register("teams.mentors", _("Mentors"), mentors)

where `mentors(edition, site)` returns a queryset of users (`site` is the HostSite of a
segment registered with `per_site=True`, else None). The registry then keeps only the
people a mail can reach (an active account, not erased, its address verified) and each
person once, whatever the number of teams or roles that put them in the segment.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

from .models import HostSite


@dataclass(frozen=True)
class Segment:
    code: str  # "<app>.<who>"
    label: Promise | str
    members: Callable  # (edition, site) -> QuerySet of users
    per_site: bool = False  # takes one host site of the edition


_segments: dict[str, Segment] = {}

CODE_MAX_LENGTH = 40


def register(code: str, label, members, *, per_site=False) -> Segment:
    """Adds a segment; registering the same code twice with another function is a mistake."""
    if len(code) > CODE_MAX_LENGTH:
        raise ValueError(f"segment code too long: {code}")
    segment = Segment(code, label, members, per_site)
    if _segments.get(code, segment).members is not members:
        raise ValueError(f"segment {code} registered twice")
    _segments[code] = segment
    return segment


def all_segments() -> dict[str, Segment]:
    """Every segment, once each app's `segments` module is imported, in registration order."""
    autodiscover_modules("segments")
    return dict(_segments)


def get(code: str) -> Segment | None:
    return all_segments().get(code)


def reachable(users):
    """`users` a mail can reach, each once, in a stable order: active, not erased, their
    address verified (allauth)."""
    from allauth.account.models import EmailAddress

    verified = EmailAddress.objects.filter(
        user=OuterRef("pk"), email__iexact=OuterRef("email"), verified=True
    )
    return (
        get_user_model()
        .objects.filter(pk__in=users.values("pk"), is_active=True)
        .exclude(email__endswith="@erased.invalid")
        .filter(Exists(verified))
        .order_by("pk")
    )


def recipients(edition, code: str, site=None):
    """The people `code` names in `edition` (at `site` for a per-site segment) whom a mail can
    reach; nobody for an unknown segment or a site of another edition."""
    segment = get(code)
    User = get_user_model()
    if segment is None or (segment.per_site and (site is None or site.edition_id != edition.pk)):
        return User.objects.none()
    return reachable(segment.members(edition, site if segment.per_site else None))


def label(code: str, site=None) -> str:
    """The segment's name for people: "Everyone at a host site: Montréal"."""
    segment = get(code)
    if segment is None:
        return code
    if segment.per_site and site is not None:
        return _("%(segment)s: %(site)s") % {"segment": segment.label, "site": site.name}
    return str(segment.label)


@dataclass(frozen=True)
class Choice:
    value: str  # "code" or "code:<site id>"
    label: str
    count: int


def choices(edition) -> list[Choice]:
    """Every segment of `edition` with its number of recipients; a per-site segment once per
    host site of the edition."""
    sites = list(HostSite.objects.filter(edition=edition).order_by("name"))
    result = []
    for segment in all_segments().values():
        for site in sites if segment.per_site else [None]:
            value = f"{segment.code}:{site.pk}" if site else segment.code
            count = recipients(edition, segment.code, site).count()
            result.append(Choice(value, label(segment.code, site), count))
    return result


def parse_choice(edition, value: str):
    """(code, site) for a choice's value, or None when it names no segment of `edition`."""
    code, _sep, site_id = str(value).partition(":")
    segment = get(code)
    if segment is None or segment.per_site != bool(site_id):
        return None
    if not site_id:
        return code, None
    if not site_id.isdigit() or len(site_id) > 12:
        return None
    site = HostSite.objects.filter(edition=edition, pk=int(site_id)).first()
    return (code, site) if site else None
