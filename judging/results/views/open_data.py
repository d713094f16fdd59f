"""Open data at language-independent URLs: JSON and CSV, CC BY 4.0, read only."""

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_safe

from hackqc.models import Edition
from hackqc.phases import are_results_public
from hackqc.visibility import is_gallery_public
from judging.results import exports, queries
from judging.results.models import Award, ResultSnapshot
from judging.results.openapi import FILES, schema
from submissions.models import Submission

_JSON = {"json_dumps_params": {"ensure_ascii": False, "indent": 2}}


def _csv_response(columns, rows, filename):
    response = HttpResponse(exports.to_csv(columns, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _respond(fmt, document, columns, rows_of, filename):
    if fmt == "json":
        return JsonResponse(document, **_JSON)
    return _csv_response(columns, rows_of(document), f"{filename}.csv")


def _published(slug):
    edition = get_object_or_404(Edition, slug=slug)
    snapshot = queries.published_snapshot(edition)
    if snapshot is None:
        raise Http404
    return edition, snapshot


def _gallery(slug):
    edition = get_object_or_404(Edition, slug=slug)
    if not is_gallery_public(edition):
        raise Http404
    return edition


@require_safe
def results(request, slug, fmt):
    edition, snapshot = _published(slug)
    document = exports.results_document(edition, snapshot)
    return _respond(fmt, document, exports.RESULTS_COLUMNS, exports.results_rows, "results")


@require_safe
def submissions(request, slug, fmt):
    document = exports.submissions_document(_gallery(slug))
    return _respond(
        fmt, document, exports.SUBMISSIONS_COLUMNS, exports.submissions_rows, "submissions"
    )


@require_safe
def datasets(request, slug, fmt):
    document = exports.datasets_document(_gallery(slug))
    rows_of = lambda d: d["datasets"]  # noqa: E731
    return _respond(fmt, document, exports.DATASETS_COLUMNS, rows_of, "datasets")


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
