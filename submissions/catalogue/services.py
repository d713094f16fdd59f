"""Every write to the catalogue: portals, sync runs and the bulk upsert of a synced catalogue."""

import datetime as dt
import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.postgres.lookups import Unaccent
from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from hackqc.exceptions import HackQCError
from hackqc.service import enqueue, service

from .ckan import CatalogueSourceError, FileSource, PortalSource, parse_packages, strip_accents
from .models import Dataset, Format, Group, Licence, Organization, Portal, SyncRun

logger = logging.getLogger(__name__)

DEFAULT_PORTAL = "donnees-quebec"
# A run left "running" this long ago lost its worker; another may start.
STALE_RUN = dt.timedelta(hours=2)
CHUNK = 1000
SYNCED_FIELDS = [
    "portal",
    "name",
    "title",
    "description",
    "organization",
    "licence",
    "tags",
    "resources",
    "metadata_modified",
    "checksum",
    "search_text",
    "state",
    "withdrawn_at",
    "last_synced_at",
]


class SyncAlreadyRunningError(HackQCError):
    """A sync of this portal is already queued or running."""


@service
def get_default_portal():
    """The Données Québec portal, created if a database was emptied by hand."""
    portal, _created = Portal.objects.get_or_create(
        name=DEFAULT_PORTAL,
        defaults={
            "title": "Données Québec",
            "api_url": settings.CKAN_DEFAULT_PORTAL_URL,
            "dataset_url_pattern": "https://www.donneesquebec.ca/recherche/dataset/{name}",
        },
    )
    return portal


@service
def create_sync_run(portal, *, trigger, full=False, source="", by=None):
    """A pending run, for a command or a task that runs it right away."""
    return SyncRun.objects.create(
        portal=portal, trigger=trigger, full=full, source=str(source)[:500], started_by=by
    )


def sync_under_way(portal):
    """Whether a run of `portal` is queued or running (and not abandoned by a dead worker)."""
    return portal.sync_runs.filter(
        status__in=[SyncRun.Status.PENDING, SyncRun.Status.RUNNING],
        created_at__gte=timezone.now() - STALE_RUN,
    ).exists()


@service
def request_sync(portal, *, by, full=False):
    """Queues a sync of `portal` started from the site; the task runs after commit.

    Raises `SyncAlreadyRunningError` while another run of the portal is queued or running.
    """
    Portal.objects.select_for_update().get(pk=portal.pk)
    if sync_under_way(portal):
        raise SyncAlreadyRunningError(_("A sync of this portal is already under way."))
    run = create_sync_run(portal, trigger=SyncRun.Trigger.SITE, full=full, by=by)
    from .tasks import task_sync_datasets

    enqueue(task_sync_datasets, run_id=run.pk)
    return run


def previous_sync(portal, api_url):
    """The last successful sync from `api_url`, which makes the next one incremental."""
    return (
        portal.sync_runs.filter(status=SyncRun.Status.SUCCEEDED, source=PortalSource(api_url))
        .order_by("-started_at")
        .first()
    )


def portal_source(run, *, api_url=None):
    """Where `run` reads: the portal's API, incremental unless full or first."""
    api_url = api_url or run.portal.api_url
    previous = None if run.full else previous_sync(run.portal, api_url)
    if previous is None and not run.full:
        SyncRun.objects.filter(pk=run.pk).update(full=True)
        run.full = True
    return PortalSource(api_url, since=previous.started_at if previous else None)


def run_sync(run, *, source=None):
    """Fetches the whole catalogue first, then writes it in one transaction.

    Records progress and the result on `run` (its own small writes, outside the catalogue's
    transaction). A source failure marks the run failed and leaves the catalogue as it was.
    Returns the run, refreshed.
    """
    source = source or portal_source(run)
    started = timezone.now()
    SyncRun.objects.filter(pk=run.pk).update(
        status=SyncRun.Status.RUNNING, started_at=started, source=str(source)[:500]
    )
    try:
        packages, skipped = _fetch(run, source)
        complete = run.fetched >= (run.total or 0)
        counts = apply_catalogue(
            run.portal,
            packages,
            full=run.full and complete,
            synced_at=started,
            also_seen=[s.ckan_id for s in skipped if s.ckan_id],
        )
        if run.full and not complete:
            warning = _("The portal sent fewer packages than it announced: none withdrawn.")
            counts["warnings"].append({"error": warning})
    except CatalogueSourceError as exc:
        logger.warning("Catalogue sync %s failed: %s", run.pk, exc)
        _finish(run, status=SyncRun.Status.FAILED, errors=[{"error": str(exc)}])
    except Exception:
        _finish(run, status=SyncRun.Status.FAILED, errors=[{"error": _("Unexpected error.")}])
        raise
    else:
        errors = [s.as_dict() for s in skipped] + counts.pop("warnings")
        _finish(run, status=SyncRun.Status.SUCCEEDED, errors=errors, skipped=len(skipped), **counts)
    run.refresh_from_db()
    return run


