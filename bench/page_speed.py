"""Heavy pages served by gunicorn, as a share of a trivial WSGI app measured in the same run.

Builds a throwaway PostgreSQL database: the jury's synthetic edition (`generate_edition`:
500 submitted projects, 500 teams of 4 = 2,000 people, 50 judges, 1,500 assignments and
reviews), shown as a real edition with 6 prizes and its results published with the full
ranking, and a catalogue of 2,000 datasets. Starts gunicorn on it as in production
(`DJANGO_DEBUG=false`, 2 sync workers, the Redis cache from REDIS_URL) and, beside it, the
same gunicorn serving `bench/trivial_wsgi.py` (a constant 2-byte answer). A bounded client
(4 connections kept alive, each sending its next request when the last one is answered)
loads each page for `--seconds`, trivial app and page runs interleaved, 3 times.

Prints, per page: requests/s, its share of the trivial app's rate (median of the 3 pairs),
p50/p99 in ms, the SQL queries of one request once warm (in this process, same database and
cache), and the bytes. `--readme` writes the table between the page-speed markers of
README.md; the README's figures come from this script, never by hand.

    source .env.sh && .venv/bin/python bench/page_speed.py [--seconds 4] [--readme]
"""

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hackqc.settings")

import django  # noqa: E402

django.setup()

import requests  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from bench import serving  # noqa: E402

CONNECTIONS, WORKERS, REPEATS = 4, 2, 3
README_SECTION = "page-speed"  # <!-- page-speed:start --> … <!-- page-speed:end -->
TARGETS = {  # the targets, as shares of the trivial app
    "organizer rankings": 0.025,
    "organizer progress": 0.025,
    "results page": 0.025,
}


