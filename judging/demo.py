"""Demo jury for HackQC 2026: six judges, a preliminary and a final round, reviews in every
state. Idempotent (get_or_create, fixed values and dates)."""

import datetime as dt

from hackqc.demo import local

from .models import (
    Assignment,
    Conflict,
    Criterion,
    Finalist,
    Judge,
    JudgeInvitation,
    Review,
    ReviewChange,
    Round,
    Score,
)
from .queries import conflict_map

ORGANISATIONS = [
    "Ministère de la Cybersécurité et du Numérique",
    "Ville de Montréal",
    "Hydro-Québec",
    "Université Laval",
    "Ville de Québec",
    "Institut de la statistique du Québec",
]
CRITERIA = [
    ("Innovation et originalité", 3, "Déjà vu ailleurs", "Idée neuve et audacieuse"),
    ("Utilité pour la collectivité", 3, "Besoin flou", "Répond à un besoin réel et mesurable"),
    ("Utilisation des données ouvertes", 2, "Un seul jeu, peu exploité", "Plusieurs jeux croisés"),
    ("Expérience utilisateur", 1, "Difficile à utiliser", "Claire, accessible, soignée"),
    ("Exécution technique", 1, "Maquette", "Prototype robuste"),
    ("Présentation", 0, "Confuse", "Convaincante"),
]
FINAL_CRITERIA = [
    ("Impact", 2, "Limité", "Fort"),
    ("Prototype", 1, "Fragile", "Démontré en direct"),
]
# Leniency of each demo judge, in points: judge 1 is harsh, judge 6 lenient.
BIAS = [-2, 0, 0, 1, 0, 1]


def _judges(edition, users, challenges):
    judges = []
    for i, user in enumerate(users):
        judge, _created = Judge.objects.get_or_create(
            edition=edition,
            user=user,
            defaults={"organisation": ORGANISATIONS[i], "accepted_at": edition.submissions_close},
        )
        if challenges and not judge.preferred_challenges.exists():
            judge.preferred_challenges.set([challenges[i % len(challenges)]])
        judges.append(judge)
    return judges


def _round(edition, number, defaults, criteria):
    round, _created = Round.objects.get_or_create(edition=edition, number=number, defaults=defaults)
    for order, (name, weight, low, high) in enumerate(criteria):
        Criterion.objects.get_or_create(
            round=round,
            name=name,
            defaults={
                "weight": weight,
                "low_label": low,
                "high_label": high,
                "order": order,
                "is_tiebreak": order == 1,
            },
        )
    return round


def _rounds(edition):
    prelim = _round(
        edition,
        1,
        {
            "name": "Ronde préliminaire",
            "opens_at": local(2026, 10, 26, 13),
            "closes_at": local(2026, 11, 2, 17),
            "closed_at": local(2026, 11, 2, 17),
            "judges_per_submission": 3,
        },
        CRITERIA,
    )
    final = _round(
        edition,
        2,
        {
            "name": "Finale à Rimouski",
            "opens_at": local(2026, 11, 6, 9),
            "closes_at": local(2026, 11, 9, 17),
            "closed_at": local(2026, 11, 9, 17),
            "judges_per_submission": 3,
            "scope": Round.Scope.FINALISTS,
            "source_round": prelim,
        },
        FINAL_CRITERIA,
    )
    return prelim, final


def _value(sub_index, judge_index, criterion_index, scale_max):
    # Each project has its own quality (0 to 4 points, distinct for the five demo projects),
    # each criterion a small offset, each judge a leniency: the three methods then differ.
    quality = (sub_index * 2) % 5
    base = 3 + quality + criterion_index % 2 + BIAS[judge_index % len(BIAS)]
    return float(max(0, min(scale_max, base)))


