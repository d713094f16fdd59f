"""The cards of the personal space that the jury app owns: for a judge, the rounds open now
with the reviews left; for an organizer, each round's progress and rankings."""

from django.db.models import Count, OuterRef, Q, Subquery

from hackqc.models import Edition
from hackqc.space import Card, register

from .models import Assignment, Judge, Review, Round
from .services.reviews import is_round_open


@register
def judge_cards(user, now) -> list[Card]:
    roles = list(
        Judge.objects.filter(user=user).exclude(accepted_at=None).select_related("edition")
    )
    if not roles:
        return []
    state = Review.objects.filter(
        round=OuterRef("round"), judge=OuterRef("judge"), submission=OuterRef("submission")
    ).values("state")[:1]
    counts = {
        row["round"]: row
        for row in Assignment.objects.filter(judge__in=roles)
        .annotate(state=Subquery(state))
        .values("round")
        .annotate(
            assigned=Count("pk"),
            done=Count("pk", filter=Q(state__in=[Review.State.SUBMITTED, Review.State.RECUSED])),
        )
        .order_by()
    }
    rounds: dict[int, list] = {}
    sponsor_of = {role.edition_id: role.sponsor for role in roles}
    for round in Round.objects.filter(edition__in=sponsor_of).order_by("number"):
        # A sponsor's judge scores only in the rounds of that sponsor's prize.
        if round.sponsor != sponsor_of[round.edition_id]:
            continue
        row = counts.get(round.pk, {"assigned": 0, "done": 0})
        rounds.setdefault(round.edition_id, []).append(
            {
                "round": round,
                "open": is_round_open(round, now),
                "upcoming": round.closed_at is None and now < round.opens_at,
                "assigned": row["assigned"],
                "left": row["assigned"] - row["done"],
            }
        )
    return [
        Card(
            template="judging/space_judge.html",
            edition=role.edition,
            order=30,
            context={"judge": role, "rounds": rounds.get(role.edition_id, [])},
        )
        for role in roles
    ]


@register
def organizer_round_cards(user, now) -> list[Card]:
    editions = {e.pk: e for e in Edition.objects.organized_by(user).filter(is_synthetic=False)}
    if not editions:
        return []
    rounds: dict[int, list] = {}
    for round in Round.objects.filter(edition__in=editions).order_by("number"):
        rounds.setdefault(round.edition_id, []).append(
            {"round": round, "open": is_round_open(round, now)}
        )
    return [
        Card(
            template="judging/space_organizer.html",
            edition=edition,
            order=45,
            context={"rounds": rounds.get(pk, [])},
        )
        for pk, edition in editions.items()
    ]
