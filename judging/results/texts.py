"""Plain-language explanations shown beside published results, written from what each round
really used (its recorded parameters), never from today's settings."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from judging.ranking_display import tie_break_label as display_tie_break

METHOD_EXPLANATIONS = {
    "mean": gettext_lazy(
        "Each judge scored the project on every criterion of the grid; the weighted criteria "
        "give a review score, and the project's score is the mean of its review scores."
    ),
    "median": gettext_lazy(
        "Each judge scored the project on every criterion of the grid; the weighted criteria "
        "give a review score, and the project's score is the median of its review scores."
    ),
    "zscore": gettext_lazy(
        "Each judge's review scores were standardised against that judge's own average and "
        "spread, so a harsh or a generous judge weighs the same; the project's score is the "
        "mean of its standardised scores."
    ),
    "bias": gettext_lazy(
        "A statistical model estimated each project's quality and each judge's severity at the "
        "same time from all the review scores, so a project is not penalised for meeting a "
        "harsh judge. Projects are ranked by their estimated quality."
    ),
    "pairwise": gettext_lazy(
        "Judges visited the projects one after the other and each time said which of the last "
        "two was better. A Bradley-Terry model, fitted with the choix library on every "
        "comparison (regularisation alpha = %(alpha)s), gives each project a strength; "
        "projects are ranked by it. The comparisons are published so anyone can refit it."
    ),
}

NORMALISED_SCALES = gettext_lazy(
    "Criteria scored on different scales were first brought to a common scale from 0 to 10, "
    "so each weighs exactly its weight."
)


def explain(method: str, *, median: bool = False) -> str:
    key = "median" if method == "mean" and median else method
    return str(METHOD_EXPLANATIONS.get(key, ""))


def _steps(parameters: dict) -> list[str]:
    steps = []
    if parameters.get("tiebreak_criterion"):
        steps.append(
            _("the tie-break criterion “%(name)s”") % {"name": parameters["tiebreak_criterion"]}
        )
    steps += [_("the raw mean of the reviews"), _("the number of reviews")]
    if parameters.get("previous_round"):
        steps.append(
            _("the score in the round “%(name)s”") % {"name": parameters["previous_round"]}
        )
    return steps


def explain_tie_break(parameters: dict) -> str:
    """The cascade this round used, in order, and what happens to a tie that survives it."""
    if parameters.get("method") == "pairwise":
        return _(
            "Projects with equal strengths stay tied; the tie is flagged for the jury and "
            "decided by the organizers, who give their reason."
        )
    return _(
        "Equal scores were separated by %(steps)s, in that order; a tie that remains after "
        "that is flagged for the jury and decided by the organizers, who give their reason."
    ) % {"steps": _(", then ").join(_steps(parameters))}


def explain_round(parameters: dict) -> dict:
    """The method text of one deciding round, from the parameters frozen with the results."""
    method = explain(parameters.get("method", ""), median=parameters.get("median", False))
    if parameters.get("method") == "pairwise":
        method = method % {"alpha": parameters.get("alpha", "?")}
    if parameters.get("normalise_scales"):
        method = f"{method} {NORMALISED_SCALES}"
    return {
        "name": parameters.get("round_name", ""),
        "method": method,
        "tie_break": explain_tie_break(parameters),
    }


def tie_break_label(step: str | None, *, tied: bool, parameters: dict) -> str:
    """What placed one ranking entry (see `judging.ranking_display.tie_break_label`)."""
    return display_tie_break(step, tied=tied, criterion=parameters.get("tiebreak_criterion"))
