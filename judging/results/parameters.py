"""What a results snapshot records of how each round was ranked (method, options, tie-breaks).

The rankings themselves come from `judging.round_rankings`; the maths from `judging.ranking`.
"""

from judging.models import Round


def round_parameters(round_) -> dict:
    """The method, options and tie-break cascade a ranking of `round_` was computed with.

    One query (the tie-break criterion); what the public method text and the exports state.
    """
    tiebreak = round_.criteria.filter(is_tiebreak=True).values_list("name", flat=True).first()
    previous = round_.source_round if round_.scope == Round.Scope.FINALISTS else None
    return {
        "round": round_.pk,
        "round_name": round_.name,
        "round_number": round_.number,
        "sponsor": round_.sponsor,
        "method": round_.method,
        "mode": round_.mode,
        "alpha": round_.pairwise_alpha if round_.mode == Round.Mode.PAIRWISE else None,
        "policy": round_.missing_policy,
        "median": round_.use_median,
        "bias_lambda": round_.bias_lambda,
        "normalise_scales": round_.normalise_scales,
        "tiebreak_criterion": tiebreak,
        "previous_round": previous.name if previous else None,
    }
