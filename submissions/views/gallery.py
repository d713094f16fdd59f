"""The public gallery of submitted projects, project pages and showcase exports."""

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from hackqc.models import Edition
from hackqc.notices import edition_notices
from hackqc.pagecache import Page, lazy
from hackqc.permissions import is_organizer
from hackqc.visibility import get_visible_edition, public_gallery
from submissions.catalogue.models import Dataset, Organization

from .. import queries
from ..forms import GalleryFilterForm
from ..models import SubmissionVersion, Technology
from ..permissions import can_view_project, can_view_sheet, get_team_sheet
from ..showcase import showcase_payload
from ..snapshots import build_snapshot

PAGE_SIZE = 24
# What the gallery shows: the edition and challenges, teams' names, projects as judged,
# the catalogue's datasets and organisations (never the jury's reviews).
GALLERY_AREAS = ("hackqc", "teams", "submissions", "catalogue")


def gallery_index(request):
    """Editions whose gallery is open, newest first."""
    editions = Edition.objects.filter(public_gallery()).order_by("-year", "-submissions_close")
    return render(request, "submissions/gallery_index.html", {"editions": editions})


DATASET_CHOICES = 200


def _filter_choices(edition, selected_dataset=None):
    """The options of each filter, from the versions the gallery shows: four queries. The
    dataset list keeps the most reused ones (and the selected one) so the page stays small
    with thousands of links."""
    judged = queries.judgeable_submissions(edition).values("judged_version_id")
    links = Q(submitted_versions__in=judged)
    linked = Dataset.objects.filter(links).distinct()
    popular = (
        Dataset.objects.filter(links)
        .annotate(reuses=Count("submitted_versions"))
        .order_by("-reuses", "title")
        .values_list("pk", "title")[:DATASET_CHOICES]
    )
    datasets = sorted(popular, key=lambda option: option[1].lower())
    if selected_dataset and selected_dataset not in {pk for pk, _title in datasets}:
        datasets += list(linked.filter(pk=selected_dataset).values_list("pk", "title"))
    return {
        "challenge": [(c.pk, str(c)) for c in edition.challenges.order_by("number")],
        "dataset": datasets,
        "organization": list(
            Organization.objects.filter(datasets__in=linked)
            .distinct()
            .order_by("title")
            .values_list("pk", "title")
        ),
        "technology": list(
            Technology.objects.filter(submitted_versions__in=judged)
            .distinct()
            .order_by("name")
            .values_list("pk", "name")
        ),
    }


def gallery(request, slug):
    edition = get_visible_edition(request.user, slug)
    organizer = is_organizer(request.user, edition)
    if not queries.is_gallery_public(edition) and not organizer:
        return render(request, "submissions/gallery_closed.html", {"edition": edition})
    form = GalleryFilterForm(request.GET or None, choices={})
    filters = form.cleaned_data if form.is_valid() else {}
    preview = not queries.is_gallery_public(edition)

    def paginate():
        submissions = queries.gallery_submissions(
            edition,
            challenge=filters.get("challenge"),
            dataset=filters.get("dataset"),
            organization=filters.get("organization"),
            technology=filters.get("technology"),
            search=filters.get("q", ""),
        )
        return Paginator(submissions, PAGE_SIZE).get_page(request.GET.get("page"))

    def cards():
        versions = SubmissionVersion.objects.in_bulk([s.judged_version_id for s in page])
        return [(s, versions[s.judged_version_id].data) for s in page]

    # The public gallery is rendered once per change of the projects, per filter and page
    # (hackqc.pagecache); the organizers' preview and a form with errors every time.
    form.choices = lazy(lambda: _filter_choices(edition, filters.get("dataset")))
    page = lazy(paginate)
    query = request.GET.copy()
    query.pop("page", None)
    cached = None
    if not preview and (form.is_valid() or not form.is_bound):
        number = request.GET.get("page", "")
        cached = Page(
            "gallery",
            edition.pk,
            sorted((k, str(v)) for k, v in filters.items()),
            number if number.isdigit() else "",
            areas=GALLERY_AREAS,
            edition=edition.pk,
        )
    context = {
        "edition": edition,
        "form": form,
        "page": page,
        "cards": lazy(cards),
        "query": query.urlencode(),
        "preview": preview,
        "cached": cached,
        # Outside the cached part: a notice depends on the clock (a vote window opening).
        "notices": lazy(lambda: edition_notices(edition)),
    }
    return render(request, "submissions/gallery.html", context)


def _project_data(request, submission):
    """What the page shows: the judged version to the public, the live sheet to its team
    before any version exists."""
    version = queries.judged_version(submission)
    if version is None and can_view_sheet(request.user, submission):
        version = submission.versions.order_by("-number").first()
    return version


def project_detail(request, slug, team_id):
    submission = get_team_sheet(request.user, slug, team_id, check=can_view_project)
    version = _project_data(request, submission)
    context = {
        "submission": submission,
        "edition": submission.edition,
        "team": submission.team,
        "version": version,
        "data": version.data if version else None,
        "withdrawn_ids": queries.withdrawn_dataset_ids(version.data if version else None),
        "can_view_sheet": can_view_sheet(request.user, submission),
        # Only the members who consent to be shown (Law 25), as of now, for outsiders.
        "members": queries.member_names_for(submission.team, request.user),
    }
    return render(request, "submissions/project_detail.html", context)


def showcase_export(request, slug, team_id):
    """JSON for ckanext-showcase: team and organizers anytime, everyone once public."""
    submission = get_team_sheet(request.user, slug, team_id, check=can_view_project)
    version = _project_data(request, submission)
    data = version.data if version else build_snapshot(submission)
    url = request.build_absolute_uri(
        reverse("submissions:project", args=[slug, submission.team_id])
    )
    payload = showcase_payload(submission, data, project_url=url)
    return JsonResponse(payload, json_dumps_params={"ensure_ascii": False, "indent": 2})


def edition_showcases(request, slug):
    """Every judged project of the edition as showcase payloads (organizers, or public)."""
    edition = get_object_or_404(Edition, slug=slug)
    if not (queries.is_gallery_public(edition) or is_organizer(request.user, edition)):
        raise Http404
    submissions = list(queries.judgeable_submissions(edition).select_related("team", "edition"))
    versions = SubmissionVersion.objects.in_bulk([s.judged_version_id for s in submissions])
    payloads = [
        showcase_payload(
            s,
            versions[s.judged_version_id].data,
            project_url=request.build_absolute_uri(
                reverse("submissions:project", args=[slug, s.team_id])
            ),
        )
        for s in submissions
    ]
    return JsonResponse(
        {"showcases": payloads}, json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
