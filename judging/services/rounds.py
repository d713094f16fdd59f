"""Rounds and their rubric, closing, finalists and reminders."""

import math

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hackqc import audit
from hackqc.models import Edition
from hackqc.service import service
from judging.errors import RoundSetupError
from judging.models import Criterion, Finalist, ReminderBatch, Review, Round, RoundReopening
from judging.round_rankings import round_rankings

ROUND_CREATED = audit.action("round.created", gettext_lazy("Created a round"))
ROUND_CHANGED = audit.action("round.changed", gettext_lazy("Changed a round"))
ROUND_CLOSED = audit.action("round.closed", gettext_lazy("Closed a round"))
ROUND_REOPENED = audit.action("round.reopened", gettext_lazy("Reopened a round"))
RUBRIC_CHANGED = audit.action("round.rubric_changed", gettext_lazy("Changed a round's rubric"))
FINALISTS_SELECTED = audit.action(
    "round.finalists_selected", gettext_lazy("Selected a round's finalists")
)

ROUND_FIELDS = (
    "name",
    "opens_at",
    "closes_at",
    "judges_per_submission",
    "assignment_mode",
    "missing_policy",
    "method",
    "use_median",
    "bias_lambda",
    "normalise_scales",
    "scope",
    "scope_challenge",
    "source_round",
    "sponsor",
    "mode",
    "pairwise_alpha",
)


def _check_scope(edition, fields):
    scope = fields.get("scope", Round.Scope.ALL)
    challenge, source = fields.get("scope_challenge"), fields.get("source_round")
    if scope == Round.Scope.CHALLENGE and challenge is None:
        raise RoundSetupError(_("Choose the challenge of this round."), field="scope_challenge")
    if scope == Round.Scope.FINALISTS and source is None:
        raise RoundSetupError(_("Choose the round the finalists come from."), field="source_round")
    if challenge is not None and challenge.edition_id != edition.pk:
        raise RoundSetupError(_("This challenge is not in the edition."), field="scope_challenge")
    if source is not None and source.edition_id != edition.pk:
        raise RoundSetupError(_("This round is not in the edition."), field="source_round")
    if (
        fields.get("closes_at")
        and fields.get("opens_at")
        and fields["closes_at"] < fields["opens_at"]
    ):
        raise RoundSetupError(_("A round cannot close before it opens."), field="closes_at")
    bias_lambda = fields.get("bias_lambda", 0.0)
    if not (math.isfinite(bias_lambda) and bias_lambda >= 0):
        raise RoundSetupError(_("λ is a number of at least 0."), field="bias_lambda")


@service
def create_round(edition, *, by, **fields) -> Round:
    """A new round of `edition`, numbered after the last one; no rubric yet."""
    fields = {k: v for k, v in fields.items() if k in ROUND_FIELDS}
    _check_scope(edition, fields)
    number = (edition.rounds.aggregate(n=Max("number"))["n"] or 0) + 1
    round = Round.objects.create(edition=edition, number=number, **fields)
    audit.record(ROUND_CREATED, actor=by, edition=edition, target=round, number=number)
    return round


@service
def update_round(round, *, by, **fields) -> Round:
    """Change a round's settings; a closed round keeps them (its rankings are final)."""
    if round.closed_at is not None:
        raise RoundSetupError(_("This round is closed: its settings can no longer change."))
    fields = {k: v for k, v in fields.items() if k in ROUND_FIELDS}
    merged = {name: getattr(round, name) for name in ROUND_FIELDS} | fields
    _check_scope(round.edition, merged)
    if merged.get("source_round") and merged["source_round"].pk == round.pk:
        raise RoundSetupError(_("A round cannot take its own finalists."), field="source_round")
    if merged["mode"] != round.mode and _has_judging(round):
        raise RoundSetupError(
            _("Judging has started in this round: its mode can no longer change."), field="mode"
        )
    # The stored round, not the instance: a model form has already set the new values.
    changes = _changes(Round.objects.get(pk=round.pk), fields)
    Round.objects.filter(pk=round.pk).update(**fields)
    round.refresh_from_db()
    if changes:
        audit.record(
            ROUND_CHANGED, actor=by, edition=round.edition, target=round, number=round.number,
            **changes,
        )  # fmt: skip
    return round


def _changes(round, fields) -> dict:
    """What the log keeps of a round's change: each changed setting, old → new."""
    changes = {}
    for name, value in fields.items():
        before = getattr(round, name)
        if before != value:
            changes[name] = f"{_shown(before)} → {_shown(value)}"
    return changes


def _shown(value) -> str:
    if value is None or value == "":
        return "—"
    if hasattr(value, "isoformat"):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return str(value)[:100]


