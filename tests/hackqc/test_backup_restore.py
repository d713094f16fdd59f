"""The README's backup procedure works: a `pg_dump` of the database restored with
`pg_restore` into a fresh PostgreSQL database, with a copy of MEDIA_ROOT, serves the same
results files and uploaded images as the original site."""

import json
import os
import shutil
import subprocess
import sys
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection

from submissions.models import Submission, SubmissionVersion, upload_logo
from tests.conftest import ROOT_DIR, database_url_of_test_database
from tests.submissions.images import image_bytes

FETCH = """
import hashlib, json, sys, django
django.setup()
from django.test import Client
client = Client()
result = {}
for url in sys.argv[1:]:
    response = client.get(url)
    body = b"".join(response) if response.streaming else response.content
    result[url] = [response.status_code, hashlib.sha256(body).hexdigest(), len(body)]
print(json.dumps(result))
"""


def _fetch(database_url, media_root, urls):
    """What a fresh site process serves for `urls` from this database and media folder."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"REDIS_URL", "CACHE_URL", "CELERY_BROKER_URL", "DJANGO_DEBUG"}
    }
    env.update(
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(media_root),
        DJANGO_SETTINGS_MODULE="hackqc.settings",
    )
    result = subprocess.run(  # noqa: S603 — fixed interpreter and code
        [sys.executable, "-c", FETCH, *urls], cwd=ROOT_DIR, env=env, capture_output=True,
        text=True, timeout=300, check=True,
    )  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])


def _run(*command):
    subprocess.run(command, check=True, capture_output=True, timeout=300)  # noqa: S603


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_restored_dump_serves_the_same_results_files(settings, tmp_path):
    if connection.vendor != "postgresql" or shutil.which("pg_restore") is None:
        pytest.skip("needs PostgreSQL and its client tools")
    call_command("seed_demo", verbosity=0)
    from hackqc.demo import editions

    past = editions()["past"].slug
    # A public project's judged logo: what /media/ serves to anyone (submissions.media).
    project = (
        Submission.objects.filter(edition__slug=past, state="submitted", versions__isnull=False)
        .order_by("pk")
        .first()
    )
    logo = default_storage.save(upload_logo(project, "logo.png"), ContentFile(image_bytes("PNG")))
    Submission.objects.filter(pk=project.pk).update(logo=logo)
    for version in project.versions.all():
        SubmissionVersion.objects.filter(pk=version.pk).update(data={**version.data, "logo": logo})
    urls = [
        f"/open-data/{past}/results.json",
        f"/open-data/{past}/results.csv",
        f"/open-data/{past}/submissions.json",
        f"/open-data/{past}/datasets.csv",
        f"/media/{logo}",
    ]
    source_url = database_url_of_test_database()
    original = _fetch(source_url, settings.MEDIA_ROOT, urls)
    assert {url: status for url, (status, _h, _n) in original.items()} == dict.fromkeys(urls, 200)

    dump = tmp_path / "hackqc.dump"
    _run("pg_dump", "--format=custom", "--no-owner", f"--file={dump}", source_url)
    fresh = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:6]}"
    fresh_url = source_url.rsplit("/", 1)[0] + f"/{fresh}"
    admin_url = source_url.rsplit("/", 1)[0] + "/postgres"
    _run("psql", admin_url, "-c", f'CREATE DATABASE "{fresh}"')
    try:
        _run("pg_restore", "--no-owner", "--exit-on-error", f"--dbname={fresh_url}", str(dump))
        media_copy = tmp_path / "media-restored"
        shutil.copytree(settings.MEDIA_ROOT, media_copy)
        restored = _fetch(fresh_url, media_copy, urls)
    finally:
        _run("psql", admin_url, "-c", f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')

    assert restored == original
