"""Reads of the catalogue shared by views and other apps: search, autocomplete, reuses, stats."""

import re
import uuid

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast

from hackqc.visibility import public_gallery

from .ckan import strip_accents
from .models import Dataset, Portal, SyncRun

AUTOCOMPLETE_LIMIT = 20
SORTS = ("relevance", "title", "reuses")
# Pasted portal pages: …/dataset/<name>[/resource/<uuid>] or …/resource/<uuid>.
DATASET_PATH = re.compile(r"/dataset/(?P<name>[\w-]+)")
RESOURCE_PATH = re.compile(r"/resource/(?P<resource>[0-9a-fA-F-]{36})")


def _uuid(value):
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def public_links(edition=None):
    """Reuses: the dataset links that submitted projects' judged versions list, in editions
    whose gallery is public (what teams still in competition use is not told); with
    `edition`, only that edition's (bounded by its projects)."""
    # Imported here: the submissions app links catalogue datasets, not the other way round.
    from submissions.queries import judged_dataset_links

    return judged_dataset_links(edition).filter(public_gallery("submission__edition"))


def with_reuse_count(queryset):
    """Annotates `reuse_count`: one grouped outer join to the public links, counted once
    per project (so that joins for filters cannot inflate it). Not a subquery per dataset:
    that ran once per catalogue row and took seconds at 16,000 datasets."""
    return queryset.annotate(
        reuse_count=Count("links__submission", distinct=True, filter=Q(links__in=public_links()))
    )


def _text_search(queryset, q):
    words = strip_accents(q).strip()
    if not words:
        return queryset, False
    if connection.vendor == "postgresql":
        query = SearchQuery(words, config="french", search_type="websearch")
        queryset = queryset.filter(search_vector=query).annotate(
            rank=SearchRank(F("search_vector"), query)
        )
        return queryset, True
    for word in words.split():
        queryset = queryset.filter(search_text__contains=word)
    return queryset, False


def search_datasets(
    *,
    q="",
    organization=None,
    group=None,
    licence=None,
    format=None,
    sort="relevance",
    include_withdrawn=False,
):
    """Datasets matching the search, filters and sort; with `reuse_count` when sorted by
    it, else the page shown gets it from `count_reuses`."""
    queryset = Dataset.objects.select_related("portal", "organization", "licence").filter(
        portal__is_synthetic=False
    )
    if not include_withdrawn:
        queryset = queryset.filter(state=Dataset.State.ACTIVE)
    filters = {
        "organization": organization,
        "groups": group,
        "licence": licence,
        "formats": format,
    }
    for field, value in filters.items():
        if value is not None:
            queryset = queryset.filter(**{field: value})
    queryset, ranked = _text_search(queryset, q)
    queryset = queryset.prefetch_related("formats")
    if sort == "reuses" or (sort == "relevance" and not q):
        return with_reuse_count(queryset).order_by("-reuse_count", "title", "pk")
    # Other orders count reuses for the page shown only (`count_reuses`): grouping every
    # match by its links cost a broad search ("énergie", 7,000 of 16,000 datasets) ~0.4 s.
    if sort == "relevance" and ranked:
        return queryset.order_by("-rank", "title", "pk")
    return queryset.order_by("title", "pk")


def count_reuses(datasets):
    """Sets `reuse_count` (as `with_reuse_count` counts it) on the datasets that lack it, a
    page of them: one grouped query over their own links."""
    missing = [dataset for dataset in datasets if not hasattr(dataset, "reuse_count")]
    if missing:
        counts = dict(
            public_links()
            .filter(dataset__in=missing)
            .values("dataset")
            .annotate(projects=Count("submission", distinct=True))
            .values_list("dataset", "projects")
        )
        for dataset in missing:
            dataset.reuse_count = counts.get(dataset.pk, 0)
    return datasets


def autocomplete_datasets(q):
    """At most 20 datasets for the submission form: by pasted portal URL, uuid, name, or
    words ranked by relevance (see `_relevance`)."""
    q = (q or "").strip()
    if not q:
        return Dataset.objects.none()
    queryset = Dataset.objects.select_related("portal", "organization").filter(
        portal__is_synthetic=False
    )
    if q.startswith(("http://", "https://")):
        dataset, resource = DATASET_PATH.search(q), RESOURCE_PATH.search(q)
        if not dataset and not resource:
            return Dataset.objects.none()
        queryset = _by_portal_url(
            queryset, dataset and dataset["name"], resource and resource["resource"]
        )
    elif _uuid(q):
        queryset = queryset.filter(Q(ckan_id=_uuid(q)) | Q(name=q.lower()))
    else:
        queryset = _relevance(queryset, q).filter(relevance__lt=NO_MATCH)
        return queryset.order_by("relevance", "state", "title", "pk")[:AUTOCOMPLETE_LIMIT]
    exact = Case(When(name=q.lower(), then=Value(0)), default=Value(1))
    return queryset.order_by(exact, "state", "title", "pk")[:AUTOCOMPLETE_LIMIT]


NO_MATCH = 5


