"""Demo jury: six judges in the past and the judged editions.

Past edition: a preliminary and a final round, both closed, reviews in every state. Judged
edition: its preliminary round open now, each judge partway through (some reviews submitted,
a draft, some not started; judge 4 has started none). Each written feedback is the judge's
own words on that project. Idempotent (get_or_create, dates from the demo's calendar).
"""

import datetime as dt

from hackqc.demo import french

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
# Judged edition: how many of its assigned reviews each judge has submitted; the next one is a
# draft for judges 1, 3 and 5, the others are not started.
SUBMITTED_SO_FAR = [1, 2, 3, 0, 2, 1]

# What each judge says of a project (by title), in the judge's own turn of phrase; a project
# without notes here gets a remark naming it.
NOTES = {
    "Vélo futé": [
        "L'achalandage mesuré rend la carte crédible",
        "Le lien avec les arrêts de bus est une vraie trouvaille",
        "Le choix des couleurs par achalandage se lit d'un coup d'œil",
    ],
    "Pointe futée": [
        "La prédiction à 24 heures est impressionnante pour un hackathon",
        "Les gestes proposés sont concrets et faciles à suivre",
        "Croiser production et demande éclaire bien l'enjeu des pointes",
    ],
    "Souffle": [
        "Les conseils adaptés à l'asthme répondent à un besoin réel",
        "L'interpolation hors de Montréal est expliquée avec honnêteté",
        "Proposer un parc où respirer est une idée touchante",
    ],
    "Balade patrimoniale": [
        "Les circuits audio donnent envie de sortir marcher",
        "Le mode hors ligne montre un vrai souci des touristes",
        "Finir près d'un stationnement, c'est penser au parcours complet",
    ],
    "Crue Alerte": [
        "L'essai sur la crue de l'an dernier convainc",
        "Le croisement zones inondables et niveaux en temps réel est exemplaire",
        "Les seuils par station méritent d'être validés avec le ministère",
    ],
    "Canopée": [
        "La note par tronçon de rue est claire et défendable",
        "L'export pour les arrondissements rend l'outil utilisable dès demain",
        "Tenir compte de la population touchée est un excellent réflexe",
    ],
    "Bac à bac": [
        "Le moteur de tri répond à la question que tout le monde se pose",
        "Réunir deux villes aux secteurs différents n'était pas simple",
        "Le rappel la veille de la collecte est simple et efficace",
    ],
    "Prochaine borne": [
        "Fusionner les deux répertoires de bornes rend un vrai service",
        "Le calcul d'itinéraire est rapide et bien pensé",
        "Tenir compte de l'autonomie restante montre une bonne écoute des usagers",
    ],
    "Après la tempête": [
        "L'alerte avant le passage de la souffleuse éviterait bien des remorquages",
        "Le fil de la tempête rassemble enfin trois sources éparses",
        "La mise en cache des opérations de déneigement est astucieuse",
    ],
    "Oasis": [
        "Penser aux personnes âgées sans climatiseur donne tout son sens au projet",
        "La version imprimable montre un souci d'inclusion remarquable",
        "Associer lieux culturels et piscines élargit bien l'offre de fraîcheur",
    ],
    "Recharge partagée": [
        "Partager une borne entre voisins est une idée originale",
        "L'essai en coopérative d'habitation est un bon début",
        "Le modèle des heures creuses reste simple, mais il est bien expliqué",
    ],
}
ADVICE = [
    " ; pensez à documenter l'installation pour qu'une ville puisse la reprendre.",
    ". Il manque une mesure de l'impact auprès des usagers.",
    " ; l'interface gagnerait à être testée au lecteur d'écran.",
    ". Précisez la licence des données réutilisées dans l'application.",
    " ; une courte vidéo de démonstration aiderait le jury.",
    ". Le code mériterait quelques tests automatisés.",
    " ; expliquez davantage comment les données sont mises à jour.",
    ". Bravo pour la présentation, claire et bien rythmée.",
]


def feedback(title, sub_index, judge_index, final=False):
    """One judge's words on one project in one round: never the same text twice."""
    notes = NOTES.get(title) or [f"« {title} » répond bien au défi"]
    note = notes[judge_index % len(notes)]
    text = note + ADVICE[(sub_index + judge_index) % len(ADVICE)]
    return french(f"En finale, {text[0].lower()}{text[1:]}" if final else text)


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


