"""The demo catalogue: about 50 Données Québec datasets read from a fixture, no network."""

import datetime as dt
import json
from pathlib import Path

from .ckan import parse_packages
from .models import Dataset
from .services import apply_catalogue, get_default_portal

FIXTURE = Path(__file__).parent / "fixtures" / "demo_catalogue.jsonl"
# A fixed sync time keeps a second seed from changing anything.
SEEDED_AT = dt.datetime(2026, 11, 1, 8, 0, tzinfo=dt.UTC)


def load_demo_packages():
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    raws = [json.loads(line) for line in lines if line.strip()]
    packages, _skipped = parse_packages([raw for raw in raws if "_comment" not in raw])
    return packages


def seed(context):
    """Upserts the demo datasets into the default portal; returns them as `datasets`."""
    packages = load_demo_packages()
    apply_catalogue(get_default_portal(), packages, full=False, synced_at=SEEDED_AT)
    datasets = Dataset.objects.filter(ckan_id__in=[p.ckan_id for p in packages])
    return {"datasets": list(datasets.select_related("organization").order_by("name"))}
