"""Linking and unlinking the open datasets a project reuses."""

import re
import uuid
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from hackqc.exceptions import HackQCError
from hackqc.service import service
from submissions.catalogue.models import Dataset

from ..models import Submission
from .sheet import DatasetNotFoundError, _deadline_clock, _ensure_editable, _touch

# Dataset links -------------------------------------------------------------------------

UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)


def resolve_dataset_reference(text) -> Dataset:
    """The catalogue dataset a user named by a portal URL, a name, a uuid or its title.

    Understands `…/dataset/<name or id>`, `…/dataset/<name>/resource/<uuid>` and, when the
    catalogue stores resources, a bare `…/resource/<uuid>`. Raises DatasetNotFoundError.
    """
    text = (text or "").strip()
    if not text:
        raise DatasetNotFoundError(_("Name a dataset: paste its URL, or type its name."))
    dataset = _from_url(text) if "://" in text or text.startswith("/") else _from_key(text)
    if dataset is None:
        dataset = Dataset.objects.filter(title__iexact=text).order_by("pk").first()
    if dataset is None:
        raise DatasetNotFoundError(
            _("No dataset of the catalogue matches “%(text)s”.") % {"text": text[:200]}
        )
    return dataset


def _from_key(key):
    if UUID_RE.fullmatch(key):
        return Dataset.objects.filter(ckan_id=uuid.UUID(key)).first()
    return Dataset.objects.filter(name=key.lower()).order_by("pk").first()


def _from_url(url):
    parts = [p for p in urlsplit(url).path.split("/") if p]
    if "dataset" in parts and parts.index("dataset") + 1 < len(parts):
        return _from_key(parts[parts.index("dataset") + 1])
    if "resource" in parts and parts.index("resource") + 1 < len(parts):
        return _dataset_of_resource(parts[parts.index("resource") + 1])
    return None


def _dataset_of_resource(resource_id):
    """Only if the catalogue keeps each dataset's resources (a `resources` JSON list)."""
    if not UUID_RE.fullmatch(resource_id):
        return None
    field_names = {f.name for f in Dataset._meta.get_fields()}
    if "resources" not in field_names:
        return None
    resource_id = resource_id.lower()
    for dataset in Dataset.objects.filter(resources__icontains=resource_id)[:5]:
        if any(str(r.get("id", "")).lower() == resource_id for r in dataset.resources or []):
            return dataset
    return None


@service
def link_dataset(submission, *, by, dataset, usage, resources=(), arrived_at=None):
    """Adds a dataset the project reuses, or updates its usage if already linked. No mail."""
    submission = (
        Submission.objects.select_for_update().select_related("edition").get(pk=submission.pk)
    )
    _ensure_editable(submission, _deadline_clock(arrived_at))
    if (
        dataset.state != Dataset.State.ACTIVE
        and not submission.dataset_links.filter(dataset=dataset).exists()
    ):
        raise HackQCError(
            _("This dataset was withdrawn from the portal: choose another one."), field="dataset"
        )
    position = submission.dataset_links.count()
    link, _created = submission.dataset_links.update_or_create(
        dataset=dataset,
        defaults={"usage": usage.strip(), "resources": [r for r in resources if r]},
        create_defaults={
            "usage": usage.strip(),
            "resources": [r for r in resources if r],
            "position": position,
        },
    )
    _touch(submission)
    return link


@service
def unlink_dataset(link, *, by, arrived_at=None):
    """Removes one dataset from the sheet (past versions keep it). No mail."""
    submission = (
        Submission.objects.select_for_update().select_related("edition").get(pk=link.submission_id)
    )
    _ensure_editable(submission, _deadline_clock(arrived_at))
    link.delete()
    _touch(submission)
