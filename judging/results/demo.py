"""Demo prizes for the past and the judged editions and, when the jury's demo has scored the
past edition's final round, its published results. Idempotent: a second run finds everything
in place and changes nothing."""

from judging.models import Round

from . import services
from .models import AwardPolicy, Prize, ResultSnapshot


def computed_at(calendar):
    """When the past edition's results were computed and approved (after its final)."""
    return calendar.at(-349, 10)


def published_at(calendar):
    """When the past edition's results were published: about a year before the anchor."""
    return calendar.at(-347, 12)


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
    {
        "name": "Prix de la résilience",
        "sponsor": "Ministère de la Sécurité publique",
        "reward": "1 500 $",
        "places": 1,
        "priority": 4,
        "challenge": 5,
        # Ranked on the preliminary round, which every project went through: its feedback is
        # then published to every team, finalist or not.
        "round": "preliminary",
        "description": "Le meilleur projet du défi sur les inondations.",
    },
]


JUDGED_PRIZES = [
    PRIZES[0],
    {
        "name": "Prix Hydro-Québec",
        "sponsor": "Hydro-Québec",
        "reward": "2 000 $",
        "places": 1,
        "priority": 2,
        "challenge": 3,
        "description": "Le meilleur projet du défi sur l'électrification des déplacements.",
    },
]


def _prizes(edition, rounds, prizes=PRIZES):
    challenges = {c.number: c for c in edition.challenges.all()}
    for spec in prizes:
        spec = dict(spec)
        final_round = rounds[0] if spec.pop("round", "final") == "preliminary" else rounds[-1]
        number = spec.pop("challenge", None)
        challenge = challenges.get(number)
        spec["eligibility"] = Prize.Eligibility.CHALLENGE if challenge else Prize.Eligibility.ALL
        prize, _created = Prize.objects.get_or_create(
            edition=edition,
            name=spec.pop("name"),
            defaults={**spec, "challenge": challenge, "round": final_round},
        )
        if prize.round is None and final_round is not None:
            # Prizes seeded before the jury's demo existed now follow its rounds.
            prize.round = final_round
            services.save_prize(prize, by=None)


def issue_certificates(snapshot):
    from .certificates import issue_certificates as issue

    return issue(snapshot)


def _publish(edition, organizer, calendar):
    snapshot = services.compute_results(edition, by=organizer)
    for award in snapshot.awards.filter(needs_decision=True).select_related("snapshot__edition"):
        services.override_award(award, by=organizer, submission=award.submission, reason=DECISION)
    services.approve_results(snapshot, by=organizer)
    # Demo data carries the calendar's dates, never "now": the deliberation came first.
    ResultSnapshot.objects.filter(pk=snapshot.pk).update(
        computed_at=computed_at(calendar), approved_at=computed_at(calendar)
    )
    snapshot.refresh_from_db()
    return services.publish_results(
        snapshot, by=organizer, at=published_at(calendar), allow_past=True, announce=False
    )


def seed(context) -> dict:
    judged = context["judging_edition"]
    AwardPolicy.objects.get_or_create(edition=judged)
    _prizes(judged, context.get("rounds_judging") or [None], JUDGED_PRIZES)
    edition = context["past_edition"]
    organizer = context["organizer"]
    rounds = context.get("rounds_past") or [
        Round.objects.filter(edition=edition).order_by("-number").first()
    ]
    final_round = rounds[-1]
    AwardPolicy.objects.get_or_create(edition=edition)
    _prizes(edition, rounds)
    if final_round is None or not final_round.reviews.filter(state="submitted").exists():
        return {}
    snapshot = ResultSnapshot.objects.filter(edition=edition).exclude(
        state=ResultSnapshot.State.SUPERSEDED
    )
    if snapshot.exists():
        return {"results": snapshot.first()}
    published = _publish(edition, organizer, context["timeline"])
    # Every participant of the past edition finds their certificates in their space.
    issue_certificates(published)
    return {"results": published}
