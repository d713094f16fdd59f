"""The bulk writes behind `services.apply_catalogue`: a few queries per thousand packages.

Only `services` calls these, inside its transaction.
"""

from django.contrib.postgres.lookups import Unaccent
from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext as _

from .ckan import strip_accents
from .models import Dataset, Format, Group, Licence, Organization

CHUNK = 1000
# The portal is not among them: a dataset never moves to another portal.
SYNCED_FIELDS = [
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


def dedupe(packages):
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


def chunks(items, size=CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def existing_states(packages):
    """{ckan_id: (checksum, state, portal id)} of the datasets already stored."""
    found = {}
    for chunk in chunks([p.ckan_id for p in packages]):
        rows = Dataset.objects.filter(ckan_id__in=chunk).values_list(
            "ckan_id", "checksum", "state", "portal_id"
        )
        found.update({ckan_id: rest for ckan_id, *rest in rows})
    return {key: tuple(value) for key, value in found.items()}


def free_names(portal, packages):
    """Renames stored datasets whose name a different package now holds (a slug reused)."""
    for chunk in chunks(packages):
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


def upsert_datasets(portal, packages, *, synced_at):
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
    for chunk in chunks([p.ckan_id for p in packages]):
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
    for chunk in chunks(list(pks.values())):
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
    for chunk in chunks(dataset_pks, 5000):
        Dataset.objects.filter(pk__in=chunk).update(search_vector=vector)


def mark_seen(portal, ckan_ids, synced_at):
    for chunk in chunks(ckan_ids):
        portal.datasets.filter(ckan_id__in=chunk).update(last_synced_at=synced_at)


def withdraw_missing(portal, synced_at):
    return (
        portal.datasets.filter(state=Dataset.State.ACTIVE)
        .filter(Q(last_synced_at__isnull=True) | Q(last_synced_at__lt=synced_at))
        .update(state=Dataset.State.WITHDRAWN, withdrawn_at=synced_at)
    )