def _fetch(run, source):
    packages, skipped, fetched, total = [], [], 0, 0
    for raws, total in source.pages():
        valid, invalid = parse_packages(raws, offset=fetched)
        packages.extend(valid)
        skipped.extend(invalid)
        fetched += len(raws)
        SyncRun.objects.filter(pk=run.pk).update(fetched=fetched, total=total)
    run.fetched, run.total = fetched, total
    return packages, skipped


def _finish(run, *, status, errors, **counts):
    SyncRun.objects.filter(pk=run.pk).update(
        status=status, finished_at=timezone.now(), errors=errors, **counts
    )


@service
def apply_catalogue(portal, packages, *, full, synced_at, also_seen=()):
    """Upserts `packages` into `portal`'s catalogue in bulk and one transaction.

    With `full`, active datasets the packages no longer list are marked withdrawn (never
    deleted: submissions point at them); `also_seen` ids (malformed packages still listed) are
    not withdrawn. Returns the counts created, updated, withdrawn and
    the warnings (duplicates, withdrawals held back).
    """
    packages, warnings = _dedupe(packages)
    with transaction.atomic():
        if full and not packages and portal.datasets.filter(state=Dataset.State.ACTIVE).exists():
            raise CatalogueSourceError(
                _("The portal listed no dataset at all; the catalogue was left as it was.")
            )
        existing = _existing(packages)
        changed = [
            p
            for p in packages
            if p.ckan_id not in existing
            or existing[p.ckan_id] != (p.checksum, Dataset.State.ACTIVE, portal.pk)
        ]
        _free_names(portal, changed)
        _upsert_datasets(portal, changed, synced_at=synced_at)
        changed_ids = {p.ckan_id for p in changed}
        unchanged = [p.ckan_id for p in packages if p.ckan_id not in changed_ids]
        _mark_seen(unchanged + list(also_seen), synced_at)
        withdrawn = _withdraw_missing(portal, synced_at) if full else 0
    created = sum(1 for p in changed if p.ckan_id not in existing)
    return {
        "created": created,
        "updated": len(changed) - created,
        "withdrawn": withdrawn,
        "warnings": warnings,
    }


def _dedupe(packages):
    """One package per id and per name: a portal listing one twice must not break the upsert."""
    by_id = {p.ckan_id: p for p in packages}
    by_name, warnings = {}, []
    for package in by_id.values():
        if package.name in by_name:
            warnings.append(
                {"package": package.name, "reason": _("two packages have this name; one kept")}
            )
        by_name[package.name] = package
    return list(by_name.values()), warnings


