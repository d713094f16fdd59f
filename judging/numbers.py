"""The jury's numbers for the edition dashboard, in a constant number of queries.

Review progress per round and per judge, and each judge's review scores next to the bias the
judge-bias model estimates for them (docs/judging-method.md): the same reviews, policies and
fits as the rankings page, read for every round of the edition at once.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Q, Subquery

from judging.ranking import COMMON_SCALE, CriterionSpec, ReviewInput, mixed_scales, rank
from judging.ranking.scoring import score_reviews

from .models import Assignment, Criterion, Judge, Review, Round, Score


@dataclass
class RoundProgress:
    round: Round
    assigned: int = 0
    done: int = 0
    drafts: int = 0
    recused: int = 0
    judges: list[dict] = field(default_factory=list)

    @property
    def not_started(self) -> int:
        return self.assigned - self.done - self.drafts - self.recused

    @property
    def pending(self) -> int:
        return self.assigned - self.done - self.recused


def _counts():
    return {
        "assigned": Count("pk"),
        "done": Count("pk", filter=Q(state=Review.State.SUBMITTED)),
        "drafts": Count("pk", filter=Q(state=Review.State.DRAFT)),
        "recused": Count("pk", filter=Q(state=Review.State.RECUSED)),
    }


def review_progress(edition, names=None) -> list[RoundProgress]:
    """Per round (in order) the assignments and their reviews' states, overall and per
    judge (pending = assigned - submitted - recused). Four queries, three with `names`
    ({judge id: name}, from `judge_names`)."""
    state = Subquery(
        Review.objects.filter(
            round=OuterRef("round"), judge=OuterRef("judge"), submission=OuterRef("submission")
        ).values("state")[:1]
    )
    assignments = Assignment.objects.filter(round__edition=edition).annotate(state=state)
    rounds = {r.pk: RoundProgress(r) for r in Round.objects.filter(edition=edition)}
    for row in assignments.values("round").annotate(**_counts()).order_by():
        progress = rounds[row["round"]]
        for key in ("assigned", "done", "drafts", "recused"):
            setattr(progress, key, row[key])
    per_judge = list(assignments.values("round", "judge").annotate(**_counts()).order_by())
    names = judge_names(edition) if names is None else names
    for row in per_judge:
        pending = row["assigned"] - row["done"] - row["recused"]
        judge = names.get(row["judge"], "")
        rounds[row["round"]].judges.append({**row, "name": judge, "pending": pending})
    for progress in rounds.values():
        progress.judges.sort(key=lambda j: (-j["pending"], j["name"].casefold()))
    return sorted(rounds.values(), key=lambda p: p.round.number)


def judge_names(edition) -> dict[int, str]:
    """{judge id: display name} of the edition's jury (one query)."""
    return dict(Judge.objects.filter(edition=edition).values_list("pk", "user__display_name"))


@dataclass
class JudgeScores:
    """One scored round: each judge's review scores and estimated bias (None where the
    model could not estimate it), on the scale [low, high]."""

    round: Round
    scores: dict[int, list[float]]
    bias: dict[int, float]
    low: float
    high: float
    refused: bool = False  # criteria on mixed scales without normalisation: no scores


def judge_scores(edition) -> list[JudgeScores]:
    """Every scored round's review scores per judge and the judge-bias estimates, from the
    submitted reviews only (drafts and recusals never count). Four queries."""
    rounds = [r for r in Round.objects.filter(edition=edition) if r.mode != Round.Mode.PAIRWISE]
    criteria = defaultdict(list)
    for c in Criterion.objects.filter(round__edition=edition).order_by("order", "pk"):
        criteria[c.round_id].append(
            CriterionSpec(
                id=c.pk,
                weight=c.weight,
                min_value=c.min_value,
                max_value=c.max_value,
                is_tiebreak=c.is_tiebreak,
            )
        )
    reviews = Review.objects.filter(round__edition=edition, state=Review.State.SUBMITTED)
    keys = {
        pk: (round_id, judge, submission)
        for pk, round_id, judge, submission in reviews.order_by("pk").values_list(
            "pk", "round_id", "judge_id", "submission_id"
        )
    }
    values = defaultdict(dict)
    scores = Score.objects.filter(review__in=reviews).values_list(
        "review_id", "criterion_id", "value"
    )
    for review, criterion, value in scores:
        values[review][criterion] = value
    by_round = defaultdict(list)
    for review, (round_id, judge, submission) in keys.items():
        ids = [c.id for c in criteria[round_id]]
        by_round[round_id].append(
            ReviewInput(judge, submission, {cid: values[review].get(cid) for cid in ids})
        )
    return [_round_scores(r, by_round[r.pk], criteria[r.pk]) for r in sorted(rounds, key=_number)]


def _number(round):
    return round.number


def _round_scores(round, reviews, criteria) -> JudgeScores:
    counted = [c for c in criteria if c.weight > 0]
    low = min((c.min_value for c in counted), default=COMMON_SCALE[0])
    high = max((c.max_value for c in counted), default=COMMON_SCALE[1])
    if round.normalise_scales:
        low, high = COMMON_SCALE
    elif mixed_scales(criteria):
        return JudgeScores(round, {}, {}, low, high, refused=True)
    if not reviews:
        return JudgeScores(round, {}, {}, low, high)
    options = {"policy": round.missing_policy, "normalise": round.normalise_scales}
    scored = score_reviews(reviews, criteria, **options)
    scores = defaultdict(list)
    for j, r in zip(scored.j, scored.r, strict=True):
        scores[int(scored.judge_ids[j])].append(float(r))
    bias = rank(reviews, criteria, method="bias", bias_lambda=round.bias_lambda, **options)
    return JudgeScores(round, dict(scores), dict(bias.judge_bias), low, high)
