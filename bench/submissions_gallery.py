"""Time the public gallery with 500 submitted projects linking 1,600 datasets, and the
processing of a 4000x3000 JPEG upload (validation, re-encoding, thumbnail).

Run from the repository root: ``.venv/bin/python bench/submissions_gallery.py``. Uses a
throwaway test database (SQLite by default, PostgreSQL with DATABASE_URL).
"""

import io
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hackqc.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from PIL import Image  # noqa: E402

SUBMISSIONS, DATASETS, ORGANIZATIONS, LINKS_PER_SUBMISSION, RUNS = 500, 1600, 140, 4, 7


def build_data():
    from hackqc.models import Challenge, Edition
    from submissions.catalogue.models import Dataset, Organization, Portal
    from submissions.models import DatasetLink, Submission, Technology
    from teams.models import Team

    rng = random.Random(2026)
    now = timezone.now()
    day = timezone.timedelta(days=1)
    edition = Edition.objects.create(
        year=2026,
        slug="bench",
        name="Bench",
        status=Edition.Status.PUBLISHED,
        registration_opens=now - 40 * day,
        registration_closes=now - 30 * day,
        hacking_starts=now - 20 * day,
        submissions_close=now - 10 * day,
        judging_ends=now - 5 * day,
    )
    challenges = [
        Challenge.objects.create(edition=edition, number=n, title=f"Défi {n}", partner="P")
        for n in range(1, 9)
    ]
    portal = Portal.objects.create(
        name="dq", title="DQ", api_url="https://x/", dataset_url_pattern="https://x/{name}"
    )
    organizations = Organization.objects.bulk_create(
        Organization(portal=portal, ckan_id=f"o{n}", name=f"org-{n}", title=f"Organisation {n}")
        for n in range(ORGANIZATIONS)
    )
    datasets = Dataset.objects.bulk_create(
        Dataset(
            portal=portal,
            ckan_id=uuid.UUID(int=rng.getrandbits(128)),
            name=f"jeu-{n}",
            title=f"Jeu de données {n}",
            organization=organizations[n % ORGANIZATIONS],
        )
        for n in range(DATASETS)
    )
    technologies = Technology.objects.bulk_create(
        Technology(name=name) for name in ["Python", "Django", "React", "PostGIS", "Vue", "Rust"]
    )
    teams = Team.objects.bulk_create(
        Team(edition=edition, name=f"Équipe {n}") for n in range(SUBMISSIONS)
    )
    submissions = Submission.objects.bulk_create(
        Submission(
            edition=edition,
            team=team,
            title=f"Projet {n}",
            pitch="Une application qui rend les données utiles.",
            description="Une **carte**.",
            challenge=challenges[n % len(challenges)],
            state=Submission.State.SUBMITTED,
            logo=f"submissions/{n}/logo/logo.png",
        )
        for n, team in enumerate(teams)
    )
    links, through = [], Submission.technologies.through
    for n, submission in enumerate(submissions):
        chosen = {datasets[(n * 3 + k) % DATASETS] for k in range(LINKS_PER_SUBMISSION)}
        links += [DatasetLink(submission=submission, dataset=d, usage="Carte") for d in chosen]
    DatasetLink.objects.bulk_create(links)
    through.objects.bulk_create(
        through(submission=s, technology=technologies[n % len(technologies)])
        for n, s in enumerate(submissions)
    )
    from submissions.services import NewVersion, store_versions
    from submissions.snapshots import snapshot_queryset

    store_versions(
        NewVersion(submission=s, number=1, submitted_at=edition.submissions_close - day)
        for s in snapshot_queryset(Submission.objects.filter(edition=edition))
    )
    return edition, datasets


def time_get(client, url, params=None):
    timings, queries = [], 0
    for _ in range(RUNS):
        reset_queries()
        start = time.perf_counter()
        response = client.get(url, params or {})
        timings.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
        queries = len(connection.queries)
    return statistics.median(timings) * 1000, queries


def bench_gallery():
    edition, datasets = build_data()
    client = Client()
    url = reverse("submissions:gallery", args=[edition.slug])
    settings.DEBUG = True  # to count queries
    cases = [
        ("first page", None),
        ("page 10", {"page": 10}),
        ("filter by dataset", {"dataset": datasets[30].pk}),
        ("filter by organisation", {"organization": datasets[30].organization_id}),
        ("search", {"q": "projet 4"}),
    ]
    print(f"Gallery: {SUBMISSIONS} submissions, {DATASETS} datasets, {LINKS_PER_SUBMISSION} links")
    for label, params in cases:
        median_ms, queries = time_get(client, url, params)
        print(f"  {label:24} median of {RUNS}: {median_ms:7.1f} ms, {queries} queries")
    settings.DEBUG = False


def bench_image():
    from submissions.images import make_thumbnail, validate_image

    image = Image.effect_noise((4000, 3000), 64).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90)
    content = buffer.getvalue()
    validate_times, thumb_times = [], []
    for _ in range(RUNS):
        upload = SimpleUploadedFile("photo.jpg", content, content_type="image/jpeg")
        start = time.perf_counter()
        clean = validate_image(upload)
        validate_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        make_thumbnail(clean.content)
        thumb_times.append(time.perf_counter() - start)
    size_mb = len(content) / 1e6
    print(f"Upload: 4000x3000 JPEG ({size_mb:.1f} MB)")
    validate_ms = statistics.median(validate_times) * 1000
    thumb_ms = statistics.median(thumb_times) * 1000
    print(f"  validate + strip + re-encode, median of {RUNS}: {validate_ms:7.1f} ms")
    print(f"  thumbnail (WebP 480x320), median of {RUNS}:     {thumb_ms:7.1f} ms")


def main():
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        with tempfile.TemporaryDirectory() as media:
            settings.MEDIA_ROOT = media
            bench_gallery()
            bench_image()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


README_SECTION = "gallery-speed"  # written with --readme (bench/readme.py)

if __name__ == "__main__":
    from readme import printed_into  # bench/readme.py, beside this script

    with printed_into(README_SECTION):
        main()
