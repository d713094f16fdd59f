"""The jury's rankings of a round (`judging.rankings`), plus what a snapshot records."""

from judging.rankings import round_rankings, round_scores_digest

__all__ = ["round_parameters", "round_rankings", "round_scores_digest"]


def round_parameters(round_) -> dict:
    """The method and options a ranking of `round_` was computed with."""
    return {
        "round": round_.pk,
        "round_name": round_.name,
        "method": round_.method,
        "policy": round_.missing_policy,
        "median": round_.use_median,
        "bias_lambda": round_.bias_lambda,
    }
