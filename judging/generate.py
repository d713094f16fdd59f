"""A complete synthetic edition for benchmarks and demos, deterministic for a seed.

The edition is marked synthetic (never on public pages, in lists or in open data) and gets
a throwaway portal of its own for its datasets; `delete_synthetic_edition` removes it all.

Teams with registered members, datasets, submitted projects with a version, judges (a few
harsh and lenient ones), automatic and declared conflicts, one round with six criteria
assigned by the exact solver, and every assignment reviewed and submitted. Everything is
written with bulk_create, so 500 submissions take a few seconds.
"""

import datetime as dt
import uuid
from dataclasses import dataclass

import numpy as np
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX as UNUSABLE
from django.db import transaction

from hackqc.models import Challenge, Edition
from submissions.catalogue.models import Dataset, Portal
from submissions.models import DatasetLink, Submission
from submissions.services import NewVersion, store_versions
from submissions.snapshots import snapshot_queryset
from teams.models import Membership, Registration, Team

from .models import Conflict, Criterion, Judge, Review, ReviewChange, Round, Score
from .services.assignment import run_assignment

UTC = dt.UTC
TEAM_SIZE = 4
ORGANISATIONS = [f"Organisation {i:02d}" for i in range(1, 31)]
CRITERIA = [
    ("Innovation", 3.0),
    ("Utilité pour la collectivité", 2.0),
    ("Utilisation des données ouvertes", 2.0),
    ("Expérience utilisateur", 1.0),
    ("Exécution technique", 1.0),
    ("Présentation", 0.0),
]
HARSH, LENIENT = -2.0, 1.5


@dataclass(frozen=True)
class GeneratedEdition:
    edition: Edition
    round: Round
    harsh_judges: list[int]
    lenient_judges: list[int]
    max_load: int
    lower_bound: int


def _dates():
    start = dt.datetime(2025, 1, 10, 14, tzinfo=UTC)
    return {
        "registration_opens": start,
        "registration_closes": start + dt.timedelta(days=30),
        "hacking_starts": start + dt.timedelta(days=35),
        "submissions_close": start + dt.timedelta(days=45),
        "judging_ends": start + dt.timedelta(days=60),
    }


def _users(prefix, count, label):
    User = get_user_model()
    users = [
        User(
            email=f"{prefix}-{label}{i}@example.test",
            display_name=f"{label} {i}",
            password=UNUSABLE,
        )
        for i in range(count)
    ]
    User.objects.bulk_create(users)
    return list(User.objects.filter(email__startswith=f"{prefix}-{label}").order_by("pk"))


def synthetic_portal_name(slug) -> str:
    return f"synthetic-{slug}"[:50]


def _datasets(slug, count=40):
    """Datasets on a throwaway portal of the edition's own, never on a real one: they are
    hidden from the catalogue and deleted with the edition."""
    portal = Portal.objects.create(
        name=synthetic_portal_name(slug),
        title=f"Portail synthétique {slug} (données de test)",
        api_url="https://synthetic.invalid/api/3/action/",
        dataset_url_pattern="https://synthetic.invalid/dataset/{name}",
        is_synthetic=True,
    )
    datasets = [
        Dataset(
            portal=portal,
            ckan_id=uuid.uuid5(uuid.NAMESPACE_URL, f"hackqc-generated/{slug}/{i}"),
            name=f"{slug}-jeu-{i}",
            title=f"Jeu de données synthétique {i}",
        )
        for i in range(count)
    ]
    Dataset.objects.bulk_create(datasets)
    return list(Dataset.objects.filter(portal=portal).order_by("pk"))


@transaction.atomic
def delete_synthetic_edition(slug) -> dict:
    """Deletes a generated edition with everything it made: its teams, projects, jury, its
    throwaway portal and datasets, and its made-up accounts. Refuses a real edition."""
    edition = Edition.objects.filter(slug=slug).first()
    if edition is None or not edition.is_synthetic:
        raise ValueError(f"{slug!r} is not a synthetic edition")
    User = get_user_model()
    users = User.objects.filter(email__startswith=f"{slug}-", email__endswith="@example.test")
    counts = {"users": users.count()}
    # What points at the edition's challenges and rounds with PROTECT goes first.
    edition.prizes.all().delete()
    Submission.objects.filter(edition=edition).delete()
    Team.objects.filter(edition=edition).delete()
    for round_ in edition.rounds.order_by("-number"):
        round_.delete()
    counts["editions"] = Edition.objects.filter(pk=edition.pk).delete()[0]
    portal = Portal.objects.filter(name=synthetic_portal_name(slug), is_synthetic=True)
    counts["portal"] = Dataset.objects.filter(portal__in=portal).delete()[0]
    counts["portal"] += portal.delete()[0]
    users.delete()
    return counts


