"""Time a pairwise expo on a generated edition: 500 projects, 50 judges, about 10
comparisons per project (2,500 verdicts).

Prints the median time and query count of: the round's Bradley-Terry ranking from the
database, the export, a judge's step at the expo (the next project chosen with cached
estimates, and with a refit), and the judge's expo page.

Run from the repository root: ``python bench/pairwise_bench.py``. It uses a throwaway test
database (SQLite by default, PostgreSQL when DATABASE_URL says so) and destroys it after.
"""

import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hackqc.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
)
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

SUBMISSIONS, JUDGES, PER_PROJECT, RUNS = 500, 50, 10, 5


def measure(label, func, before=None):
    timings, queries = [], 0
    for _ in range(RUNS):
        if before:
            before()
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            func()
            timings.append(time.perf_counter() - start)
        queries = len(ctx.captured_queries)
    print(f"{label:<44} median {statistics.median(timings) * 1000:8.1f} ms   {queries:3d} queries")


def main() -> None:
    from judging.export import export_round
    from judging.generate import generate_edition
    from judging.models import Judge, Round
    from judging.pairwise import services
    from judging.round_rankings import round_rankings

    start = time.perf_counter()
    gen = generate_edition(
        submissions=SUBMISSIONS, judges=JUDGES, k=3, seed=2026, pairwise=PER_PROJECT
    )
    round = gen.round
    print(
        f"generate_edition --pairwise {PER_PROJECT}, {SUBMISSIONS} projects, {JUDGES} judges: "
        f"{round.comparisons.count()} comparisons, {time.perf_counter() - start:.2f} s"
    )
    measure("round_rankings (Bradley-Terry, from DB)", lambda: round_rankings(round))
    measure("export_round json", lambda: export_round(round, "json"))

    # Reopen the round so that judges can walk it.
    Round.objects.filter(pk=round.pk).update(
        closed_at=None, closes_at=timezone.now() + dt.timedelta(days=1)
    )
    round.refresh_from_db()
    judges = list(Judge.objects.select_related("user").filter(edition=gen.edition))
    walkers = iter(judges)

    def step(judge):
        walk = services.start_walk(round, judge=judge, by=judge.user)
        services.walk_step(round, judge=judge, by=judge.user, action="start", shown=walk.current_id)

    services.start_walk(round, judge=judges[-1], by=judges[-1].user)  # warms the cache
    measure("judge's first two steps (cached estimates)", lambda: step(next(walkers)))
    measure("judge's first two steps (refit)", lambda: step(next(walkers)), before=cache.clear)

    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    client.force_login(judges[0].user)
    url = reverse("judging:expo", args=[gen.edition.slug, round.number])

    def page():
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    measure("judge's expo page", page)


README_SECTION = "pairwise-speed"  # written with --readme (bench/readme.py)

if __name__ == "__main__":
    from readme import run_in_test_database  # bench/readme.py, beside this script

    run_in_test_database(README_SECTION, main)
