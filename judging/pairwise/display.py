"""The organizers' view of a pairwise ranking (one query for the titles)."""

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from submissions.models import Submission


def pairwise_table(round, results) -> dict:
    result = results["pairwise"]
    subs = Submission.objects.in_bulk([e.submission for e in result.entries])
    rows = [
        {
            "rank": e.rank,
            "label": (subs[e.submission].title if e.submission in subs else "")
            or f"#{e.submission}",
            "score": number_format(e.score, 2),
            "error": number_format(e.std_error, 2),
            "n": e.n_reviews,
            "wins": round_share(e.mean_review),
            "tied": e.tied,
            "close": e.too_close_to_call,
        }
        for e in result.entries
    ]
    warnings = [
        _("%(n)s projects were never compared: they are not ranked.") % {"n": len(w.submissions)}
        for w in result.warnings
        if w.code == "unranked_submission"
    ]
    return {
        "pairwise_rows": rows,
        "pairwise_warnings": warnings,
        "pairwise_comparisons": sum(e.n_reviews for e in result.entries) // 2,
    }


def round_share(value: float) -> str:
    return f"{value:.0%}"
