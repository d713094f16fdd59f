"""Do the open-data files and the public pages scale with what they show, not the catalogue?

Builds, in a throwaway test database, a catalogue of 16,000 datasets (200 organisations) and
6 past editions of 500 submitted projects each (3,000 projects, each reusing 1 to 3 of its
edition's ~60 datasets), then requests each open-data file and public page of the last
edition several times and prints the median time, the SQL queries and the bytes. A plan that
runs a subquery per catalogue dataset shows here as seconds; one that scales with the
edition as milliseconds.

    source .env.sh && .venv/bin/python bench/open_data_scale.py   # PostgreSQL (meant for)

BENCH_KEEPDB=1 keeps the test database (and its data) between runs, to study the plans.
"""

import os
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hackqc.settings")

import django

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

DATASETS, ORGANIZATIONS = 16_000, 200
EDITIONS, PROJECTS, PER_EDITION = 6, 500, 60
RUNS = 5
KEEPDB = bool(os.environ.get("BENCH_KEEPDB"))


def build():
    import numpy as np

    from hackqc.models import Challenge, Edition
    from judging.generate import _dates, _submissions, _teams
    from submissions.catalogue.models import Dataset, Organization, Portal

    rng = np.random.default_rng(2026)
    portal = Portal.objects.create(
        name="bench-portal",
        title="Portail du banc",
        api_url="https://bench.invalid/api/3/action/",
        dataset_url_pattern="https://bench.invalid/dataset/{name}",
    )
    Organization.objects.bulk_create(
        Organization(portal=portal, ckan_id=f"org-{i}", name=f"org-{i}", title=f"Organisme {i}")
        for i in range(ORGANIZATIONS)
    )
    organizations = list(Organization.objects.filter(portal=portal).order_by("pk"))
    Dataset.objects.bulk_create(
        (
            Dataset(
                portal=portal,
                ckan_id=uuid.uuid5(uuid.NAMESPACE_URL, f"bench/{i}"),
                name=f"jeu-{i}",
                title=f"Jeu de données {i:05d}",
                organization=organizations[i % ORGANIZATIONS],
                search_text=f"jeu de donnees {i} organisme {i % ORGANIZATIONS}",
            )
            for i in range(DATASETS)
        ),
        batch_size=2000,
    )
    catalogue = list(Dataset.objects.filter(portal=portal).order_by("pk"))
    editions = []
    for n in range(EDITIONS):
        dates = _dates()
        dates = {k: v.replace(year=2020 + n) for k, v in dates.items()}
        edition = Edition.objects.create(
            year=2020 + n,
            slug=f"bench-{2020 + n}",
            name=f"HackQC {2020 + n}",
            status=Edition.Status.PUBLISHED,
            **dates,
        )
        challenges = Challenge.objects.bulk_create(
            Challenge(edition=edition, number=i, title=f"Défi {i}", partner="Partenaire")
            for i in range(1, 6)
        )
        pool = [catalogue[int(i)] for i in rng.choice(DATASETS, PER_EDITION, replace=False)]
        teams, members = _teams(edition, rng, challenges, PROJECTS)
        _submissions(edition, rng, teams, members, pool)
        editions.append(edition)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return editions[-1]


def measure(client, url):
    cache.clear()
    queries = []
    with connection.execute_wrapper(lambda ex, sql, *a: queries.append(sql) or ex(sql, *a)):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(RUNS):
        cache.clear()  # the cold cost: what a change of data costs once
        start = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - start)
    return statistics.median(times), len(queries), len(response.content)


def main():
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, keepdb=KEEPDB)
    try:
        from hackqc.models import Edition

        start = time.perf_counter()
        edition = Edition.objects.filter(slug=f"bench-{2019 + EDITIONS}").first() or build()
        built = time.perf_counter() - start
        client = Client()
        slug = edition.slug
        pages = [
            ("datasets.json", f"/open-data/{slug}/datasets.json"),
            ("datasets.csv", f"/open-data/{slug}/datasets.csv"),
            ("submissions.json", f"/open-data/{slug}/submissions.json"),
            ("submissions.csv", f"/open-data/{slug}/submissions.csv"),
            ("open-data index", "/open-data/"),
            ("dataset search", reverse("catalogue:search")),
            ("dataset search by reuses", reverse("catalogue:search") + "?sort=reuses"),
            ("dataset search 'jeu 42'", reverse("catalogue:search") + "?q=jeu+42"),
            ("reuse statistics", reverse("catalogue:stats")),
            ("gallery", reverse("submissions:gallery", kwargs={"slug": slug})),
            ("home", reverse("home")),
        ]
        print(
            f"{connection.vendor}: {DATASETS:,} datasets, {EDITIONS} editions x {PROJECTS} "
            f"projects (built in {built:.0f} s); median of {RUNS}, caches cleared"
        )
        for label, url in pages:
            seconds, n_queries, size = measure(client, url)
            print(f"  {label:<28} {seconds * 1000:9.1f} ms  {n_queries:3d} queries  {size:>9,} B")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=KEEPDB)


README_SECTION = "open-data-scale"  # written with --readme (bench/readme.py)

if __name__ == "__main__":
    from readme import printed_into  # bench/readme.py, beside this script

    with printed_into(README_SECTION):
        main()
