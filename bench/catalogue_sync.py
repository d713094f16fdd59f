"""Bench the catalogue sync: 1,600 and 16,000 packages served by a local CKAN replay server.

Prints datasets per second and SQL queries for a fresh full sync and for a second, unchanged
one (queries must grow with the number of pages of 1,000 packages, not of datasets), then
the time of a search over the synced catalogue.

    .venv/bin/python bench/catalogue_sync.py            # throwaway SQLite database
    DATABASE_URL=postgres://… .venv/bin/python bench/catalogue_sync.py   # test_<name> database
"""

import copy
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

from django.db import connection  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
    teardown_test_environment,
)

from submissions.catalogue import queries, services  # noqa: E402
from submissions.catalogue.models import Dataset, SyncRun  # noqa: E402
from tests.catalogue.replay import ReplayCKAN, recorded_packages  # noqa: E402

SIZES = (1_600, 16_000)
RUNS = 3
NAMESPACE = uuid.UUID("0b6c9d3e-51f7-4f0e-9a8e-1c2d3e4f5a6b")


def make_packages(count):
    """`count` Données Québec-shaped packages derived from the recorded ones."""
    templates = recorded_packages(
        "donnees-quebec-package_search-1.json", "donnees-quebec-package_search-2.json"
    )[:11]
    packages = []
    for n in range(count):
        package = copy.deepcopy(templates[n % len(templates)])
        package["id"] = str(uuid.uuid5(NAMESPACE, str(n)))
        package["name"] = f"{package['name']}-{n}"
        package["title"] = f"{package['title']} ({n})"
        for i, resource in enumerate(package["resources"]):
            resource["id"] = str(uuid.uuid5(NAMESPACE, f"{n}/{i}"))
        packages.append(package)
    return packages


def timed_sync(portal, server):
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        run = services.sync_portal(portal, full=True, api_url=server.api_url)
        elapsed = time.perf_counter() - start
    assert run.status == SyncRun.Status.SUCCEEDED, run.errors
    return elapsed, len(queries), run


def bench(size):
    server = ReplayCKAN(make_packages(size)).start()
    portal = services.portal_for_url(server.api_url)
    fresh, again = [], []
    try:
        for _ in range(RUNS):
            Dataset.objects.all().delete()
            fresh.append(timed_sync(portal, server))
            again.append(timed_sync(portal, server))
    finally:
        server.stop()
    report(size, "fresh", fresh)
    report(size, "unchanged", again)
    bench_search(size)


def bench_search(size):
    """The search page's two heavy queries (count, first page) over the synced catalogue."""
    for q in ("energie", "velo comptage"):
        timings = []
        for _ in range(5):
            start = time.perf_counter()
            results = queries.search_datasets(q=q)
            found = results.count()
            list(results[:20])
            timings.append(time.perf_counter() - start)
        print(
            f"{size:>6} datasets, search {q!r}: {found} found, "
            f"{statistics.median(timings) * 1000:.0f} ms median of 5 (count + first page)"
        )


def report(size, label, results):
    elapsed = statistics.median(r[0] for r in results)
    run = results[0][2]
    pages = -(-size // 1000)
    print(
        f"{size:>6} packages, {pages:>2} pages, {label:<9}: {elapsed:6.2f} s median of "
        f"{len(results)}, {size / elapsed:8.0f} datasets/s, {results[0][1]:>4} queries "
        f"(created {run.created}, updated {run.updated})"
    )


def main():
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        print(f"database: {connection.vendor}")
        for size in SIZES:
            bench(size)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


README_SECTION = "catalogue-sync-speed"  # written with --readme (bench/readme.py)

if __name__ == "__main__":
    from readme import printed_into  # bench/readme.py, beside this script

    with printed_into(README_SECTION):
        main()
