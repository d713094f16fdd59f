"""Organizers choose a round's mode in the round form; it cannot change once judging began."""

import pytest
from django.urls import reverse

from judging.errors import RoundSetupError
from judging.models import Comparison, Judge, Round
from judging.services import update_round
from tests.factories.judging import JudgeFactory, RoundFactory
from tests.factories.teams import TeamFactory
from tests.judging.conftest import _submitted

FORM = {
    "name": "Expo",
    "opens_at": "2030-01-01T09:00",
    "closes_at": "2030-01-10T17:00",
    "judges_per_submission": 3,
    "scope": "all",
    "method": "bias",
    "missing_policy": "renormalise",
    "bias_lambda": 0,
}


def test_a_pairwise_round_is_created_from_the_form(client, organizer, edition):
    client.force_login(organizer)
    client.post(
        reverse("judging:round_create", args=[edition.slug]),
        {**FORM, "mode": "pairwise", "pairwise_alpha": "0.05"},
    )
    round_ = Round.objects.get()
    assert (round_.mode, round_.method, round_.pairwise_alpha) == ("pairwise", "pairwise", 0.05)


@pytest.mark.parametrize("alpha", ["0", "-1", "nan", "inf", "1e400"])
def test_the_form_refuses_a_useless_alpha(client, organizer, edition, alpha):
    client.force_login(organizer)
    response = client.post(
        reverse("judging:round_create", args=[edition.slug]),
        {**FORM, "mode": "pairwise", "pairwise_alpha": alpha},
    )
    assert response.status_code == 200
    assert not Round.objects.exists()


def test_a_scored_round_cannot_use_the_pairwise_method(client, organizer, edition):
    client.force_login(organizer)
    client.post(
        reverse("judging:round_create", args=[edition.slug]), {**FORM, "method": "pairwise"}
    )
    assert not Round.objects.exists()


def test_the_mode_is_frozen_once_a_comparison_exists(edition, organizer):
    round_ = RoundFactory(edition=edition, mode="pairwise", method="pairwise")
    update_round(round_, by=organizer, mode="live", method="bias")
    update_round(round_, by=organizer, mode="pairwise", method="pairwise")
    a, b = (_submitted(TeamFactory(edition=edition)) for _ in range(2))
    Comparison.objects.create(round=round_, judge=JudgeFactory(edition=edition), winner=a, loser=b)
    with pytest.raises(RoundSetupError):
        update_round(round_, by=organizer, mode="scored", method="bias")
    assert Round.objects.get().mode == "pairwise"
    assert Judge.objects.count() == 1
