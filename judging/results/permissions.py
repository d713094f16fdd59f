"""Who may see and change results. Editions are public, so organizer pages answer 403;
a team's feedback answers 404 to anyone but its members."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from hackqc.permissions import get_edition_for_organizer
from hackqc.phases import are_results_public
from submissions.models import Submission
from teams.models import Membership

from .models import Award, Prize, ResultSnapshot


def get_own_submission(user, edition, now=None) -> Submission:
    """The submission of `user`'s team in `edition`, or 404 (not a member, not published)."""
    if not user.is_authenticated or not are_results_public(edition, now):
        raise Http404
    membership = Membership.objects.filter(edition=edition, user=user).select_related("team")
    membership = membership.first()
    if membership is None:
        raise Http404
    return get_object_or_404(
        Submission.objects.select_related("team", "challenge", "edition"),
        team=membership.team,
        state=Submission.State.SUBMITTED,
    )


def get_prize_for_organizer(user, slug, pk) -> Prize:
    edition = get_edition_for_organizer(user, slug)
    return get_object_or_404(Prize, pk=pk, edition=edition)


def get_snapshot_for_organizer(user, slug, pk) -> ResultSnapshot:
    edition = get_edition_for_organizer(user, slug)
    return get_object_or_404(
        ResultSnapshot.objects.select_related("edition", "main_round"), pk=pk, edition=edition
    )


def get_award_for_organizer(user, slug, pk) -> Award:
    edition = get_edition_for_organizer(user, slug)
    return get_object_or_404(
        Award.objects.select_related("snapshot__edition", "prize", "submission__team"),
        pk=pk,
        snapshot__edition=edition,
    )