def _teams(edition, rng, challenges, n):
    members = _users(edition.slug, n * TEAM_SIZE, "p")
    Registration.objects.bulk_create(
        [
            Registration(edition=edition, user=u, organisation=ORGANISATIONS[rng.integers(30)])
            for u in members
        ]
    )
    Team.objects.bulk_create(
        [
            Team(edition=edition, name=f"Équipe {i + 1}", challenge=challenges[i % len(challenges)])
            for i in range(n)
        ]
    )
    teams = list(Team.objects.filter(edition=edition).order_by("pk"))
    Membership.objects.bulk_create(
        [
            Membership(
                team=teams[i // TEAM_SIZE], edition=edition, user=u, is_captain=i % TEAM_SIZE == 0
            )
            for i, u in enumerate(members)
        ]
    )
    return teams, members


def _submissions(edition, rng, teams, members, datasets):
    at = edition.submissions_close - dt.timedelta(hours=2)
    Submission.objects.bulk_create(
        [
            Submission(
                edition=edition,
                team=t,
                title=f"Projet {i + 1}",
                pitch="Des données ouvertes au service de la collectivité.",
                description=f"Le projet {i + 1} croise plusieurs jeux de données.",
                challenge_id=t.challenge_id,
                state=Submission.State.SUBMITTED,
                created_at=at,
                updated_at=at,
            )
            for i, t in enumerate(teams)
        ]
    )
    subs = list(Submission.objects.filter(edition=edition).order_by("pk"))
    links = []
    for sub in subs:
        chosen = rng.choice(len(datasets), size=int(rng.integers(1, 4)), replace=False)
        links += [
            DatasetLink(submission=sub, dataset=datasets[d], position=p)
            for p, d in enumerate(chosen)
        ]
    DatasetLink.objects.bulk_create(links)
    store_versions(
        NewVersion(submission=sub, number=1, submitted_by=members[i * TEAM_SIZE], submitted_at=at)
        for i, sub in enumerate(
            snapshot_queryset(Submission.objects.filter(edition=edition).order_by("pk"))
        )
    )
    return subs


def _judges(edition, rng, challenges, count):
    users = _users(edition.slug, count, "j")
    Judge.objects.bulk_create(
        [
            Judge(
                edition=edition,
                user=u,
                # One judge in five shares an organisation with participants: automatic conflicts.
                organisation=ORGANISATIONS[rng.integers(30)] if i % 5 == 0 else f"Jury {i}",
                accepted_at=edition.submissions_close,
            )
            for i, u in enumerate(users)
        ]
    )
    judges = list(Judge.objects.filter(edition=edition).order_by("pk"))
    through = Judge.preferred_challenges.through
    through.objects.bulk_create(
        [
            through(judge_id=j.pk, challenge_id=challenges[c].pk)
            for j in judges
            for c in rng.choice(len(challenges), size=2, replace=False)
        ]
    )
    return judges


def _declared_conflicts(rng, judges, teams):
    Conflict.objects.bulk_create(
        [
            Conflict(
                judge=judge,
                team=teams[rng.integers(len(teams))],
                kind=Conflict.Kind.DECLARED,
                reason="Ancien collègue d'un membre de l'équipe",
                created_by=judge.user,
            )
            for judge in judges[::7]
        ]
    )


def _round(edition, k):
    round = Round.objects.create(
        edition=edition,
        number=1,
        name="Ronde préliminaire",
        opens_at=edition.submissions_close,
        closes_at=edition.judging_ends,
        judges_per_submission=k,
    )
    Criterion.objects.bulk_create(
        [
            Criterion(
                round=round,
                name=name,
                weight=weight,
                order=i,
                is_tiebreak=i == 1,
                low_label="Faible",
                high_label="Excellent",
            )
            for i, (name, weight) in enumerate(CRITERIA)
        ]
    )
    return round


def _biases(rng, judges):
    bias = rng.normal(0, 0.4, len(judges))
    harsh = list(range(0, len(judges), 10))
    lenient = list(range(5, len(judges), 10))
    bias[harsh] = HARSH
    bias[lenient] = LENIENT
    return {j.pk: float(b) for j, b in zip(judges, bias, strict=True)}, harsh, lenient


def _reviews(round, rng, subs, judges, bias):
    criteria = list(round.criteria.order_by("order"))
    quality = {s.pk: float(q) for s, q in zip(subs, rng.uniform(3, 8, len(subs)), strict=True)}
    at = round.opens_at + dt.timedelta(days=3)
    user_of = {j.pk: j.user_id for j in judges}
    pairs = sorted(round.assignments.values_list("judge_id", "submission_id"))
    Review.objects.bulk_create(
        [
            Review(
                round=round,
                judge_id=j,
                submission_id=s,
                state=Review.State.SUBMITTED,
                submitted_at=at,
                updated_at=at,
                feedback="Projet solide, à poursuivre.",
            )
            for j, s in pairs
        ]
    )
    reviews = list(Review.objects.filter(round=round).order_by("judge_id", "submission_id"))
    noise = rng.normal(0, 0.8, (len(reviews), len(criteria)))
    raw = np.array([[quality[r.submission_id] + bias[r.judge_id]] for r in reviews]) + noise
    values = np.clip(np.round(raw), 0, 10)
    Score.objects.bulk_create(
        [
            Score(review=r, criterion=c, value=float(values[i, ci]))
            for i, r in enumerate(reviews)
            for ci, c in enumerate(criteria)
        ]
    )
    ReviewChange.objects.bulk_create(
        [
            ReviewChange(
                review=r,
                action=ReviewChange.Action.SUBMIT,
                changed_by_id=user_of[r.judge_id],
                changed_at=at,
                version=1,
                new={
                    "state": "submitted",
                    "scores": {str(c.pk): float(values[i, ci]) for ci, c in enumerate(criteria)},
                },
            )
            for i, r in enumerate(reviews)
        ]
    )


@transaction.atomic
def generate_edition(*, submissions, judges, k, seed, slug=None, pairwise=0) -> GeneratedEdition:
    """Create the synthetic edition `slug` (default ``generated-<seed>``); see the module doc.

    With `pairwise` C > 0 the round is judged pairwise instead: about C comparisons per
    project, no assignments nor reviews (`judging.pairwise.generate`)."""
    rng = np.random.default_rng(seed)
    slug = slug or f"generated-{seed}"
    edition = Edition.objects.create(
        year=2025,
        slug=slug,
        name=f"HackQC synthétique {seed} (données de test)",
        is_synthetic=True,
        status=Edition.Status.PUBLISHED,  # as a real edition; `is_synthetic` hides it
        **_dates(),
    )
    Challenge.objects.bulk_create(
        [
            Challenge(edition=edition, number=i, title=f"Défi {i}", partner=f"Partenaire {i}")
            for i in range(1, 6)
        ]
    )
    challenges = list(edition.challenges.order_by("number"))
    datasets = _datasets(slug)
    teams, members = _teams(edition, rng, challenges, submissions)
    subs = _submissions(edition, rng, teams, members, datasets)
    judge_rows = _judges(edition, rng, challenges, judges)
    _declared_conflicts(rng, judge_rows, teams)
    round = _round(edition, k)
    bias, harsh, lenient = _biases(rng, judge_rows)
    if pairwise:
        from .pairwise.generate import generate_comparisons, make_pairwise

        make_pairwise(round)
        generate_comparisons(round, rng, subs, judge_rows, pairwise)
        outcome = None
    else:
        outcome = run_assignment(round, by=None)
        _reviews(round, rng, subs, judge_rows, bias)
    Round.objects.filter(pk=round.pk).update(closed_at=round.closes_at)
    round.refresh_from_db()
    return GeneratedEdition(
        edition=edition,
        round=round,
        harsh_judges=[judge_rows[i].pk for i in harsh],
        lenient_judges=[judge_rows[i].pk for i in lenient],
        max_load=outcome.result.max_load if outcome else 0,
        lower_bound=outcome.result.lower_bound if outcome else 0,
    )
