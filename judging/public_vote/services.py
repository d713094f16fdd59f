"""Writes of the people's vote: the organizers' window, a vote, a voided vote."""

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from hackqc.exceptions import HackQCError
from hackqc.service import service

from . import rules
from .models import PublicVote, VoteWindow
from .queries import ballot

# An account may cast or change its vote this many times a minute (a script is refused).
RATE_LIMIT = 10


class VoteError(HackQCError):
    pass


@service
def set_vote_window(edition, *, by, prize, opens_at, closes_at) -> VoteWindow:
    """Opens (or moves) the people's vote of `edition`, decided by `prize`."""
    if prize.edition_id != edition.pk:
        raise VoteError(_("This prize is not one of the edition's."), field="prize")
    if prize.round_id is not None:
        raise VoteError(
            _("This prize is decided by a jury round: choose a prize without one."),
            field="prize",
        )
    if not opens_at < closes_at:
        raise VoteError(_("The vote must close after it opens."), field="closes_at")
    window, _created = VoteWindow.objects.update_or_create(
        edition=edition,
        defaults={"prize": prize, "opens_at": opens_at, "closes_at": closes_at, "updated_by": by},
    )
    return window


def _rate_limited(user) -> bool:
    key = f"public-vote-rate:{user.pk}"
    cache.add(key, 0, timeout=60)
    try:
        return cache.incr(key) > RATE_LIMIT
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=60)
        return False


@service
def cast_vote(edition, *, user, submission, now=None) -> PublicVote:
    """`user`'s vote for `submission`, or their vote moved to it: one per account and edition
    (the database's unique constraint), until the window closes."""
    now = now or timezone.now()
    window = rules.window_of(edition)
    reason = rules.refusal(user, edition, submission, window, now)
    if reason:
        raise VoteError(reason)
    if not ballot(edition).filter(pk=submission.pk).exists():
        raise VoteError(_("This project is not part of the vote."))
    if _rate_limited(user):
        raise VoteError(_("Too many votes in a minute: wait a moment and try again."))
    vote, created = PublicVote.objects.get_or_create(
        edition=edition,
        user=user,
        defaults={
            "submission": submission,
            "cast_at": now,
            "changed_at": now,
            "late_account": user.date_joined > window.opens_at,
            "email_domain": user.email.rpartition("@")[2].lower()[:255],
        },
    )
    if created:
        return vote
    vote = PublicVote.objects.select_for_update().get(pk=vote.pk)
    if vote.voided_at is not None:
        raise VoteError(_("Your vote was voided by the organizers."))
    if vote.submission_id != submission.pk:
        vote.submission = submission
        vote.changed_at = now
        vote.changes += 1
        vote.save(update_fields=["submission", "changed_at", "changes"])
    return vote


@service
def void_vote(vote, *, by, reason, now=None) -> PublicVote:
    """An organizer sets a vote aside, with the reason; it no longer counts."""
    if not reason.strip():
        raise VoteError(_("Please give a reason."), field="reason")
    vote = PublicVote.objects.select_for_update().get(pk=vote.pk)
    if vote.voided_at is None:
        vote.voided_at = now or timezone.now()
        vote.voided_by = by
        vote.void_reason = reason.strip()
        vote.save(update_fields=["voided_at", "voided_by", "void_reason"])
    return vote