def _review(round, judge, sub, *, state, at, sub_index, judge_index, reason=""):
    review, created = Review.objects.get_or_create(
        round=round,
        judge=judge,
        submission=sub,
        defaults={
            "state": state,
            "submitted_at": at if state == Review.State.SUBMITTED else None,
            "updated_at": at,
            "recusal_reason": reason,
            "feedback": "" if state == Review.State.RECUSED else "Bonne utilisation des données.",
        },
    )
    if not created:
        return review
    values = {}
    if state != Review.State.RECUSED:
        for ci, c in enumerate(round.criteria.order_by("order")):
            value = (
                None
                if (state == Review.State.DRAFT and ci > 1)
                else _value(sub_index, judge_index, ci, c.max_value)
            )
            Score.objects.create(review=review, criterion=c, value=value)
            values[str(c.pk)] = value
    action = {"submitted": "submit", "draft": "draft", "recused": "recuse"}[state]
    ReviewChange.objects.create(
        review=review,
        action=action,
        changed_by=judge.user,
        changed_at=at,
        version=1,
        new={"state": state, "scores": values, "recusal_reason": reason},
    )
    if state == Review.State.RECUSED:
        Conflict.objects.get_or_create(
            judge=judge,
            team=sub.team,
            kind=Conflict.Kind.RECUSAL,
            defaults={"reason": reason, "created_by": judge.user, "created_at": at},
        )
    return review


def _assign(round, judges, subs, k, conflicts):
    pairs = []
    for s_index, sub in enumerate(subs):
        chosen = [
            j
            for j in (judges[(s_index + t) % len(judges)] for t in range(len(judges)))
            if (j.pk, sub.team_id) not in conflicts
        ][:k]
        for judge in chosen:
            Assignment.objects.get_or_create(round=round, judge=judge, submission=sub)
            pairs.append((s_index, sub, judges.index(judge), judge))
    return pairs


def _review_prelim(prelim, judges, subs, conflicts):
    at = local(2026, 10, 30, 15)
    for n, (s_index, sub, j_index, judge) in enumerate(_assign(prelim, judges, subs, 3, conflicts)):
        if n == 1:
            state, reason = Review.State.RECUSED, "J'ai encadré cette équipe lors d'un atelier."
        elif n == 4:
            state, reason = Review.State.DRAFT, ""
        else:
            state, reason = Review.State.SUBMITTED, ""
        _review(
            prelim,
            judge,
            sub,
            state=state,
            at=at + dt.timedelta(minutes=n),
            sub_index=s_index,
            judge_index=j_index,
            reason=reason,
        )


def _finalists(prelim, final, subs):
    """The first challenge's best and the next two projects, by the demo's fixed order."""
    if Finalist.objects.filter(round=final).exists():
        return list(final.finalists.select_related("submission").order_by("source_rank"))
    chosen = subs[: min(4, len(subs))]
    for rank, sub in enumerate(chosen, start=1):
        Finalist.objects.create(
            round=final,
            submission=sub,
            reason=Finalist.Reason.TOP if rank <= 2 else Finalist.Reason.WILDCARD,
            source_score=8.0 - rank / 2,
            source_rank=rank,
            selected_at=prelim.closed_at,
        )
    return list(final.finalists.select_related("submission").order_by("source_rank"))


def _review_final(final, judges, finalists, conflicts):
    subs = [f.submission for f in finalists]
    at = local(2026, 11, 8, 11)
    for n, (s_index, sub, j_index, judge) in enumerate(_assign(final, judges, subs, 3, conflicts)):
        _review(
            final,
            judge,
            sub,
            state=Review.State.SUBMITTED,
            at=at + dt.timedelta(minutes=n),
            sub_index=s_index,
            judge_index=j_index,
        )


def seed(context):
    edition = context["past_edition"]
    challenges = list(edition.challenges.order_by("number"))
    judges = _judges(edition, context["judges"], challenges)
    prelim, final = _rounds(edition)
    JudgeInvitation.objects.get_or_create(
        edition=context["current_edition"],
        email="nouvelle.juge@example.org",
        defaults={"invited_by": context["organizer"], "created_at": local(2026, 11, 20)},
    )
    subs = context.get("submissions_2026")
    if subs:
        subs = sorted(subs, key=lambda s: s.pk)
        # A demo recusal must not move its own assignment on the next run.
        conflicts = {
            key
            for key, reasons in conflict_map(edition).items()
            if any(r.kind != Conflict.Kind.RECUSAL for r in reasons)
        }
        _review_prelim(prelim, judges, subs, conflicts)
        _review_final(final, judges, _finalists(prelim, final, subs), conflicts)
    return {"judges_2026": judges, "rounds_2026": [prelim, final]}
