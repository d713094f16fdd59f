"""Turn ranking results into rows and translated warnings for the organizers' page."""

from django.utils.translation import gettext as _

from submissions.models import Submission

from .models import Judge

WARNING_TEXT = {
    "empty_review": lambda w: (
        _("%(n)s review(s) with no counted value were ignored.") % {"n": len(w.reviews)}
    ),
    "incomplete_review": lambda w: (
        _("%(n)s incomplete review(s) were ignored (policy: ignore incomplete reviews).")
        % {"n": len(w.reviews)}
    ),
    "unranked_submission": lambda w: (
        _("%(n)s project(s) have no counted review and are not ranked.") % {"n": len(w.submissions)}
    ),
    "one_review_judge": lambda w: (
        _("%(n)s judge(s) wrote a single review: their z-scores are set to 0.")
        % {"n": len(w.judges)}
    ),
    "zero_spread_judge": lambda w: (
        _("%(n)s judge(s) gave every project the same score: their z-scores are set to 0.")
        % {"n": len(w.judges)}
    ),
    "disconnected_graph": lambda w: (
        _(
            "The judge-project graph is not connected: %(n)s project(s) are ranked in separate "
            "groups; scores of different groups cannot be compared."
        )
        % {"n": len(w.submissions)}
    ),
}

METHOD_LABELS = {
    "mean": lambda median: _("Median of review scores") if median else _("Mean of review scores"),
    "zscore": lambda median: _("Per-judge z-score"),
    "bias": lambda median: _("Judge-bias model"),
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
    for sid in ids:
        cells = [by_method[m].get(sid) for m in order]
        first = next(c for c in cells if c is not None)
        rows.append({"submission": subs.get(sid), "id": sid, "entry": first, "cells": cells})
    methods = [
        {
            "name": m,
            "label": METHOD_LABELS[m](round.use_median),
            "chosen": m == round.method,
            "warnings": [
                WARNING_TEXT.get(w.code, lambda w: w.code)(w) for w in results[m].warnings
            ],
            "components": results[m].components,
        }
        for m in order
    ]
    biases = sorted(
        ((judges.get(j), b) for j, b in results["bias"].judge_bias.items()),
        key=lambda row: row[1],
    )
    return {"methods": methods, "rows": rows, "biases": biases}