def build(projects=500):
    import uuid

    from bench.prized_edition import prized_edition
    from hackqc.models import EditionOrganizer
    from judging.results import services
    from submissions.catalogue.models import Dataset, Organization, Portal
    from teams.models import Registration
    from tests.factories.core import UserFactory

    edition, round_ = prized_edition(
        submissions=projects, judges=max(10, projects // 10), slug="bench-pages"
    )
    portal = Portal.objects.create(
        name="bench-portal",
        title="Portail",
        api_url="https://bench.invalid/api/3/action/",
        dataset_url_pattern="https://bench.invalid/dataset/{name}",
    )
    organization = Organization.objects.create(
        portal=portal, ckan_id="org", name="org", title="Organisme"
    )
    Dataset.objects.bulk_create(
        Dataset(
            portal=portal,
            organization=organization,
            ckan_id=uuid.uuid5(uuid.NAMESPACE_URL, f"bench-pages/{i}"),
            name=f"jeu-{i}",
            title=f"Jeu de données {i:04d}",
            search_text=f"jeu de donnees {i} velo arbres",
        )
        for i in range(2000)
    )
    organizer = UserFactory(email="organizer@bench.invalid")
    EditionOrganizer.objects.create(edition=edition, user=organizer)
    snapshot = services.compute_results(edition, by=organizer)
    services.approve_results(snapshot, by=organizer)
    services.publish_results(snapshot, by=organizer, announce=False)
    participant = Registration.objects.filter(edition=edition).select_related("user").first().user

    def cookie(user):
        client = Client()
        client.force_login(user)
        return client.cookies[settings.SESSION_COOKIE_NAME].value

    from django.urls import reverse
    from django.utils import translation

    slug, number = edition.slug, round_.number
    challenge = edition.challenges.order_by("number").first()
    with translation.override("fr"):
        gallery = reverse("submissions:gallery", args=[slug])
        return [
            ("organizer rankings", reverse("judging:rankings", args=[slug, number]), "org"),
            ("organizer progress", reverse("judging:organize_round", args=[slug, number]), "org"),
            ("results page", reverse("results:detail", args=[slug]), None),
            ("gallery, first page", gallery, None),
            ("gallery, filtered", f"{gallery}?challenge={challenge.pk}&q=projet", None),
            ("dataset search", reverse("catalogue:search") + "?q=velo", None),
            ("team board", reverse("teams:board", args=[slug]), "participant"),
            ("home", reverse("home"), None),
            ("results.json", f"/open-data/{slug}/results.json", None),
            ("submissions.json", f"/open-data/{slug}/submissions.json", None),
            ("datasets.json", f"/open-data/{slug}/datasets.json", None),
        ], {"org": cookie(organizer), "participant": cookie(participant)}


def check_pages(built):
    """Each page answers 200 to its persona; (label, path, session cookie or None)."""
    pages, cookies = built
    client = Client()
    checked = []
    for label, path, persona in pages:
        session = cookies.get(persona)
        if session:
            client.cookies[settings.SESSION_COOKIE_NAME] = session
        else:
            client.cookies.pop(settings.SESSION_COOKIE_NAME, None)
        status = client.get(path).status_code
        if status != 200:
            raise SystemExit(f"{label}: {path} answered {status}")
        checked.append((label, path, session))
    return checked


def queries_and_bytes(path, session):
    """SQL queries of one warm request (the cache filled by the one before) and its bytes."""
    client = Client()
    if session:
        client.cookies[settings.SESSION_COOKIE_NAME] = session
    client.get(path)
    seen = []
    with connection.execute_wrapper(lambda ex, sql, *a: seen.append(sql) or ex(sql, *a)):
        response = client.get(path)
    return len(seen), len(response.content)


# The servers ------------------------------------------------------------------------------


# The client -------------------------------------------------------------------------------


def load(url, seconds, session=None):
    """CONNECTIONS closed-loop clients for `seconds`: (requests/s, latencies, errors)."""
    latencies, errors = [], []
    lock = threading.Lock()
    until = time.monotonic() + seconds

    def client():
        http = requests.Session()
        http.mount("http://", requests.adapters.HTTPAdapter(pool_connections=1, pool_maxsize=1))
        if session:
            http.cookies.set(settings.SESSION_COOKIE_NAME, session)
        mine, bad = [], 0
        while time.monotonic() < until:
            start = time.perf_counter()
            try:
                ok = http.get(url, timeout=60).status_code == 200
            except requests.RequestException:
                ok = False
            mine.append(time.perf_counter() - start)
            bad += not ok
        with lock:
            latencies.extend(mine)
            errors.append(bad)

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return len(latencies) / elapsed, latencies, sum(errors)


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


def measure(pages, site, trivial, seconds):
    rows = []
    for label, path, session in pages:
        shares, rates, latencies, errors = [], [], [], 0
        for _ in range(REPEATS):
            trivial_rate, _lat, _err = load(trivial + "/", seconds)
            rate, lat, err = load(site + path, seconds, session)
            shares.append(rate / trivial_rate)
            rates.append(rate)
            latencies += lat
            errors += err
        n_queries, size = queries_and_bytes(path, session)
        row = {
            "page": label,
            "rps": statistics.median(rates),
            "share": statistics.median(shares),
            "p50": percentile(latencies, 50),
            "p99": percentile(latencies, 99),
            "queries": n_queries,
            "bytes": size,
            "errors": errors,
        }
        print(
            f"  {label:<22} {row['rps']:7.1f} rps  share {row['share']:.4f}  "
            f"p50 {row['p50']:6.1f} ms  p99 {row['p99']:6.1f} ms  {n_queries:2d} queries  "
            f"{size:>8,} B{f'  {errors} errors' if errors else ''}",
            flush=True,
        )
        rows.append(row)
    return rows


def table(rows, trivial_rates, memory, seconds):
    lines = [
        f"gunicorn, {WORKERS} sync workers, production settings, PostgreSQL and Redis on this "
        f"machine ({os.cpu_count()} CPUs shared with the database and the client); "
        f"{CONNECTIONS} connections, {seconds:g} s per run, trivial app and page runs "
        f"interleaved {REPEATS} times; trivial app ≈ {statistics.median(trivial_rates):,.0f} "
        f"requests/s. Queries: one warm request. Worker memory after the bench: "
        f"{', '.join(f'{m:.0f} MB' for m in memory)}.",
        "",
        "| Page | requests/s | share of trivial | p50 ms | p99 ms | queries | bytes |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        lines.append(
            f"| {row['page']} | {row['rps']:.1f} | {row['share']:.4f} | {row['p50']:.0f} | "
            f"{row['p99']:.0f} | {row['queries']} | {row['bytes']:,} |"
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=4, help="seconds per run")
    parser.add_argument("--readme", action="store_true", help="write the table into README.md")
    parser.add_argument(
        "--only", action="append", default=[], help="measure only this page (repeatable)"
    )
    args = parser.parse_args()
    if args.readme and args.only:
        raise SystemExit("--readme writes the whole table: measure every page.")
    if connection.vendor != "postgresql":
        print("page_speed: skipped, DATABASE_URL must name a PostgreSQL server.")
        return

    setup_test_environment()
    settings.DATABASES["default"].setdefault("TEST", {})
    settings.DATABASES["default"]["TEST"]["NAME"] = connection.settings_dict["NAME"] + "_pages"
    old_name = connection.settings_dict["NAME"]
    test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    site = trivial = None
    try:
        print("building 500 projects, 2,000 people, 1,500 reviews, results…", flush=True)
        pages = check_pages(build())
        if args.only:
            pages = [page for page in pages if page[0] in args.only]
        connection.close()
        serving.collectstatic()
        database_url = serving.database_url(test_name)
        site, site_base = serving.start_gunicorn("hackqc.wsgi", database_url, workers=WORKERS)
        trivial, trivial_base = serving.start_gunicorn(
            "trivial_wsgi:application", database_url, workers=WORKERS, probe="/"
        )
        trivial_rates = [load(trivial_base + "/", args.seconds)[0] for _ in range(2)]
        rows = measure(pages, site_base, trivial_base, args.seconds)
        trivial_rates.append(load(trivial_base + "/", args.seconds)[0])
        memory = serving.worker_rss_mb(site)
        text = table(rows, trivial_rates, memory, args.seconds)
        print("\n" + text)
        if args.readme:
            serving.write_readme_section(README_SECTION, text)
            print("\nREADME.md updated.")
    finally:
        for process in (site, trivial):
            if process is not None:
                serving.stop(process)
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