def _rubric_changed(round, *, by, **details) -> None:
    audit.record(
        RUBRIC_CHANGED, actor=by, edition=round.edition, target=round, number=round.number,
        **details,
    )  # fmt: skip


def _has_judging(round) -> bool:
    """Reviews, comparisons or a started live final: what a change of mode would orphan."""
    from judging.models import Comparison, LiveFinal

    return (
        Review.objects.filter(round=round).exists()
        or Comparison.objects.filter(round=round).exists()
        or LiveFinal.objects.filter(round=round, position__gt=0).exists()
    )


def _has_reviews(round) -> bool:
    return Review.objects.filter(round=round).exclude(state=Review.State.RECUSED).exists()


@service
def save_criterion(criterion, *, by) -> Criterion:
    """Add or change one criterion of a round's rubric.

    Only one tie-breaker per round: marking this one unmarks the others. Once reviews exist,
    the scale can no longer change (scores already given would leave it).
    """
    round = criterion.round
    if round.closed_at is not None:
        raise RoundSetupError(_("This round is closed: its rubric can no longer change."))
    if criterion.pk and _has_reviews(round):
        before = Criterion.objects.get(pk=criterion.pk)
        if (before.min_value, before.max_value) != (criterion.min_value, criterion.max_value):
            raise RoundSetupError(
                _("Reviews have started: the scale of a criterion can no longer change."),
                field="max_value",
            )
    if criterion.is_tiebreak:
        round.criteria.exclude(pk=criterion.pk).update(is_tiebreak=False)
    added = criterion.pk is None
    criterion.save()
    _rubric_changed(
        round,
        by=by,
        criterion=criterion.name,
        change="added" if added else "changed",
        weight=criterion.weight,
        scale=f"{criterion.min_value} to {criterion.max_value}",
        tiebreak=criterion.is_tiebreak,
    )
    return criterion


@service
def delete_criterion(criterion, *, by) -> None:
    """Remove a criterion; refused once reviews have started."""
    if criterion.round.closed_at is not None or _has_reviews(criterion.round):
        raise RoundSetupError(_("Reviews have started: criteria can no longer be removed."))
    _rubric_changed(criterion.round, by=by, criterion=criterion.name, change="removed")
    criterion.delete()


@service
def copy_rubric(round, *, source, by) -> list[Criterion]:
    """Replaces the round's criteria by copies of `source`'s (names, descriptions, labels,
    weights, scales, tie-breaker, order). Refused once reviews have started or the round is
    closed: scores given on the old rubric would lose their meaning."""
    if source.pk == round.pk:
        raise RoundSetupError(_("Choose another round."), field="source")
    if round.closed_at is not None or _has_reviews(round):
        raise RoundSetupError(_("Reviews have started: the rubric can no longer be replaced."))
    copies = [
        Criterion(
            round=round,
            **{field: getattr(criterion, field) for field in RUBRIC_FIELDS},
        )
        for criterion in source.criteria.order_by("order", "pk")
    ]
    if not copies:
        raise RoundSetupError(_("That round has no criteria to copy."), field="source")
    round.criteria.all().delete()
    copied = Criterion.objects.bulk_create(copies)
    _rubric_changed(
        round,
        by=by,
        change="copied",
        source_edition=source.edition.slug,
        source_round=source.number,
        criteria=len(copied),
    )
    return copied


RUBRIC_FIELDS = ("name", "description", "low_label", "high_label", "weight", "min_value",
                 "max_value", "is_tiebreak", "order")  # fmt: skip


@service
def close_round(round, *, by, now=None) -> Round:
    """Close the round now: reviews freeze and its rankings become final. Idempotent."""
    closed = Round.objects.filter(pk=round.pk, closed_at=None).update(
        closed_at=now or timezone.now()
    )
    round.refresh_from_db()
    if closed:
        audit.record(
            ROUND_CLOSED, actor=by, edition=round.edition, target=round, number=round.number
        )
    return round