def _relevance(queryset, q):
    """Annotates `relevance`, lower first: the exact name (0), every word in the title or
    the name (1), in the tags (2), in a category (3), elsewhere in the searchable text
    (organisation, description: 4), no match (5). Accents and case are ignored (UNACCENT
    on PostgreSQL and, registered by hackqc.db, on SQLite)."""
    from .models import Group

    words = q.split()[:6]
    queryset = queryset.annotate(tags_text=Cast("tags", output_field=TextField()))

    def every(condition):
        result = Q()
        for word in words:
            result &= condition(word)
        return result

    in_title = every(lambda w: Q(title__unaccent__icontains=w) | Q(name__icontains=w))
    in_tags = every(lambda w: Q(tags_text__unaccent__icontains=w))
    in_group = every(
        lambda w: Q(
            Exists(Group.objects.filter(datasets=OuterRef("pk"), title__unaccent__icontains=w))
        )
    )
    elsewhere = every(lambda w: Q(search_text__contains=strip_accents(w)))
    return queryset.annotate(
        relevance=Case(
            When(name=q.lower(), then=Value(0)),
            When(in_title, then=Value(1)),
            When(in_tags, then=Value(2)),
            When(in_group, then=Value(3)),
            When(elsewhere, then=Value(4)),
            default=Value(NO_MATCH),
            output_field=IntegerField(),
        )
    )


def _by_portal_url(queryset, name, resource):
    if name:
        ckan_id = _uuid(name)
        condition = Q(name=name) | Q(ckan_id=ckan_id) if ckan_id else Q(name=name)
        return queryset.filter(condition)
    resources = Cast("resources", output_field=TextField())
    return queryset.annotate(resources_text=resources).filter(
        resources_text__icontains=f'"{resource.lower()}"'
    )


def autocomplete_payload(datasets):
    return {
        "results": [
            {
                "id": d.pk,
                "ckan_id": str(d.ckan_id),
                "name": d.name,
                "title": d.title,
                "organization": d.organization.title if d.organization else "",
                "state": d.state,
                "url": d.portal_url,
            }
            for d in datasets
        ]
    }


def dataset_reuses(dataset) -> list:
    """Submitted projects that reuse `dataset` and whose gallery is public (the project
    pages are not before), newest edition first.

    Each link carries `public_title`, `public_team` and `public_usage` read from the judged
    version: the title, team name or usage text a team typed after its last submit is not
    public (issue 11), as on the project page."""
    # Imported here: the submissions app links catalogue datasets, not the other way round.
    from submissions.queries import judged_versions

    links = list(
        public_links()
        .filter(dataset=dataset)
        .select_related("submission__team", "submission__edition")
        .order_by("-submission__edition__year", "submission__title", "pk")
    )
    versions = judged_versions([link.submission for link in links])
    links = [link for link in links if link.submission_id in versions]
    for link in links:
        data = versions[link.submission_id].data
        entry = next((d for d in data.get("datasets", []) if d.get("id") == dataset.pk), {})
        link.public_title = data.get("title") or data.get("team", {}).get("name", "")
        link.public_team = data.get("team", {}).get("name", "")
        link.public_usage = entry.get("usage", "")
    return links


def top_reused_datasets(*, edition=None, limit=20):
    """[(dataset, reuses)] most reused first, for `edition` or every edition."""
    links = public_links(edition)
    rows = list(
        links.order_by()
        .values("dataset")
        .annotate(reuses=Count("submission", distinct=True))
        .order_by("-reuses", "dataset__title", "dataset")[:limit]
    )
    datasets = Dataset.objects.select_related("portal", "organization").in_bulk(
        [row["dataset"] for row in rows]
    )
    return [(datasets[row["dataset"]], row["reuses"]) for row in rows]


def top_reused_organizations(*, edition=None, limit=20):
    """Rows of organisation id, title, reuses (projects) and datasets reused, most first."""
    links = public_links(edition).filter(dataset__organization__isnull=False)
    return list(
        links.order_by()
        .values(org_id=F("dataset__organization"), title=F("dataset__organization__title"))
        .annotate(
            reuses=Count("submission", distinct=True), datasets=Count("dataset", distinct=True)
        )
        .order_by("-reuses", "-datasets", "title")[:limit]
    )


def reuse_totals(*, edition=None):
    links = public_links(edition)
    return links.aggregate(
        projects=Count("submission", distinct=True), datasets=Count("dataset", distinct=True)
    )


def portals_with_last_run():
    """Every portal with its count of active datasets and `last_run` (or None), in two
    queries whatever the number of portals."""
    last_run = SyncRun.objects.filter(portal=OuterRef("pk")).order_by("-created_at", "-pk")
    portals = list(
        Portal.objects.annotate(
            last_run_id=Subquery(last_run.values("pk")[:1]),
            active_datasets=Count("datasets", filter=Q(datasets__state=Dataset.State.ACTIVE)),
        ).order_by("-is_enabled", "title", "pk")
    )
    runs = SyncRun.objects.select_related("started_by").in_bulk(
        [p.last_run_id for p in portals if p.last_run_id]
    )
    for portal in portals:
        portal.last_run = runs.get(portal.last_run_id)
    return portals
