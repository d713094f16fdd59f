"""Every write of the results app: prizes, computing, overriding, approving, publishing."""

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hackqc.exceptions import HackQCError
from hackqc.models import Edition
from hackqc.service import enqueue, service
from hackqc.services import update_edition
from judging.models import Round
from judging.round_rankings import round_rankings, round_scores_digest
from submissions.models import Submission
from submissions.queries import show_judged_versions

from . import conditions
from .models import Award, AwardPolicy, Prize, ResultSnapshot
from .parameters import round_parameters
from .resolution import Candidate, PrizeSpec, RankRow, resolve_prizes


class ResultsError(HackQCError):
    """A results step was refused."""


# Prizes and award conditions ---------------------------------------------------------------


def award_policy(edition) -> AwardPolicy:
    """The edition's award conditions; the default (repository and licence) until saved."""
    policy = AwardPolicy.objects.filter(edition=edition).first()
    return policy or AwardPolicy(edition=edition)


@service
def update_award_policy(
    edition, *, by, require_repository, require_licence, ranking_round=None
) -> AwardPolicy:
    """Saves the award conditions and the choice of the published ranking (None: default)."""
    if ranking_round is not None and ranking_round.edition_id != edition.pk:
        raise ResultsError(_("Choose something from this edition."), field="ranking_round")
    policy, _created = AwardPolicy.objects.update_or_create(
        edition=edition,
        defaults={
            "require_repository": require_repository,
            "require_licence": require_licence,
            "ranking_round": ranking_round,
        },
    )
    return policy


@service
def save_prize(prize: Prize, *, by) -> Prize:
    """Creates or updates a prize after checking it belongs with its edition's objects."""
    if prize.eligibility != Prize.Eligibility.CHALLENGE:
        prize.challenge = None
    if prize.eligibility != Prize.Eligibility.HOST_SITE:
        prize.host_site = None
    try:
        prize.full_clean()
    except ValidationError as error:
        raise ResultsError(" ".join(error.messages)) from error
    for related in (prize.challenge, prize.host_site, prize.round):
        if related is not None and related.edition_id != prize.edition_id:
            raise ResultsError(_("Choose something from this edition."))
    prize.save()
    return prize


@service
def delete_prize(prize: Prize, *, by) -> None:
    """Deletes a prize, with the awards of unpublished snapshots; refuses once published."""
    if prize.awards.filter(snapshot__published_at__isnull=False).exists():
        raise ResultsError(_("This prize is part of published results and cannot be deleted."))
    prize.delete()


# Computing --------------------------------------------------------------------------------


def _candidates(edition, policy) -> dict[int, Candidate]:
    submissions = show_judged_versions(
        Submission.objects.filter(edition=edition, state=Submission.State.SUBMITTED).select_related(
            "team"
        )
    )
    return {
        s.pk: Candidate(
            submission=s.pk,
            team=s.team_id,
            challenge=s.challenge_id,
            host_site=conditions.host_site_id(s),
            missing=conditions.missing_conditions(s, policy),
        )
        for s in submissions
    }


def _ranking_json(result) -> dict:
    return {
        "method": result.method,
        "components": result.components,
        "warnings": sorted({w.code for w in result.warnings}),
        "entries": [
            {
                "submission": e.submission,
                "rank": e.rank,
                "score": e.score,
                "n_reviews": e.n_reviews,
                "spread": e.spread,
                "mean_review": e.mean_review,
                "component": e.component,
                "tied": e.tied,
                "too_close_to_call": e.too_close_to_call,
                "tie_break": e.tie_break,
            }
            for e in result.entries
        ],
    }


def _rows(ranking: dict) -> list[RankRow]:
    return [
        RankRow(
            submission=e["submission"],
            rank=e["rank"],
            score=e["score"],
            component=e["component"],
            tied=e["tied"],
            too_close_to_call=e["too_close_to_call"],
        )
        for e in ranking["entries"]
    ]


