"""What the public may see, one predicate per rule, each with its query form.

Pages, statistics, search counts, open-data exports and tasks ask here, so that a rule
cannot drift between its copies (reuse statistics once counted editions still in
competition while the gallery hid them).

- The gallery of an edition is public once submissions close, or earlier if its organizers
  open it; never for a synthetic (generated) edition. Its projects, and what they reuse,
  are public with it.
- The results are public from their publication instant (`hackqc.phases`).
- A team's feedback comes only from reviews of rounds that are closed and that the
  published results used.
"""

from django.db.models import Q
from django.utils import timezone

from .phases import are_results_public

__all__ = ["are_results_public", "feedback_round_ids", "is_gallery_public", "public_gallery"]


def is_gallery_public(edition, now=None) -> bool:
    """Never for a synthetic (generated) edition."""
    if edition.is_synthetic:
        return False
    now = now or timezone.now()
    return edition.gallery_open_early or now >= edition.submissions_close


def public_gallery(edition_path="", now=None) -> Q:
    """`is_gallery_public` as a filter; `edition_path` leads from the queried model to its
    edition (`"submission__edition"`), empty for editions themselves."""
    prefix = f"{edition_path}__" if edition_path else ""
    now = now or timezone.now()
    return Q(**{f"{prefix}is_synthetic": False}) & (
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