def _past_rounds(edition, calendar):
    prelim = _round(
        edition,
        1,
        {
            "name": "Ronde préliminaire",
            "opens_at": calendar.at(-372, 13),
            "closes_at": calendar.at(-362, 17),
            "closed_at": calendar.at(-362, 17),
            "judges_per_submission": 3,
        },
        CRITERIA,
    )
    final = _round(
        edition,
        2,
        {
            "name": "Finale à Rimouski",
            "opens_at": calendar.at(-357, 9),
            "closes_at": calendar.at(-352, 17),
            "closed_at": calendar.at(-352, 17),
            "judges_per_submission": 3,
            "scope": Round.Scope.FINALISTS,
            "source_round": prelim,
        },
        FINAL_CRITERIA,
    )
    return prelim, final


def _open_round(edition, calendar):
    """Open since the deadline's afternoon, closing in ten days; never closed early."""
    return _round(
        edition,
        1,
        {
            "name": "Ronde préliminaire",
            "opens_at": calendar.at(-8, 13),
            "closes_at": calendar.at(10, 17),
            "judges_per_submission": 3,
        },
        CRITERIA,
    )


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
            "feedback": (
                ""
                if state == Review.State.RECUSED
                else feedback(sub.title, sub_index, judge_index, round.source_round_id is not None)
            ),
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
            Assignment.objects.get_or_create(
                round=round, judge=judge, submission=sub, defaults={"created_at": round.opens_at}
            )
            pairs.append((s_index, sub, judges.index(judge), judge))
    return pairs


def _review_prelim(prelim, judges, subs, conflicts, at):
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


def _review_final(final, judges, finalists, conflicts, at):
    subs = [f.submission for f in finalists]
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


def _review_open(round, judges, subs, conflicts, calendar):
    """Per judge, in assignment order: the first SUBMITTED_SO_FAR reviews submitted over the
    past days, then a draft for every other judge, then nothing yet."""
    done = dict.fromkeys(range(len(judges)), 0)
    for n, (s_index, sub, j_index, judge) in enumerate(_assign(round, judges, subs, 3, conflicts)):
        position = done[j_index]
        done[j_index] += 1
        wanted = SUBMITTED_SO_FAR[j_index % len(SUBMITTED_SO_FAR)]
        if position < wanted:
            state = Review.State.SUBMITTED
        elif position == wanted and j_index % 2 == 0:
            state = Review.State.DRAFT
        else:
            continue
        _review(
            round,
            judge,
            sub,
            state=state,
            at=calendar.at(-6 + position * 2, 19, n),
            sub_index=s_index,
            judge_index=j_index,
        )


def _conflicts(edition):
    # A demo recusal must not move its own assignment on the next run.
    return {
        key
        for key, reasons in conflict_map(edition).items()
        if any(r.kind != Conflict.Kind.RECUSAL for r in reasons)
    }


def seed(context):
    calendar = context["timeline"]
    past, judged = context["past_edition"], context["judging_edition"]
    judges = _judges(past, context["judges"], list(past.challenges.order_by("number")))
    prelim, final = _past_rounds(past, calendar)
    JudgeInvitation.objects.get_or_create(
        edition=context["current_edition"],
        email="nouvelle.juge@example.org",
        defaults={"invited_by": context["organizer"], "created_at": calendar.at(-5, 10)},
    )
    subs = sorted(context.get("submissions_past") or [], key=lambda s: s.pk)
    if subs:
        conflicts = _conflicts(past)
        _review_prelim(prelim, judges, subs, conflicts, calendar.at(-368, 15))
        finalists = _finalists(prelim, final, subs)
        _review_final(final, judges, finalists, conflicts, calendar.at(-353, 11))
    judged_judges = _judges(judged, context["judges"], list(judged.challenges.order_by("number")))
    open_round = _open_round(judged, calendar)
    subs = sorted(context.get("submissions_judging") or [], key=lambda s: s.pk)
    if subs:
        _review_open(open_round, judged_judges, subs, _conflicts(judged), calendar)
    return {
        "judges_past": judges,
        "rounds_past": [prelim, final],
        "judges_judging": judged_judges,
        "rounds_judging": [open_round],
    }
