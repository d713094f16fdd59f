"""Open data at language-independent URLs: JSON and CSV, CC BY 4.0, read only."""

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_safe

from hackqc.models import Edition
from hackqc.pagecache import Page
from hackqc.phases import are_results_public
from hackqc.spreadsheets import XLSX_TYPE
from hackqc.visibility import is_gallery_public
from judging.results import exports, queries
from judging.results.models import Award, ResultSnapshot
from judging.results.openapi import FILES, schema
from submissions.models import Submission

_JSON = {"json_dumps_params": {"ensure_ascii": False, "indent": 2}}


# What the files show: editions and challenges, teams' names, projects, the catalogue's
# datasets, the results. A review (judging) changes none of them until results are published.
AREAS = ("hackqc", "teams", "submissions", "catalogue", "results")
_CONTENT_TYPES = {"json": "application/json", "csv": "text/csv; charset=utf-8", "xlsx": XLSX_TYPE}


def _render(fmt, document, columns, rows_of, filename):
    if fmt == "json":
        return JsonResponse(document, **_JSON).content
    if fmt == "xlsx":
        return exports.to_xlsx(columns, rows_of(document), title=filename)
    return exports.to_csv(columns, rows_of(document)).encode()


def _respond(request, page, fmt, build, filename):
    """The file from the cache (built on the first request after a change), or a 304 when
    the client has this version (ETag / Last-Modified)."""
    not_modified = page.not_modified(request)
    if not_modified is not None:
        return not_modified
    response = HttpResponse(page.get_or_build(build), content_type=_CONTENT_TYPES[fmt])
    if fmt == "csv":
        response["Content-Disposition"] = f'inline; filename="{filename}.csv"'
    elif fmt == "xlsx":
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return page.stamp(response)


def _published(slug):
    edition = get_object_or_404(Edition.objects.listed(), slug=slug)
    snapshot = queries.published_snapshot(edition)
    if snapshot is None:
        raise Http404
    return edition, snapshot


def _gallery(slug):
    edition = get_object_or_404(Edition.objects.listed(), slug=slug)
    if not is_gallery_public(edition):
        raise Http404
    return edition


@require_safe
def results(request, slug, fmt):
    edition, snapshot = _published(slug)
    page = Page(
        "open-data-results",
        edition.pk,
        snapshot.pk,
        fmt,
        areas=AREAS,
        language=False,
        edition=edition.pk,
    )

    def build():
        document = exports.results_document(edition, snapshot)
        return _render(fmt, document, exports.RESULTS_COLUMNS, exports.results_rows, "results")

    return _respond(request, page, fmt, build, "results")


@require_safe
def submissions(request, slug, fmt):
    edition = _gallery(slug)
    page = Page(
        "open-data-submissions", edition.pk, fmt, areas=AREAS, language=False, edition=edition.pk
    )

    def build():
        document = exports.submissions_document(edition)
        columns, rows_of = exports.SUBMISSIONS_COLUMNS, exports.submissions_rows
        return _render(fmt, document, columns, rows_of, "submissions")

    return _respond(request, page, fmt, build, "submissions")


@require_safe
def datasets(request, slug, fmt):
    edition = _gallery(slug)
    page = Page(
        "open-data-datasets", edition.pk, fmt, areas=AREAS, language=False, edition=edition.pk
    )

    def build():
        document = exports.datasets_document(edition)
        rows_of = lambda d: d["datasets"]  # noqa: E731
        return _render(fmt, document, exports.DATASETS_COLUMNS, rows_of, "datasets")

    return _respond(request, page, fmt, build, "datasets")


@require_safe
def showcase(request, slug, pk):
    """The ckanext-showcase payload of a winning project, once the results are public."""
    _edition, snapshot = _published(slug)
    if not Award.objects.filter(snapshot=snapshot, place__isnull=False, submission=pk).exists():
        raise Http404
    submission = get_object_or_404(
        Submission.objects.select_related("edition", "team", "challenge"), pk=pk
    )
    url = request.build_absolute_uri(
        reverse("submissions:project", args=[slug, submission.team_id])
    )
    return JsonResponse(exports.showcase_payload(submission, project_url=url), **_JSON)


@require_safe
def index(request):
    """Every edition and the open-data files it offers now."""
    editions = []
    published = set(
        ResultSnapshot.objects.filter(state=ResultSnapshot.State.PUBLISHED).values_list(
            "edition_id", flat=True
        )
    )
    for edition in Edition.objects.listed().order_by("-year", "slug"):
        files = []
        if is_gallery_public(edition):
            files += [f for f in FILES if not f.startswith("results")]
        if edition.pk in published and are_results_public(edition):
            files += [f for f in FILES if f.startswith("results")]
        editions.append(
            {
                "slug": edition.slug,
                "name": edition.name,
                "year": edition.year,
                "files": [
                    request.build_absolute_uri(f"/open-data/{edition.slug}/{f}") for f in files
                ],
            }
        )
    return JsonResponse(
        {
            "licence": exports.LICENCE,
            "openapi": request.build_absolute_uri("/open-data/openapi.json"),
            "editions": editions,
        },
        **_JSON,
    )


@require_safe
def openapi(request):
    return JsonResponse(schema(), **_JSON)
