"""Writes of a live final: its timing, its running order, moving to the next team, the end."""

import random
import secrets

from django.utils import timezone
from django.utils.translation import gettext as _

from hackqc.exceptions import ConcurrentEditError, HackQCError
from hackqc.service import service
from judging.models import LiveFinal, LiveSlot, Round
from judging.queries import round_submissions
from judging.services.rounds import close_round


class LiveError(HackQCError):
    pass


def _final(round, *, lock=False) -> LiveFinal:
    if round.mode != Round.Mode.LIVE:
        raise LiveError(_("This round is not a live final."))
    final, _created = LiveFinal.objects.get_or_create(round=round)
    if lock:
        final = LiveFinal.objects.select_for_update().get(pk=final.pk)
    return final


@service
def set_timing(round, *, by, pitch_seconds, qa_seconds) -> LiveFinal:
    final = _final(round, lock=True)
    if not (30 <= pitch_seconds <= 3600 and 0 <= qa_seconds <= 3600):
        raise LiveError(_("A pitch lasts 30 seconds to an hour, questions up to an hour."))
    final.pitch_seconds, final.qa_seconds = pitch_seconds, qa_seconds
    final.save(update_fields=["pitch_seconds", "qa_seconds"])
    return final


@service
def set_running_order(round, *, by, seed=None, order=None) -> LiveFinal:
    """The running order: `order` (submission ids, first to last) set by hand, or drawn at
    random from the finalists in id order with `seed` (a new one when None), which is
    recorded so anyone can redraw it: `random.Random(seed).shuffle(sorted ids)`.
    Refused once the first team has pitched."""
    final = _final(round, lock=True)
    if final.position or final.ended_at:
        raise LiveError(_("The final has started: its running order can no longer change."))
    finalists = sorted(round_submissions(round).values_list("pk", flat=True))
    if order is not None:
        if sorted(order) != finalists:
            raise LiveError(
                _("The running order must list every finalist exactly once."), field="order"
            )
        final.seed = None
    else:
        final.seed = seed if seed is not None else secrets.randbits(31)
        order = list(finalists)
        # Reproducible on purpose: anyone redraws the order from the published seed.
        random.Random(final.seed).shuffle(order)  # noqa: S311
    LiveSlot.objects.filter(final=final).delete()
    LiveSlot.objects.bulk_create(
        LiveSlot(final=final, submission_id=sid, position=i) for i, sid in enumerate(order, 1)
    )
    final.save(update_fields=["seed"])
    return final


@service
def advance(round, *, by, expected, now=None) -> LiveFinal:
    """The next team takes the stage; after the last one, the final ends: the round closes
    and the results are computed (when the edition has prizes).

    `expected` is the position the organizer's screen showed: a second tap, or a tap on
    another phone that already moved on, changes nothing (ConcurrentEditError).
    """
    now = now or timezone.now()
    final = _final(round, lock=True)
    if final.position != expected or final.ended_at:
        raise ConcurrentEditError(_("The final already moved on: here is where it stands."))
    total = LiveSlot.objects.filter(final=final).count()
    if not total:
        raise LiveError(_("Set the running order first."))
    if final.position < total:
        final.position += 1
        final.slot_started_at = now
        LiveSlot.objects.filter(final=final, position=final.position).update(started_at=now)
        final.save(update_fields=["position", "slot_started_at"])
        return final
    final.ended_at = now
    final.save(update_fields=["ended_at"])
    close_round(round, by=by, now=now)
    _compute(round.edition, by=by)
    return final


def _compute(edition, *, by):
    """Computes the results at the end of the final; an edition without prizes yet (or a
    round that cannot be ranked) is left for the organizers, who see why on the results
    page."""
    # Imported here: the end of the final computes the results, an app above the jury's.
    from judging.results.errors import ResultsError
    from judging.results.services import compute_results

    try:
        compute_results(edition, by=by)
    except ResultsError:
        return
