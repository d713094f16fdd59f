"""Turn ranking results into rows and translated warnings for the organizers' page."""

from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from submissions.models import Submission

from .models import Judge

WARNING_TEXT = {
    "empty_review": lambda w: (
        ngettext(
            "%(n)s review with no counted value was ignored.",
            "%(n)s reviews with no counted value were ignored.",
            len(w.reviews),
        )
        % {"n": len(w.reviews)}
    ),
    "incomplete_review": lambda w: (
        ngettext(
            "%(n)s incomplete review was ignored (policy: ignore incomplete reviews).",
            "%(n)s incomplete reviews were ignored (policy: ignore incomplete reviews).",
            len(w.reviews),
        )
        % {"n": len(w.reviews)}
    ),
    "unranked_submission": lambda w: (
        ngettext(
            "%(n)s project has no counted review and is not ranked.",
            "%(n)s projects have no counted review and are not ranked.",
            len(w.submissions),
        )
        % {"n": len(w.submissions)}
    ),
    "one_review_judge": lambda w: (
        ngettext(
            "%(n)s judge wrote a single review: their z-scores are set to 0.",
            "%(n)s judges wrote a single review: their z-scores are set to 0.",
            len(w.judges),
        )
        % {"n": len(w.judges)}
    ),
    "zero_spread_judge": lambda w: (
        ngettext(
            "%(n)s judge gave every project the same score: their z-scores are set to 0.",
            "%(n)s judges gave every project the same score: their z-scores are set to 0.",
            len(w.judges),
        )
        % {"n": len(w.judges)}
    ),
    "disconnected_graph": lambda w: (
        ngettext(
            "The judge-project graph is not connected: %(n)s project is ranked in a separate "
            "group; scores of different groups cannot be compared.",
            "The judge-project graph is not connected: %(n)s projects are ranked in separate "
            "groups; scores of different groups cannot be compared.",
            len(w.submissions),
        )
        % {"n": len(w.submissions)}
    ),
}


def tie_break_label(step: str | None, *, tied: bool, criterion: str | None = None) -> str:
    """What placed one ranking entry: its score alone, or the cascade step that did."""
    if tied:
        return _("tie that remains")
    if step is None:
        return _("score")
    if step == "tiebreak_criterion" and criterion:
        return _("tie-break criterion “%(name)s”") % {"name": criterion}
    labels = {
        "tiebreak_criterion": _("tie-break criterion"),
        "mean_review": _("raw mean of the reviews"),
        "review_count": _("number of reviews"),
        "previous_round_score": _("score in the previous round"),
    }
    return labels.get(step, step)


METHOD_LABELS = {
    "mean": lambda median: _("Median of review scores") if median else _("Mean of review scores"),
    "zscore": lambda median: _("Per-judge z-score"),
    "bias": lambda median: _("Judge-bias model"),
}


# A spread of judges' biases (in points of review score) past which the plain mean is unfair
# to projects that met harsher judges.
BIAS_SPREAD_LIMIT = 1.0


def method_reliability(method: str, results) -> list[str]:
    """Why `method` cannot be trusted on this round's judge-project graph (empty: it can)."""
    bias = results["bias"]
    entries = results[method].entries
    judges = len(bias.judge_bias)
    reasons = []
    if not entries:
        return reasons
    everyone_saw_all = all(e.n_reviews == judges for e in entries)
    if method == "bias":
        if bias.components > 1:
            reasons.append(
                _(
                    "The judges and projects form %(n)s groups that share no judge, so scores "
                    "of different groups cannot be compared. Assign so that judges overlap "
                    "(for a final: every judge reviews every finalist)."
                )
                % {"n": bias.components}
            )
        if all(e.n_reviews == 1 for e in entries):
            reasons.append(
                _(
                    "Each project has a single review: a judge's severity cannot be told "
                    "apart from the project's quality."
                )
            )
    elif method == "zscore":
        codes = {w.code for w in results[method].warnings}
        if codes & {"one_review_judge", "zero_spread_judge"}:
            reasons.append(
                _(
                    "Some judges reviewed a single project or gave every project the same "
                    "score: their standardised scores carry no information."
                )
            )
    elif not everyone_saw_all and bias.judge_bias:
        spread = max(bias.judge_bias.values()) - min(bias.judge_bias.values())
        if spread > BIAS_SPREAD_LIMIT:
            reasons.append(
                _(
                    "Judges' severities differ by up to %(spread)s points and projects did "
                    "not all meet the same judges: the mean favours projects that met lenient "
                    "judges."
                )
                % {"spread": f"{spread:.1f}"}
            )
    return reasons


def _cell(entry, group, number, steps):
    """A method's cell, formatted here: a 500-row table then renders in one plain loop."""
    if entry is None:
        return None
    return {
        "rank": entry.rank,
        "group": group % {"part": entry.component} if entry.component > 1 else "",
        "score": number(entry.score, 3),
        "tied": entry.tied,
        "close": entry.too_close_to_call,
        # Only a step that did something is shown: most entries are placed by score alone.
        "step": steps.get((entry.tie_break, entry.tied), "")
        if entry.tie_break or entry.tied
        else "",
    }


def ranking_tables(round, results) -> dict:
    """Context for the rankings page: one row per project with the three methods side by
    side (ordered by the round's chosen method), each method's warnings, and judges' biases.

    Two queries (submissions, judges) whatever the size of the round.
    """
    order = [round.method, *(m for m in results if m != round.method)]
    by_method = {m: {e.submission: e for e in results[m].entries} for m in order}
    ids = [e.submission for e in results[round.method].entries]
    ids += sorted({s for m in order for s in by_method[m]} - set(ids))
    subs = Submission.objects.select_related("challenge").in_bulk(ids)
    judge_ids = list(results["bias"].judge_bias)
    judges = {j.pk: j for j in Judge.objects.filter(pk__in=judge_ids).select_related("user")}
    rows = []
    group = _("group %(part)s")
    # One look-up of the separator: number_format() per cell costs more than the table.
    separator = get_format("DECIMAL_SEPARATOR")
    criterion = next((c.name for c in round.criteria.all() if c.is_tiebreak), None)
    # Each label translated once, not once per cell.
    steps = {
        (step, tied): tie_break_label(step, tied=tied, criterion=criterion)
        for step in (None, "tiebreak_criterion", "mean_review", "review_count",
                     "previous_round_score")
        for tied in (False, True)
    }  # fmt: skip
    steps[(None, False)] = ""

    def number(value, places):
        return f"{value:.{places}f}".replace(".", separator)

    for sid in ids:
        entries = [by_method[m].get(sid) for m in order]
        first = next(e for e in entries if e is not None)
        submission = subs.get(sid)
        rows.append(
            {
                "label": (submission.title if submission else "") or f"#{sid}",
                "n_reviews": first.n_reviews,
                "spread": number(first.spread, 2),
                "cells": [_cell(e, group, number, steps) for e in entries],
            }
        )
    methods = [
        {
            "name": m,
            "label": METHOD_LABELS[m](round.use_median),
            "chosen": m == round.method,
            "warnings": [
                WARNING_TEXT.get(w.code, lambda w: w.code)(w) for w in results[m].warnings
            ],
            "components": results[m].components,
            "unreliable": method_reliability(m, results),
        }
        for m in order
    ]
    biases = sorted(
        ((judges.get(j), b) for j, b in results["bias"].judge_bias.items()),
        key=lambda row: row[1],
    )
    return {"methods": methods, "rows": rows, "biases": biases}
