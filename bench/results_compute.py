"""Time computing the results of an edition of 500 submissions and rendering its page.

The jury's `generate_edition` builds 500 submitted projects in 5 challenges, 50 judges and
3 reviews each on 6 criteria; 6 prizes are added (an overall prize of 3 places and one per
challenge) and the edition shows its full ranking.
Run from the repository root: ``.venv/bin/python bench/results_compute.py``.
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

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

SUBMISSIONS, JUDGES, PER_SUBMISSION, RUNS = 500, 50, 3, 5


def build():
    """The jury's synthetic edition (teams, projects, datasets, assigned and reviewed round)."""
    from bench.prized_edition import prized_edition
    from tests.factories.core import UserFactory

    edition, _round = prized_edition(
        submissions=SUBMISSIONS, judges=JUDGES, k=PER_SUBMISSION, slug="bench-results"
    )
    return edition, UserFactory(is_staff=True)


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


README_SECTION = "results-speed"  # written with --readme (bench/readme.py)

if __name__ == "__main__":
    from readme import printed_into  # bench/readme.py, beside this script

    with printed_into(README_SECTION):
        main()
