"""Reads shared by views, the jury and the results: each with its joins, in constant queries."""

from django.db.models import (
    Case,
    Count,
    DateTimeField,
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    When,
)
from django.db.models.fields.json import KT

from hackqc.visibility import is_gallery_public, public_gallery
from submissions.catalogue.models import Dataset
from teams.models import Registration, Team

from .eligibility import check_eligibility
from .models import DatasetLink, Submission, SubmissionVersion

__all__ = ["is_gallery_public"]  # re-exported: the gallery views ask `queries`


def judged_deadline_expression():
    """The submission's deadline in SQL: the edition's, or a later reopening's."""
    return Case(
        When(
            reopened_until__gt=F("edition__submissions_close"),
            then=F("reopened_until"),
        ),
        default=F("edition__submissions_close"),
        output_field=DateTimeField(),
    )


def _judged_version_id_subquery():
    return Subquery(
        SubmissionVersion.objects.filter(
            submission=OuterRef("pk"), submitted_at__lte=OuterRef("judged_deadline")
        )
        .order_by("-number")
        .values("pk")[:1]
    )


def with_judged_version(queryset):
    """Annotates `judged_version_id`: the last version submitted by the deadline, or None."""
    return queryset.annotate(judged_deadline=judged_deadline_expression()).annotate(
        judged_version_id=_judged_version_id_subquery()
    )


def judged_dataset_links(edition=None):
    """Dataset links that the judged version of a submitted project lists: drafts are
    private, disqualified projects reuse nothing, and a link added after the last submit
    does not count until it is submitted. With `edition`, only that edition's: every
    subquery is then bounded by the edition's projects, never the other editions'."""
    from django.db.models import Exists, OuterRef

    submitted = Submission.objects.filter(state=Submission.State.SUBMITTED)
    if edition is not None:
        submitted = submitted.filter(edition=edition)
    judged = with_judged_version(submitted).values("judged_version_id")
    listed = SubmissionVersion.datasets.through.objects.filter(
        submissionversion_id__in=judged,
        submissionversion__submission_id=OuterRef("submission_id"),
        dataset_id=OuterRef("dataset_id"),
    )
    links = DatasetLink.objects.filter(submission__state=Submission.State.SUBMITTED)
    if edition is not None:
        links = links.filter(submission__edition=edition)
    return links.filter(Exists(listed))


def judged_version(submission) -> SubmissionVersion | None:
    """What the jury sees: the last version submitted by the deadline (reopenings included).

    A draft never submitted has none; neither has a disqualified project.
    """
    if submission.state == Submission.State.DISQUALIFIED:
        return None
    return (
        submission.versions.filter(submitted_at__lte=submission.deadline)
        .order_by("-number")
        .first()
    )


def judged_versions(submissions) -> dict[int, SubmissionVersion]:
    """`judged_version` for many submissions in two queries: {submission id: version}."""
    if hasattr(submissions, "values"):
        scope = Submission.objects.filter(pk__in=submissions.values("pk"))
    else:
        scope = Submission.objects.filter(pk__in=[s.pk for s in submissions])
    annotated = with_judged_version(scope.exclude(state=Submission.State.DISQUALIFIED)).values_list(
        "pk", "judged_version_id"
    )
    version_ids = {version_id: pk for pk, version_id in annotated if version_id}
    versions = SubmissionVersion.objects.filter(pk__in=version_ids).select_related("submitted_by")
    return {version.submission_id: version for version in versions}


def judgeable_submissions(edition):
    """Submissions the jury judges: submitted, not disqualified, with a version by the
    deadline. Annotated with `judged_version_id`."""
    return with_judged_version(
        Submission.objects.filter(edition=edition, state=Submission.State.SUBMITTED)
    ).filter(judged_version_id__isnull=False)


def eligibility_counts(*, to_submission="", to_team="team__") -> dict:
    """The counts `check_eligibility` needs, as annotations of a query over submissions (the
    defaults) or over teams (`to_submission="submission__", to_team=""`): every page, report
    and card counts the same things the same way."""
    return {
        "dataset_count": Count(f"{to_submission}dataset_links", distinct=True),
        "member_count": Count(f"{to_team}memberships", distinct=True),
        "technology_count": Count(f"{to_submission}technologies", distinct=True),
    }


def sheet_counts(submission) -> dict:
    """The counts eligibility needs, in one query."""
    return (
        Submission.objects.filter(pk=submission.pk)
        .annotate(**eligibility_counts())
        .values("dataset_count", "member_count", "technology_count")
        .get()
    )


def eligibility_of(submission):
    """What the sheet misses before it may be submitted (`submissions.eligibility`)."""
    return check_eligibility(submission, **sheet_counts(submission))


def eligibility_rows(edition):
    """Every team of the edition with its sheet and the counts eligibility needs."""

    return (
        Team.objects.filter(edition=edition)
        .select_related("submission__challenge", "submission__edition")
        .annotate(
            **eligibility_counts(to_submission="submission__", to_team=""),
            version_count=Count("submission__versions", distinct=True),
        )
        .order_by("name")
    )


def gallery_submissions(edition, *, challenge=None, dataset=None, organization=None,
                        technology=None, search=""):  # fmt: skip
    """Submitted projects with a judged version, filtered on that version (what the cards
    show, not later edits of the sheet); ordered by title."""
    queryset = judgeable_submissions(edition)
    versions = SubmissionVersion.objects.filter(submission__edition=edition)
    filtered = False
    if challenge:
        versions, filtered = versions.filter(data__challenge__id=int(challenge)), True
    if dataset:
        versions, filtered = versions.filter(datasets=dataset), True
    if organization:
        versions, filtered = versions.filter(datasets__organization_id=organization), True
    if technology:
        versions, filtered = versions.filter(technologies=technology), True
    if search:
        # Insensitive to accents like the catalogue's search: "velo" finds "Vélo".
        versions = versions.annotate(
            search_title=KT("data__title"), search_pitch=KT("data__pitch")
        ).filter(
            Q(search_title__unaccent__icontains=search)
            | Q(search_pitch__unaccent__icontains=search)
            | Q(submission__team__name__unaccent__icontains=search)
        )
        filtered = True
    if filtered:
        # A subquery, not joins: no duplicate rows, so no DISTINCT to pay for.
        queryset = queryset.filter(judged_version_id__in=versions.values("pk"))
    return queryset.select_related("team", "challenge").order_by("title", "pk")


