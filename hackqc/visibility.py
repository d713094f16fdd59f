"""What the public may see, one predicate per rule, each with its query form.

Pages, statistics, search counts, open-data exports and tasks ask here, so that a rule
cannot drift between its copies (reuse statistics once counted editions still in
competition while the gallery hid them).

- An edition is public once published, and stays public archived; a draft is seen by its
  organizers (and staff) only, and a synthetic (generated) edition by nobody else either.
  Everything of an edition (its pages, teams, projects, results, open data, reuses) is
  public with it and only with it: outsiders, its participants included, get a 404.
- The gallery of an edition is public once submissions close, or earlier if its organizers
  open it; never for a synthetic (generated) edition. Its projects, and what they reuse,
  are public with it.
- The results are public from their publication instant (`hackqc.phases`).
- A team's feedback comes only from reviews of rounds that are closed and that the
  published results used.
"""

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .models.editions import Edition, EditionOrganizer, EditionStatus
from .permissions import is_organizer
from .phases import are_results_public

__all__ = [
    "are_results_public",
    "feedback_round_ids",
    "get_visible_edition",
    "is_edition_public",
    "is_edition_visible",
    "is_gallery_public",
    "public_editions",
    "public_gallery",
    "visible_editions",
]

PUBLIC_STATUSES = (EditionStatus.PUBLISHED, EditionStatus.ARCHIVED)


def is_edition_public(edition) -> bool:
    """Published or archived, and not synthetic (generated test data)."""
    return not edition.is_synthetic and edition.status in PUBLIC_STATUSES


def public_editions(edition_path="") -> Q:
    """`is_edition_public` as a filter; `edition_path` leads from the queried model to its
    edition (`"submission__edition"`), empty for editions themselves."""
    prefix = f"{edition_path}__" if edition_path else ""
    return Q(**{f"{prefix}is_synthetic": False, f"{prefix}status__in": PUBLIC_STATUSES})


def is_edition_visible(edition, user) -> bool:
    """Whether `user` may see `edition` at all: the public if it is public, its organizers
    (and staff) always."""
    return is_edition_public(edition) or is_organizer(user, edition)


def visible_editions(user, edition_path=""):
    """`is_edition_visible` as a filter for `user`."""
    visible = public_editions(edition_path)
    if user.is_authenticated and user.is_active:
        if user.is_staff:
            return Q()
        organized = EditionOrganizer.objects.filter(user=user).values("edition_id")
        visible |= Q(**{f"{edition_path or 'pk'}__in": organized})
    return visible


def check_edition_visible(user, edition) -> None:
    """Raises 404 when `user` may not see `edition`: a 403 would tell that it exists."""
    if not is_edition_visible(edition, user):
        raise Http404


def get_visible_edition(user, slug, queryset=None) -> Edition:
    """The edition named by `slug` if `user` may see it, else 404."""
    edition = get_object_or_404(queryset if queryset is not None else Edition, slug=slug)
    check_edition_visible(user, edition)
    return edition


def is_gallery_public(edition, now=None) -> bool:
    """Never for an edition that is not public (a draft, a synthetic one)."""
    if not is_edition_public(edition):
        return False
    now = now or timezone.now()
    return edition.gallery_open_early or now >= edition.submissions_close


def public_gallery(edition_path="", now=None) -> Q:
    """`is_gallery_public` as a filter; `edition_path` leads from the queried model to its
    edition (`"submission__edition"`), empty for editions themselves."""
    prefix = f"{edition_path}__" if edition_path else ""
    now = now or timezone.now()
    return public_editions(edition_path) & (
        Q(**{f"{prefix}gallery_open_early": True}) | Q(**{f"{prefix}submissions_close__lte": now})
    )


def feedback_round_ids(snapshot, rounds) -> set[int]:
    """Of `rounds` (with `pk` and `closed_at`), those whose reviews a team may read under the
    published `snapshot`: closed, and used by it. None published: none."""
    if snapshot is None:
        return set()
    used = {int(round_id) for round_id in snapshot.rankings}
    if snapshot.main_round_id is not None:
        used.add(snapshot.main_round_id)
    return {round.pk for round in rounds if round.closed_at is not None and round.pk in used}