def default_ranking_round(rounds):
    """The main jury round among `rounds`: the last one of the general jury (no sponsor).
    None when every round is a sponsor's: a sponsor's ranking is never the default."""
    general = [r for r in rounds if not r.sponsor]
    return max(general, key=lambda r: r.number, default=None)


def ranking_round(edition, deciding=()):
    """The round whose ranking the edition publishes as *the* ranking: the organizers' choice,
    else the main jury round among the deciding rounds, else among all the edition's rounds."""
    chosen = award_policy(edition).ranking_round
    if chosen is not None:
        return chosen
    return default_ranking_round(deciding) or default_ranking_round(
        Round.objects.filter(edition=edition)
    )


def scores_hash(digests: dict) -> str:
    text = json.dumps(digests, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def _award_rows(snapshot, outcomes, candidates) -> list[Award]:
    rows = []
    for outcome in outcomes:
        for p in outcome.placements:
            rows.append(
                Award(
                    snapshot=snapshot,
                    prize_id=outcome.prize,
                    place=p.place,
                    submission_id=p.submission,
                    proposed_submission_id=p.submission if p.place else None,
                    rank=p.rank,
                    score=p.score,
                    missing=list(p.missing),
                    tied=p.tied,
                    tied_with=list(p.tied_with),
                    too_close_to_call=p.too_close_to_call,
                    needs_decision=p.needs_decision,
                )
            )
    return rows


@service
def compute_results(edition, *, by) -> ResultSnapshot:
    """Freezes a new snapshot: rankings, parameters, score digests and proposed awards.

    The overrides of the snapshot it replaces are carried over where their project may
    still hold the place, and listed as dropped otherwise (`carried_overrides`).
    Earlier proposed or approved snapshots of the edition become superseded; a published
    snapshot stays published until it is withdrawn. Locks the edition row, like every other
    results step, so a computation never supersedes a snapshot being published.
    """
    Edition.objects.select_for_update().filter(pk=edition.pk).first()
    prizes = list(Prize.objects.filter(edition=edition).select_related("round"))
    if not prizes:
        raise ResultsError(_("Add at least one prize before computing the results."))
    rounds = {p.round.pk: p.round for p in prizes if p.round is not None}
    main_round = ranking_round(edition, list(rounds.values()))
    if main_round is not None:
        rounds.setdefault(main_round.pk, main_round)
    rankings, parameters, digests = {}, {}, {}
    for round_id, round_ in sorted(rounds.items()):
        try:
            ranked = round_rankings(round_)
        except HackQCError as error:  # e.g. mixed scales: the round says how to fix it
            raise ResultsError(error.message) from error
        rankings[str(round_id)] = _ranking_json(ranked[round_.method])
        parameters[str(round_id)] = round_parameters(round_)
        digests[str(round_id)] = round_scores_digest(round_)
    candidates = _candidates(edition, award_policy(edition))
    specs = [
        PrizeSpec(p.pk, p.places, p.priority, p.round_id, p.challenge_id, p.host_site_id)
        for p in prizes
    ]
    outcomes = resolve_prizes(
        specs,
        {int(k): _rows(v) for k, v in rankings.items()},
        candidates,
        one_prize_per_team=edition.one_prize_per_team,
    )
    replaced = ResultSnapshot.objects.filter(
        edition=edition,
        state__in=[ResultSnapshot.State.PROPOSED, ResultSnapshot.State.APPROVED],
    )
    # The latest computation, whatever became of it (a withdrawn one included): its
    # overrides are the organizers' latest decisions.
    previous = (
        ResultSnapshot.objects.filter(edition=edition).order_by("-computed_at", "-pk").first()
    )
    replaced.update(state=ResultSnapshot.State.SUPERSEDED)
    snapshot = ResultSnapshot.objects.create(
        edition=edition,
        computed_by=by,
        main_round=main_round,
        parameters=parameters,
        rankings=rankings,
        digests=digests,
        scores_hash=scores_hash(digests),
    )
    Award.objects.bulk_create(_award_rows(snapshot, outcomes, candidates))
    snapshot.carried_overrides = _carry_overrides(previous, snapshot)
    if snapshot.carried_overrides:
        snapshot.save(update_fields=["carried_overrides"])
    return snapshot


def is_stale(snapshot) -> bool:
    """True when a raw score of a round it used changed since it was computed, or when a
    submission it awards has since been disqualified."""
    from submissions.models import Submission

    disqualified = Award.objects.filter(
        snapshot=snapshot, submission__state=Submission.State.DISQUALIFIED
    )
    if disqualified.exists():
        return True
    rounds = Round.objects.filter(pk__in=[int(k) for k in snapshot.digests])
    current = {str(r.pk): round_scores_digest(r) for r in rounds}
    return current != snapshot.digests


def stale_snapshot_ids(snapshots) -> set[int]:
    """`is_stale` for a list of snapshots at once: each round's digest is computed once and
    the disqualified winners are found in one query (for the snapshot list)."""
    from submissions.models import Submission

    live = [s for s in snapshots if s.state in LIVE_STATES]
    disqualified = set(
        Award.objects.filter(
            snapshot__in=live, submission__state=Submission.State.DISQUALIFIED
        ).values_list("snapshot_id", flat=True)
    )
    round_ids = {int(k) for s in live for k in s.digests}
    current = {str(r.pk): round_scores_digest(r) for r in Round.objects.filter(pk__in=round_ids)}
    return disqualified | {
        s.pk for s in live if any(current.get(k) != v for k, v in s.digests.items())
    }


# Snapshots whose staleness matters: the ones that are or may become public.
LIVE_STATES = (
    ResultSnapshot.State.PROPOSED,
    ResultSnapshot.State.APPROVED,
    ResultSnapshot.State.PUBLISHED,
)


# Review -----------------------------------------------------------------------------------


def _lock(snapshot) -> ResultSnapshot:
    """Locks the snapshot's edition row (results steps of one edition run one at a time) and
    reloads `snapshot` in place, so the step is decided on its current state."""
    edition = Edition.objects.select_for_update().get(pk=snapshot.edition_id)
    snapshot.refresh_from_db()
    snapshot.edition = edition
    return snapshot


def _check_state(snapshot, *states):
    if snapshot.state not in states:
        raise ResultsError(
            _("These results are “%(state)s”: this step is not possible.")
            % {"state": snapshot.get_state_display()}
        )


def _check_override(award, submission, *, ignore=()):
    """Refuses a project that may not hold this place; `ignore`: awards changing with it."""
    if submission is None:
        return
    edition = award.snapshot.edition
    if submission.edition_id != edition.pk or submission.state != Submission.State.SUBMITTED:
        raise ResultsError(_("Choose a submitted project of this edition."))
    prize = award.prize
    if (prize.challenge_id and submission.challenge_id != prize.challenge_id) or (
        prize.host_site_id and conditions.host_site_id(submission) != prize.host_site_id
    ):
        raise ResultsError(_("This project is not eligible for this prize."))
    others = (
        Award.objects.filter(snapshot=award.snapshot, place__isnull=False)
        .exclude(pk=award.pk)
        .exclude(pk__in=[a.pk for a in ignore])
    )
    if others.filter(prize=award.prize, submission=submission).exists():
        raise ResultsError(_("This project already holds another place of this prize."))
    if (
        edition.one_prize_per_team
        and others.exclude(prize=award.prize).filter(submission__team=submission.team_id).exists()
    ):
        raise ResultsError(_("This team already wins another prize and may win only one."))


@service
def override_award(award, *, by, submission, reason) -> Award:
    """Replaces (or confirms) the winner of one place, keeping the written reason."""
    _check_state(award.snapshot, ResultSnapshot.State.PROPOSED)
    if award.place is None:
        raise ResultsError(_("Only a place can be overridden."))
    if not reason or not reason.strip():
        raise ResultsError(_("Explain why the award is overridden."), field="reason")
    _check_override(award, submission)
    _set_winner(award, submission, by=by, reason=reason)
    return award


def _standing(snapshot, round_id, submission_id) -> tuple[int | None, float | None]:
    """The project's rank and score in the round's frozen ranking (None, None if unranked)."""
    for entry in snapshot.rankings.get(str(round_id), {}).get("entries", []):
        if entry["submission"] == submission_id:
            return entry["rank"], entry["score"]
    return None, None


def _set_winner(award, submission, *, by, reason, at=None):
    """Puts `submission` on the place with its own rank and score, and the override's trace."""
    award.submission = submission
    award.rank, award.score = _standing(
        award.snapshot, award.prize.round_id, submission.pk if submission else None
    )
    award.override_reason = reason.strip()
    award.overridden_by = by
    award.overridden_at = at or timezone.now()
    award.needs_decision = False
    award.tied = False
    award.save()


@service
def swap_places(first, second, *, by, reason) -> tuple[Award, Award]:
    """Exchanges the winners of two places of one prize in one step, with one reason."""
    _check_state(first.snapshot, ResultSnapshot.State.PROPOSED)
    if first.snapshot_id != second.snapshot_id or first.prize_id != second.prize_id:
        raise ResultsError(_("Choose two places of the same prize."), field="other")
    if first.place is None or second.place is None or first.pk == second.pk:
        raise ResultsError(_("Choose two different places."), field="other")
    if not reason or not reason.strip():
        raise ResultsError(_("Explain why the places are swapped."), field="reason")
    a, b = first.submission, second.submission
    _check_override(first, b, ignore=[second])
    _check_override(second, a, ignore=[first])
    _set_winner(first, b, by=by, reason=reason)
    _set_winner(second, a, by=by, reason=reason)
    return first, second


def _carry_overrides(previous, snapshot) -> list[dict]:
    """Applies the overrides of `previous` to the same places of `snapshot` when their
    project may still hold them; returns each one, carried or dropped with why."""
    if previous is None:
        return []
    new = {
        (a.prize_id, a.place): a
        for a in Award.objects.filter(snapshot=snapshot, place__isnull=False).select_related(
            "prize", "snapshot__edition"
        )
    }
    notes = []
    old_awards = (
        Award.objects.filter(snapshot=previous, place__isnull=False)
        .exclude(override_reason="")
        .select_related("prize", "submission__team", "overridden_by")
        .order_by("prize__priority", "prize_id", "place")
    )
    for old in old_awards:
        note = {
            "prize": old.prize.name,
            "place": old.place,
            "title": old.submission.title if old.submission else "",
            "reason": old.override_reason,
            "carried": False,
            "why": "",
        }
        award = new.get((old.prize_id, old.place))
        try:
            if award is None:
                raise ResultsError(_("The place no longer exists."))
            _carry_one(award, old, new)
        except ResultsError as error:
            note["why"] = error.message
        else:
            note["carried"] = True
        notes.append(note)
    return notes


def _carry_one(award, old, new):
    """One earlier override onto `award`; a project computed on another place of the prize
    swaps with it, as the override had moved it."""
    holder = next(
        (
            a
            for a in new.values()
            if a.prize_id == award.prize_id
            and a.pk != award.pk
            and old.submission_id is not None
            and a.submission_id == old.submission_id
        ),
        None,
    )
    _check_override(award, old.submission, ignore=[holder] if holder else [])
    displaced = award.submission
    if holder is not None:
        _check_override(holder, displaced, ignore=[award])
        _set_winner(holder, displaced, by=old.overridden_by, reason=old.override_reason)
    _set_winner(
        award, old.submission, by=old.overridden_by, reason=old.override_reason,
        at=old.overridden_at,
    )  # fmt: skip


@service
def approve_results(snapshot, *, by) -> ResultSnapshot:
    """Approves a proposed snapshot once every flagged tie is decided and scores are unchanged."""
    snapshot = _lock(snapshot)
    _check_state(snapshot, ResultSnapshot.State.PROPOSED)
    if is_stale(snapshot):
        raise ResultsError(_("A score changed since these results were computed: compute again."))
    if snapshot.awards.filter(needs_decision=True).exists():
        raise ResultsError(
            _("Some places need a decision (a tie or a sponsor's choice): override them first.")
        )
    snapshot.state = ResultSnapshot.State.APPROVED
    snapshot.approved_at = timezone.now()
    snapshot.approved_by = by
    snapshot.save()
    return snapshot


@service
def publish_results(snapshot, *, by, at=None, allow_past=False, announce=True) -> ResultSnapshot:
    """Publishes now or at `at` (an embargo): sets the edition's results date.

    The results page opens by itself at that instant. When it is now, the announcement
    mails are queued after the commit; otherwise the scheduled task sends them after it.
    `allow_past` and `announce=False` record a publication that already happened elsewhere
    (the demo data): no mail is then ever sent for it.
    """
    snapshot = _lock(snapshot)
    if snapshot.state == ResultSnapshot.State.PUBLISHED:
        raise ResultsError(
            _("These results are already published (another organizer may have just done it).")
        )
    _check_state(snapshot, ResultSnapshot.State.APPROVED)
    edition = snapshot.edition
    now = timezone.now()
    at = at or now
    if at < now and not allow_past:
        raise ResultsError(_("Choose a time in the future, or publish now."), field="at")
    if ResultSnapshot.objects.filter(edition=edition, state=ResultSnapshot.State.PUBLISHED):
        raise ResultsError(_("Other results are published: withdraw them first."))
    if is_stale(snapshot):
        raise ResultsError(_("A score changed since these results were computed: compute again."))
    try:
        update_edition(edition, by=by, results_published=at)
    except ValidationError as error:
        raise ResultsError(" ".join(error.messages), field="at") from error
    snapshot.state = ResultSnapshot.State.PUBLISHED
    snapshot.published_at = at
    snapshot.published_by = by
    if not announce:
        snapshot.announced_at = at
    snapshot.save()
    if announce and at <= now:
        from .tasks import task_send_announcements

        enqueue(task_send_announcements, snapshot_id=snapshot.pk)
    return snapshot


@service
def withdraw_results(snapshot, *, by, reason) -> ResultSnapshot:
    """Takes published results down for a correction; the reason is shown on the page."""
    snapshot = _lock(snapshot)
    _check_state(snapshot, ResultSnapshot.State.PUBLISHED)
    if not reason or not reason.strip():
        raise ResultsError(_("Explain why the results are withdrawn."), field="reason")
    update_edition(snapshot.edition, by=by, results_published=None)
    snapshot.state = ResultSnapshot.State.WITHDRAWN
    snapshot.withdrawn_at = timezone.now()
    snapshot.withdrawal_reason = reason.strip()
    snapshot.save()
    return snapshot


# Announcements ----------------------------------------------------------------------------


def _send_once(edition, user, kind, template, context) -> bool:
    """Records one announcement and promises its mail (outbox) in one transaction; the
    unique record and the mail's key make a second run skip it."""
    from hackqc.outbox import queue_mail

    from .models import Announcement

    with transaction.atomic():
        _record, created = Announcement.objects.get_or_create(edition=edition, user=user, kind=kind)
        if created:
            queue_mail(
                template,
                to=user,
                context=context,
                edition=edition,
                key=f"results.{kind}:{edition.pk}:{user.pk}",
                queue=settings.OUTBOX_BULK_QUEUE,
            )
    return created


def send_announcements(snapshot) -> int:
    """Mails every participant the results and each winner a personal mail, once per person.

    Each mail commits with its own record, so a run interrupted halfway resumes where it
    stopped. One run at a time per snapshot: a run that finds another one under way returns
    at once. Returns the number of mails sent.
    """
    if not _claim_announcements(snapshot):
        return 0
    try:
        return _send_all(snapshot)
    finally:
        ResultSnapshot.objects.filter(pk=snapshot.pk).update(announcing_since=None)


def _claim_announcements(snapshot) -> bool:
    """Marks the snapshot as being announced unless another run holds a claim younger than
    the longest a task may run (a killed worker's claim lapses and the next run resumes)."""
    now = timezone.now()
    lapsed = now - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    return bool(
        ResultSnapshot.objects.filter(
            Q(announcing_since__isnull=True) | Q(announcing_since__lt=lapsed), pk=snapshot.pk
        ).update(announcing_since=now)
    )


def _send_all(snapshot) -> int:
    from .models import Announcement
    from .queries import announcement_recipients, winning_places_by_user

    edition = snapshot.edition
    sent = 0
    winners = winning_places_by_user(snapshot)
    base = {"edition": edition, "snapshot": snapshot}
    for user in announcement_recipients(edition):
        sent += _send_once(edition, user, Announcement.Kind.RESULTS, "results/mail/results", base)
        if user.pk in winners:
            context = {**base, "places": winners[user.pk]}
            sent += _send_once(
                edition, user, Announcement.Kind.WINNER, "results/mail/winner", context
            )
    previous = corrected_snapshot(snapshot)
    if previous is not None:
        changes = [vars(change) for change in correction_changes(previous, snapshot)]
        context = {**base, "previous": previous, "changes": changes}
        for user in announcement_recipients(edition):
            sent += _send_correction_once(snapshot, user, context)
    ResultSnapshot.objects.filter(pk=snapshot.pk, announced_at__isnull=True).update(
        announced_at=timezone.now()
    )
    return sent


def corrected_snapshot(snapshot):
    """The results `snapshot` corrects: the last ones of its edition that were public and
    announced, then withdrawn. None for a first publication."""
    return (
        ResultSnapshot.objects.filter(
            edition_id=snapshot.edition_id,
            state=ResultSnapshot.State.WITHDRAWN,
            announced_at__isnull=False,
            withdrawn_at__lte=snapshot.published_at or timezone.now(),
        )
        .order_by("-withdrawn_at", "-pk")
        .first()
    )


@dataclass(frozen=True)
class PlaceChange:
    prize: str
    place: int
    before: str  # the project's title, "" for an empty place
    after: str


def correction_changes(previous, current) -> list[PlaceChange]:
    """Every place whose winner differs between two snapshots, in prize order (two queries)."""

    def places(snapshot):
        rows = Award.objects.filter(snapshot=snapshot, place__isnull=False).values_list(
            "prize__priority", "prize_id", "prize__name", "place", "submission__title"
        )
        return {(prio, pid, name, place): title or "" for prio, pid, name, place, title in rows}

    before, after = places(previous), places(current)
    return [
        PlaceChange(key[2], key[3], before.get(key, ""), after.get(key, ""))
        for key in sorted(set(before) | set(after))
        if before.get(key, "") != after.get(key, "")
    ]


def _send_correction_once(snapshot, user, context) -> bool:
    """Records one correction announcement and promises its mail (outbox), once per person
    and corrected snapshot."""
    from hackqc.outbox import queue_mail

    from .models import Announcement

    with transaction.atomic():
        _record, created = Announcement.objects.get_or_create(
            edition_id=snapshot.edition_id,
            user=user,
            kind=Announcement.Kind.CORRECTION,
            snapshot=snapshot,
        )
        if created:
            queue_mail(
                "results/mail/correction",
                to=user,
                context=context,
                key=f"results.correction:{snapshot.pk}:{user.pk}",
                queue=settings.OUTBOX_BULK_QUEUE,
            )
    return created


def due_snapshots(now=None):
    """Published snapshots whose public time has come and whose mails are not sent yet."""
    now = now or timezone.now()
    return ResultSnapshot.objects.filter(
        state=ResultSnapshot.State.PUBLISHED, published_at__lte=now, announced_at__isnull=True
    )
