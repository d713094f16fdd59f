"""Demo prizes for HackQC 2026 and, when the jury's demo has scored a final round, its
published results. Idempotent: a second run finds everything in place and changes nothing."""

import datetime as dt
from zoneinfo import ZoneInfo

from judging.models import Round

from . import services
from .models import AwardPolicy, Prize, ResultSnapshot

PUBLISHED_AT = dt.datetime(2026, 11, 16, 12, 0, tzinfo=ZoneInfo("America/Montreal"))
COMPUTED_AT = dt.datetime(2026, 11, 12, 10, 0, tzinfo=ZoneInfo("America/Montreal"))
DECISION = "Décision du jury lors de la délibération finale (données de démonstration)."

PRIZES = [
    {
        "name": "Grand prix HackQC",
        "sponsor": "Ministère de la Cybersécurité et du Numérique",
        "reward": "5 000 $",
        "places": 3,
        "priority": 1,
        "description": "Les trois meilleurs projets de l'édition, tous défis confondus.",
    },
    {
        "name": "Prix Hydro-Québec",
        "sponsor": "Hydro-Québec",
        "reward": "2 000 $",
        "places": 1,
        "priority": 2,
        "challenge": 2,
        "description": "Le meilleur projet du défi sur les pointes hivernales.",
    },
    {
        "name": "Prix de la Ville de Montréal",
        "sponsor": "Ville de Montréal",
        "reward": "Un accompagnement de six mois par l'équipe des données ouvertes",
        "places": 1,
        "priority": 3,
        "challenge": 1,
        "description": "Le meilleur projet du défi sur la mobilité durable.",
    },
]


def _prizes(edition, final_round):
    challenges = {c.number: c for c in edition.challenges.all()}
    for spec in PRIZES:
        spec = dict(spec)
        number = spec.pop("challenge", None)
        challenge = challenges.get(number)
        spec["eligibility"] = Prize.Eligibility.CHALLENGE if challenge else Prize.Eligibility.ALL
        prize, _created = Prize.objects.get_or_create(
            edition=edition,
            name=spec.pop("name"),
            defaults={**spec, "challenge": challenge, "round": final_round},
        )
        if prize.round is None and final_round is not None:
            # Prizes seeded before the jury's demo existed now follow its final round.
            prize.round = final_round
            services.save_prize(prize, by=None)


def _publish(edition, organizer):
    snapshot = services.compute_results(edition, by=organizer)
    for award in snapshot.awards.filter(needs_decision=True).select_related("snapshot__edition"):
        services.override_award(award, by=organizer, submission=award.submission, reason=DECISION)
    services.approve_results(snapshot, by=organizer)
    # Demo data carries fixed dates, never "now": the deliberation happened before publishing.
    ResultSnapshot.objects.filter(pk=snapshot.pk).update(
        computed_at=COMPUTED_AT, approved_at=COMPUTED_AT
    )
    snapshot.refresh_from_db()
    return services.publish_results(
        snapshot, by=organizer, at=PUBLISHED_AT, allow_past=True, announce=False
    )


def seed(context) -> dict:
    edition = context["past_edition"]
    organizer = context["organizer"]
    rounds = context.get("rounds_2026") or [
        Round.objects.filter(edition=edition).order_by("-number").first()
    ]
    final_round = rounds[-1]
    AwardPolicy.objects.get_or_create(edition=edition)
    _prizes(edition, final_round)
    if final_round is None or not final_round.reviews.filter(state="submitted").exists():
        return {}
    snapshot = ResultSnapshot.objects.filter(edition=edition).exclude(
        state=ResultSnapshot.State.SUPERSEDED
    )
    if snapshot.exists():
        return {"results": snapshot.first()}
    return {"results": _publish(edition, organizer)}