@service
def reopen_round(round, *, by, reason, until=None) -> Round:
    """Reopen a closed round for a stated reason (logged with who and when), so reviews can
    change again, until `until` (required when the round's own end has passed); refused
    once the edition's results are published (they rest on it)."""
    Round.objects.select_for_update().filter(pk=round.pk).first()
    round.refresh_from_db()
    if round.closed_at is None:
        raise RoundSetupError(_("This round is not closed."))
    if not (reason or "").strip():
        raise RoundSetupError(_("State the reason for reopening the round."), field="reason")
    # Set by publish_results (now or scheduled), cleared by withdraw_results.
    if Edition.objects.filter(pk=round.edition_id, results_published__isnull=False).exists():
        raise RoundSetupError(
            _("The results are published: withdraw them before reopening a round.")
        )
    now = timezone.now()
    if until is not None and until <= now:
        raise RoundSetupError(_("Choose a date in the future."), field="until")
    closes_at = until or round.closes_at
    if closes_at <= now:
        raise RoundSetupError(
            _("The round's end has passed: choose until when it reopens."), field="until"
        )
    RoundReopening.objects.create(
        round=round, reason=reason.strip(), was_closed_at=round.closed_at, reopened_by=by
    )
    Round.objects.filter(pk=round.pk).update(closed_at=None, closes_at=closes_at)
    round.refresh_from_db()
    # The reason is kept on the reopening (RoundReopening), not copied into the log.
    audit.record(
        ROUND_REOPENED, actor=by, edition=round.edition, target=round, number=round.number,
        until=_shown(closes_at),
    )  # fmt: skip
    return round


def _normalised(entries_by_challenge):
    """Score relative to its challenge: (score - mean) / standard deviation (0 if flat)."""
    result = {}
    for entries in entries_by_challenge.values():
        scores = [e.score for e in entries]
        mean = sum(scores) / len(scores)
        sd = math.sqrt(sum((x - mean) ** 2 for x in scores) / len(scores))
        for e in entries:
            result[e.submission] = 0.0 if sd == 0 else (e.score - mean) / sd
    return result


@service
def select_finalists(source, target, *, by, top_n, wildcards=0) -> list[Finalist]:
    """Advance the top `top_n` of each challenge of `source`, plus `wildcards` more chosen by
    their score normalised within their challenge, into `target` (a finalists round).

    Uses the source round's chosen method. Replaces an earlier selection while the target
    round has no review yet.
    """
    if source.closed_at is None:
        raise RoundSetupError(_("Close the round before selecting its finalists."))
    if target.scope != Round.Scope.FINALISTS or target.source_round_id != source.pk:
        raise RoundSetupError(
            _("The next round must take the finalists of this round."), field="target"
        )
    if _has_reviews(target):
        raise RoundSetupError(_("The next round has started: its finalists can no longer change."))
    if top_n < 0 or wildcards < 0:
        raise RoundSetupError(_("Numbers of finalists cannot be negative."), field="top_n")
    entries = round_rankings(source)[source.method].entries
    challenge_of = dict(
        source.edition.submissions.filter(pk__in=[e.submission for e in entries]).values_list(
            "pk", "challenge_id"
        )
    )
    by_challenge: dict = {}
    for entry in entries:  # already in rank order within each graph component
        by_challenge.setdefault(challenge_of.get(entry.submission), []).append(entry)
    chosen = {}
    for group in by_challenge.values():
        for entry in sorted(group, key=lambda e: (e.component, e.rank))[:top_n]:
            chosen[entry.submission] = (Finalist.Reason.TOP, entry)
    normalised = _normalised(by_challenge)
    rest = sorted(
        (e for e in entries if e.submission not in chosen),
        key=lambda e: (-_rounded(normalised[e.submission]), e.rank),
    )
    for entry in rest[:wildcards]:
        chosen[entry.submission] = (Finalist.Reason.WILDCARD, entry)
    Finalist.objects.filter(round=target).delete()
    audit.record(
        FINALISTS_SELECTED, actor=by, edition=target.edition, target=target,
        number=target.number, source_round=source.number, top_n=top_n, wildcards=wildcards,
        finalists=len(chosen),
    )  # fmt: skip
    return Finalist.objects.bulk_create(
        [
            Finalist(
                round=target,
                submission_id=sid,
                reason=reason,
                source_score=entry.score,
                source_rank=entry.rank,
                selected_by=by,
            )
            for sid, (reason, entry) in chosen.items()
        ]
    )


def _rounded(value: float) -> float:
    return round(value, 9)


@service
def request_reminders(round, *, by) -> ReminderBatch:
    """Record one reminder click and promise its mails with it (one per late judge).

    Each judge's ReminderSent row and outbox mail commit with the click: a second click
    is a new batch; nothing else sends the same reminder twice.
    """
    from judging.mails import mail_judge_reminder
    from judging.models import Judge, ReminderSent
    from judging.queries import pending_judges

    batch = ReminderBatch.objects.create(round=round, requested_by=by)
    if round.closed_at is not None:
        return batch
    pending = pending_judges(round)
    judges = list(Judge.objects.filter(pk__in=list(pending)).select_related("user"))
    ReminderSent.objects.bulk_create(
        [ReminderSent(batch=batch, judge=judge, pending=pending[judge.pk]) for judge in judges]
    )
    for judge in judges:
        mail_judge_reminder(batch, judge=judge, pending=pending[judge.pk])
    return batch
