"""Plain-language explanations shown beside published results."""

from django.utils.translation import gettext_lazy as _

METHOD_EXPLANATIONS = {
    "mean": _(
        "Each judge scored the project on every criterion of the grid; the weighted criteria "
        "give a review score, and the project's score is the mean of its review scores."
    ),
    "zscore": _(
        "Each judge's review scores were standardised against that judge's own average and "
        "spread, so a harsh or a generous judge weighs the same; the project's score is the "
        "mean of its standardised scores."
    ),
    "bias": _(
        "A statistical model estimated each project's quality and each judge's severity at the "
        "same time from all the review scores, so a project is not penalised for meeting a "
        "harsh judge. Projects are ranked by their estimated quality."
    ),
}

TIE_EXPLANATION = _(
    "Equal scores are separated by the tie-break criterion, then the raw mean of the reviews, "
    "then the number of reviews; a tie that remains is decided by the organizers, who give "
    "their reason."
)


def explain(method: str) -> str:
    return str(METHOD_EXPLANATIONS.get(method, ""))
