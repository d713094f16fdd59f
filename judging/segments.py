"""The jury's segment for announcements (hackqc.segments): judges who still have reviews to
submit in a round that is not closed."""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from hackqc import segments

from .models import Assignment, Review


def with_pending_reviews(edition, site=None):
    """Judges with an assignment in an open round whose review is neither submitted nor
    recused (a draft is still pending)."""
    done = Review.objects.filter(
        round=OuterRef("round"),
        judge=OuterRef("judge"),
        submission=OuterRef("submission"),
        state__in=[Review.State.SUBMITTED, Review.State.RECUSED],
    )
    pending = Assignment.objects.filter(
        round__edition=edition,
        round__opens_at__lte=Now(),
        round__closed_at=None,
        judge__user=OuterRef("pk"),
    ).filter(~Exists(done))
    return get_user_model().objects.filter(Exists(pending))


segments.register("judging.pending", _("Judges with pending reviews"), with_pending_reviews)
