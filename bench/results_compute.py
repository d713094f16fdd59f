"""Time computing the results of an edition of 500 submissions and rendering its page.

500 submitted projects in 5 challenges, 50 judges, 3 reviews each on 6 criteria, 6 prizes
(an overall prize of 3 places and one prize per challenge); the edition shows its full
ranking. Run from the repository root: ``.venv/bin/python bench/results_compute.py``.
It builds a throwaway test database (SQLite by default, PostgreSQL with DATABASE_URL).
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hackqc.settings")

import django

django.setup()

import numpy as np  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

SUBMISSIONS, JUDGES, PER_SUBMISSION, CHALLENGES, RUNS = 500, 50, 3, 5, 5


def build():
    from hackqc.models import Phase
    from judging.models import Criterion, Judge, Review, Round, Score
    from judging.results.models import AwardPolicy, Prize
    from submissions.models import Submission
    from teams.models import Team
    from tests.factories.core import ChallengeFactory, EditionFactory, UserFactory

    rng = np.random.default_rng(2026)
    edition = EditionFactory(phase=Phase.DELIBERATION, show_full_ranking=True)
    AwardPolicy.objects.create(edition=edition, require_repository=False, require_licence=False)
    organizer = UserFactory(is_staff=True)
    challenges = [ChallengeFactory(edition=edition, number=n + 1) for n in range(CHALLENGES)]
    round_ = Round.objects.create(
        edition=edition,
        number=1,
        name="Finale",
        opens_at=edition.submissions_close,
        closes_at=edition.judging_ends,
    )
    criteria = Criterion.objects.bulk_create(
        Criterion(round=round_, name=f"C{c}", weight=w, order=c, is_tiebreak=c == 1)
        for c, w in enumerate([3, 2, 2, 1, 1, 0])
    )
    users = [UserFactory(verified=False) for _ in range(JUDGES)]
    judges = Judge.objects.bulk_create(Judge(edition=edition, user=u) for u in users)
    teams = Team.objects.bulk_create(
        Team(edition=edition, name=f"Équipe {i}") for i in range(SUBMISSIONS)
    )
    submissions = Submission.objects.bulk_create(
        Submission(
            edition=edition,
            team=t,
            title=f"Projet {i}",
            state="submitted",
            challenge=challenges[i % CHALLENGES],
        )
        for i, t in enumerate(teams)
    )
    reviews = Review.objects.bulk_create(
        Review(round=round_, judge=judges[j], submission=s, state="submitted", feedback="Bravo")
        for s in submissions
        for j in rng.choice(JUDGES, size=PER_SUBMISSION, replace=False)
    )
    Score.objects.bulk_create(
        Score(review=r, criterion=c, value=float(rng.integers(0, 11)))
        for r in reviews
        for c in criteria
    )
    Prize.objects.create(edition=edition, name="Grand prix", places=3, priority=1, round=round_)
    for n, challenge in enumerate(challenges):
        Prize.objects.create(
            edition=edition,
            name=f"Prix défi {n + 1}",
            priority=n + 2,
            round=round_,
            eligibility="challenge",
            challenge=challenge,
        )
    return edition, organizer


def timed(fn, runs=RUNS):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main():
    from judging.results import services

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0)
    try:
        edition, organizer = build()
        compute, snapshot = timed(lambda: services.compute_results(edition, by=organizer))
        services.approve_results(snapshot, by=organizer)
        services.publish_results(snapshot, by=organizer, announce=False)
        client = Client()
        url = reverse("results:detail", kwargs={"slug": edition.slug})
        page_queries = []
        with connection.execute_wrapper(
            lambda ex, sql, *a: page_queries.append(sql) or ex(sql, *a)
        ):
            assert client.get(url).status_code == 200
        page, response = timed(lambda: client.get(url))
        data, _ = timed(lambda: client.get(f"/open-data/{edition.slug}/results.json"))
        csv, _ = timed(lambda: client.get(f"/open-data/{edition.slug}/submissions.csv"))
        print(
            f"{connection.vendor}: {SUBMISSIONS} submissions, {JUDGES} judges, "
            f"{SUBMISSIONS * PER_SUBMISSION} reviews, 6 prizes (median of {RUNS})"
        )
        print(f"  compute_results        {compute * 1000:8.1f} ms")
        print(
            f"  results page           {page * 1000:8.1f} ms  ({len(page_queries)} queries, "
            f"{len(response.content) // 1024} KiB)"
        )
        print(f"  results.json           {data * 1000:8.1f} ms")
        print(f"  submissions.csv        {csv * 1000:8.1f} ms")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