def versions_with_changes(submission):
    """The history, newest first, each version with `changes` from the one before."""
    from .snapshots import changed_keys

    versions = list(submission.versions.select_related("submitted_by").order_by("number"))
    previous = None
    for version in versions:
        version.changes = changed_keys(previous, version.data)
        previous = version.data
    return list(reversed(versions))


def reuses_of_dataset(dataset):
    """Projects that link `dataset` and whose gallery is public, for its catalogue page."""
    return (
        Submission.objects.filter(dataset_links__dataset=dataset, state=Submission.State.SUBMITTED)
        .filter(public_gallery("edition"))
        .select_related("team", "edition")
        .order_by("-edition__year", "title")
    )


def member_submissions(user):
    """The sheets of the teams `user` belongs to, newest edition first."""
    if not user.is_authenticated:
        return Submission.objects.none()
    return Submission.objects.filter(team__memberships__user=user).select_related("edition", "team")


def sheet_with_rows(submission_id):
    return (
        Submission.objects.select_related("edition", "team", "challenge")
        .prefetch_related(
            "technologies",
            "libraries",
            "screenshots",
            Prefetch(
                "dataset_links",
                queryset=DatasetLink.objects.select_related("dataset__organization"),
            ),
        )
        .get(pk=submission_id)
    )


def withdrawn_dataset_ids(*snapshots) -> set[int]:
    """Datasets of these snapshots withdrawn from the portal since, in one query."""

    ids = {entry["id"] for data in snapshots if data for entry in data.get("datasets", [])}
    if not ids:
        return set()
    return set(
        Dataset.objects.filter(pk__in=ids, state=Dataset.State.WITHDRAWN).values_list(
            "pk", flat=True
        )
    )


def member_names_for(team, viewer) -> list[str]:
    """The names of `team`'s members that `viewer` may see, read now (Law 25: a consent
    withdrawn takes effect at once, on every page and for every version shown): all of them
    for a member or an organizer; for anyone else (judges, other participants, the public)
    only those who consent to be shown."""
    from hackqc.permissions import is_organizer

    if getattr(viewer, "is_authenticated", False) and (
        team.memberships.filter(user=viewer).exists()
        or is_organizer(viewer, team.edition_id)  # the key: the edition need not be loaded
    ):
        return sorted(team.memberships.values_list("user__display_name", flat=True))
    return consenting_member_names(team)


def consenting_member_names(team) -> list[str]:
    """Display names of the team's members who consented to be shown to others."""

    consenting = Registration.objects.filter(
        edition_id=team.edition_id, show_profile=True, user__memberships__team=team
    )
    return sorted(consenting.values_list("user__display_name", flat=True))


PUBLIC_FIELDS = ("title", "pitch", "repository_url", "licence")


def show_judged_versions(submissions):
    """Puts on each submission object what its judged version says (title, pitch,
    repository, licence, and `judged_dataset_ids`), so that results and open data never
    show edits saved after the last submit. Display only: the objects must not be saved.
    Two queries, whatever the number of submissions."""
    submissions = [s for s in submissions if s is not None]
    shown = _judged_public_data(submissions) if submissions else {}
    for submission in submissions:
        data = shown.get(submission.pk)
        for field in PUBLIC_FIELDS:
            if data and data[field] is not None:
                setattr(submission, field, data[field])
        submission.judged_dataset_ids = (
            {entry["id"] for entry in data["datasets"]}
            if data and data["datasets"] is not None
            else None
        )
        # The logo file the judged version names (kept while a version names it), not one
        # uploaded since; "" when the version had none.
        submission.judged_logo = (data["logo"] or "") if data else ""
    return submissions


def _judged_public_data(submissions) -> dict[int, dict]:
    """{submission id: the public keys of its judged version}, read out of the version's
    JSON by the database: a version holds the whole sheet (descriptions of thousands of
    characters), and decoding all of it in Python cost a judge's list of 30 projects about
    20 ms. A key the version lacks is None."""
    scope = Submission.objects.filter(pk__in=[s.pk for s in submissions])
    annotated = with_judged_version(scope.exclude(state=Submission.State.DISQUALIFIED))
    version_ids = [v for v in annotated.values_list("judged_version_id", flat=True) if v]
    # Aliased: a version has fields of these names (`datasets`).
    keys = {f"shown_{field}": KT(f"data__{field}") for field in (*PUBLIC_FIELDS, "logo")}
    rows = SubmissionVersion.objects.filter(pk__in=version_ids).values(
        "submission_id", shown_datasets=F("data__datasets"), **keys
    )
    return {
        row.pop("submission_id"): {key.removeprefix("shown_"): value for key, value in row.items()}
        for row in rows
    }


def judged_links(submission):
    """The submission's prefetched dataset links that its judged version lists."""
    ids = getattr(submission, "judged_dataset_ids", None)
    links = submission.dataset_links.all()
    return [link for link in links if ids is None or link.dataset_id in ids]


def has_submitted_versions(team) -> bool:
    """Whether the team ever submitted its project (its versions are then a record)."""
    return SubmissionVersion.objects.filter(submission__team=team).exists()
