"""Time the jury on a generated edition: 500 submissions, 50 judges, 3 reviews, 6 criteria.

Prints the generation time, the assignment's largest load next to its lower bound, then, from
the database, the median time and query count of: `round_rankings` (all three methods), the
export, a judge's list of projects, the organizer's progress page and the rankings page.

Run from the repository root: ``python bench/jury_bench.py``. It uses a throwaway test
database (SQLite by default, PostgreSQL when DATABASE_URL says so) and destroys it after.
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

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
)
from django.urls import reverse  # noqa: E402

SUBMISSIONS, JUDGES, K, RUNS = 500, 50, 3, 5


def measure(label, func):
    timings, queries = [], 0
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            func()
            timings.append(time.perf_counter() - start)
        queries = len(ctx.captured_queries)
    print(f"{label:<38} median {statistics.median(timings) * 1000:8.1f} ms   {queries:3d} queries")


def main() -> None:
    from django.contrib.auth import get_user_model

    from judging.export import export_round
    from judging.generate import generate_edition
    from judging.models import Judge
    from judging.round_rankings import round_rankings

    start = time.perf_counter()
    gen = generate_edition(submissions=SUBMISSIONS, judges=JUDGES, k=K, seed=2026)
    print(
        f"generate_edition {SUBMISSIONS} x {JUDGES} x {K}: {time.perf_counter() - start:.2f} s; "
        f"largest load {gen.max_load}, lower bound {gen.lower_bound}"
    )
    round = gen.round
    results = round_rankings(round)
    print(f"reviews ranked: {sum(e.n_reviews for e in results['mean'].entries)}")
    measure("round_rankings (3 methods, from DB)", lambda: round_rankings(round))
    measure("export_round json", lambda: export_round(round, "json"))

    settings.ALLOWED_HOSTS = ["*"]
    slug, number = gen.edition.slug, round.number
    judge = Judge.objects.select_related("user").filter(edition=gen.edition).first()
    judge_client = Client()
    judge_client.force_login(judge.user)
    organizer = get_user_model().objects.create_user(
        email="bench-organizer@example.test", password=None, is_staff=True
    )
    org_client = Client()
    org_client.force_login(organizer)

    def get(client, url):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    measure(
        "judge's list of projects (page)",
        lambda: get(judge_client, reverse("judging:round", args=[slug, number])),
    )
    measure(
        "organizer progress page",
        lambda: get(org_client, reverse("judging:organize_round", args=[slug, number])),
    )
    measure(
        "organizer rankings page",
        lambda: get(org_client, reverse("judging:rankings", args=[slug, number])),
    )


README_SECTION = "jury-speed"  # written with --readme (bench/readme.py)

if __name__ == "__main__":
    from readme import run_in_test_database  # bench/readme.py, beside this script

    run_in_test_database(README_SECTION, main)