def _chunks(items, size=CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _existing(packages):
    """{ckan_id: (checksum, state, portal id)} of the datasets already stored."""
    found = {}
    for chunk in _chunks([p.ckan_id for p in packages]):
        rows = Dataset.objects.filter(ckan_id__in=chunk).values_list(
            "ckan_id", "checksum", "state", "portal_id"
        )
        found.update({ckan_id: rest for ckan_id, *rest in rows})
    return {key: tuple(value) for key, value in found.items()}


def _free_names(portal, packages):
    """Renames stored datasets whose name a different package now holds (a slug reused)."""
    for chunk in _chunks(packages):
        wanted = {p.name: p.ckan_id for p in chunk}
        holders = portal.datasets.filter(name__in=wanted).values_list("pk", "name", "ckan_id")
        stale = [(pk, name, ckan_id) for pk, name, ckan_id in holders if wanted[name] != ckan_id]
        for pk, name, ckan_id in stale:
            Dataset.objects.filter(pk=pk).update(name=f"{name}--{str(ckan_id)[:8]}"[:200])


def _upsert_lookup(model, unique, rows, update_fields):
    """Bulk upserts small lookup rows and returns {key: pk}."""
    rows = list({tuple(r[k] for k in unique): r for r in rows}.values())
    if not rows:
        return {}
    objs = [model(**row) for row in rows]
    if update_fields:
        model.objects.bulk_create(
            objs, update_conflicts=True, unique_fields=unique, update_fields=update_fields
        )
    else:
        model.objects.bulk_create(objs, ignore_conflicts=True)
    filters = Q()
    for field in unique:
        filters &= Q(**{f"{field}__in": {r[field] for r in rows}})
    found = model.objects.filter(filters).values_list(*unique, "pk")
    return {tuple(row[:-1]): row[-1] for row in found}


def _lookups(portal, packages):
    orgs = _upsert_lookup(
        Organization,
        ["portal_id", "ckan_id"],
        [{"portal_id": portal.pk, **p.organization} for p in packages if p.organization],
        ["name", "title"],
    )
    licences = _upsert_lookup(
        Licence,
        ["portal_id", "ckan_id"],
        [{"portal_id": portal.pk, **p.licence} for p in packages if p.licence],
        ["title", "url"],
    )
    groups = _upsert_lookup(
        Group,
        ["portal_id", "name"],
        [{"portal_id": portal.pk, **g} for p in packages for g in p.groups],
        ["title"],
    )
    formats = _upsert_lookup(
        Format, ["name"], [{"name": f} for p in packages for f in p.formats], []
    )
    return orgs, licences, groups, formats


def _search_text(package):
    words = [package.title, " ".join(package.tags)]
    if package.organization:
        words.append(package.organization["title"])
    words += [g["title"] for g in package.groups]
    words.append(package.description)
    return strip_accents(" ".join(words))


def _upsert_datasets(portal, packages, *, synced_at):
    if not packages:
        return
    orgs, licences, groups, formats = _lookups(portal, packages)
    objs = [
        Dataset(
            portal=portal,
            ckan_id=p.ckan_id,
            name=p.name,
            title=p.title,
            description=p.description,
            organization_id=orgs[(portal.pk, p.organization["ckan_id"])]
            if p.organization
            else None,
            licence_id=licences[(portal.pk, p.licence["ckan_id"])] if p.licence else None,
            tags=p.tags,
            resources=p.resources,
            metadata_modified=p.metadata_modified,
            checksum=p.checksum,
            search_text=_search_text(p),
            state=Dataset.State.ACTIVE,
            withdrawn_at=None,
            last_synced_at=synced_at,
        )
        for p in packages
    ]
    Dataset.objects.bulk_create(
        objs,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["ckan_id"],
        update_fields=SYNCED_FIELDS,
    )
    pks = _pks(packages)
    _replace_m2m(Dataset.groups.through, "group_id", pks, packages, groups, portal)
    _replace_m2m(Dataset.formats.through, "format_id", pks, packages, formats, portal)
    _update_search_vectors(pks)


def _pks(packages):
    pks = {}
    for chunk in _chunks([p.ckan_id for p in packages]):
        pks.update(Dataset.objects.filter(ckan_id__in=chunk).values_list("ckan_id", "pk"))
    return pks


def _replace_m2m(through, target, pks, packages, lookup, portal):
    rows = []
    for package in packages:
        if target == "group_id":
            keys = [(portal.pk, g["name"]) for g in package.groups]
        else:
            keys = [(f,) for f in package.formats]
        rows += [through(dataset_id=pks[package.ckan_id], **{target: lookup[k]}) for k in keys]
    for chunk in _chunks(list(pks.values())):
        through.objects.filter(dataset_id__in=chunk).delete()
    through.objects.bulk_create(rows, batch_size=1000)


def _update_search_vectors(pks):
    refresh_search_vectors(list(pks.values()))


def refresh_search_vectors(dataset_pks):
    """PostgreSQL only: the French full-text vector of the datasets, accents removed, title
    first, from `title` and `search_text`."""
    if connection.vendor != "postgresql":
        return
    vector = SearchVector(Unaccent("title"), config="french", weight="A") + SearchVector(
        "search_text", config="french", weight="B"
    )
    for chunk in _chunks(dataset_pks, 5000):
        Dataset.objects.filter(pk__in=chunk).update(search_vector=vector)


def _mark_seen(ckan_ids, synced_at):
    for chunk in _chunks(ckan_ids):
        Dataset.objects.filter(ckan_id__in=chunk).update(last_synced_at=synced_at)


def _withdraw_missing(portal, synced_at):
    return (
        portal.datasets.filter(state=Dataset.State.ACTIVE)
        .filter(Q(last_synced_at__isnull=True) | Q(last_synced_at__lt=synced_at))
        .update(state=Dataset.State.WITHDRAWN, withdrawn_at=synced_at)
    )


def sync_from_file(portal, path, *, full=False, trigger=SyncRun.Trigger.COMMAND):
    """Syncs `portal` from a file of recorded replies (see `ckan.FileSource`)."""
    source = FileSource(path)
    run = create_sync_run(portal, trigger=trigger, full=full, source=source)
    return run_sync(run, source=source)


@service
def portal_for_url(api_url):
    """The portal configured with `api_url`, or a new one named after its host."""
    api_url = PortalSource(api_url).api_url
    portal = Portal.objects.filter(api_url=api_url).first()
    if portal:
        return portal
    parts = urlsplit(api_url)
    site = api_url.split("/api/", 1)[0].rstrip("/")
    portal, _created = Portal.objects.get_or_create(
        name=slugify(parts.netloc)[:50] or "portal",
        defaults={
            "title": parts.netloc,
            "api_url": api_url,
            "dataset_url_pattern": site + "/dataset/{name}",
        },
    )
    return portal


def sync_portal(portal, *, full=False, api_url=None, trigger=SyncRun.Trigger.COMMAND, by=None):
    """Syncs `portal` from its Action API now (or from `api_url`), in this process."""
    run = create_sync_run(portal, trigger=trigger, full=full, by=by)
    return run_sync(run, source=portal_source(run, api_url=api_url))
