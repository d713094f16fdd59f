"""Every write on project sheets. Each function is atomic and names its side effects."""

import datetime
import re
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from hackqc.exceptions import ConcurrentEditError, HackQCError, PhaseClosedError
from hackqc.phases import is_submission_open
from hackqc.service import enqueue, service
from submissions.catalogue.models import Dataset

from . import queries
from .eligibility import check_eligibility
from .images import validate_image
from .models import Decision, Library, Screenshot, Submission, SubmissionVersion, Technology
from .snapshots import build_snapshot

MAX_SCREENSHOTS = 6
SHEET_FIELDS = (
    "title",
    "pitch",
    "description",
    "challenge",
    "welcomes_members",
    "achievements",
    "difficulties",
    "lessons",
    "next_steps",
    "repository_url",
    "licence",
    "demo_url",
    "video_url",
)


class NotEligibleError(HackQCError):
    """The sheet misses parts the rules require; `problems` lists them."""

    def __init__(self, problems):
        super().__init__(_("The project cannot be submitted yet."))
        self.problems = problems


class DatasetNotFoundError(HackQCError):
    """A dataset reference that matches nothing in the catalogue."""


@service
def create_submission(team) -> Submission:
    """The team's sheet, created empty (draft) the first time. Idempotent; no side effect."""
    submission, _created = Submission.objects.get_or_create(
        team=team, defaults={"edition_id": team.edition_id, "challenge_id": team.challenge_id}
    )
    return submission


def can_edit_now(submission, now=None) -> bool:
    """Open until the edition's deadline (or an organizer's extension), to the second."""
    now = now or timezone.now()
    if submission.state == Submission.State.DISQUALIFIED:
        return False
    if is_submission_open(submission.edition, now):
        return True
    return submission.reopened_until is not None and now < submission.reopened_until


def _ensure_editable(submission):
    if submission.state == Submission.State.DISQUALIFIED:
        raise PhaseClosedError(_("This project was disqualified; it can no longer be changed."))
    if not can_edit_now(submission):
        raise PhaseClosedError(_("Submissions are closed: the deadline has passed."))


def _bump_lock(submission, lock_version):
    """Increments the lock version if it still is `lock_version`, else refuses the write."""
    updated = Submission.objects.filter(pk=submission.pk, lock_version=lock_version).update(
        lock_version=F("lock_version") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise ConcurrentEditError(
            _(
                "A teammate saved the sheet while you were editing it. Your text is kept "
                "below: compare it with the current sheet, then save again."
            )
        )
    submission.lock_version = lock_version + 1


@service
def update_sheet(submission, *, by, lock_version, technologies=(), libraries=(), **fields):
    """Saves sections A to C and the links, if nobody saved since `lock_version` was read.

    Raises ConcurrentEditError (nothing saved) on a stale lock, PhaseClosedError after the
    deadline. `technologies` are names; `libraries` (name, version) pairs replacing the
    current ones. No mail.
    """
    submission = Submission.objects.select_related("edition").get(pk=submission.pk)
    _ensure_editable(submission)
    _bump_lock(submission, lock_version)
    unknown = set(fields) - set(SHEET_FIELDS)
    if unknown:
        raise TypeError(f"Unknown sheet fields: {sorted(unknown)}")
    challenge = fields.get("challenge")
    if challenge is not None and challenge.edition_id != submission.edition_id:
        raise HackQCError(_("This challenge belongs to another edition."), field="challenge")
    for name, value in fields.items():
        setattr(submission, name, value)
    submission.updated_at = timezone.now()
    submission.save(update_fields=[*fields, "updated_at"])
    _set_technologies(submission, technologies)
    _set_libraries(submission, libraries)
    return submission


def _set_technologies(submission, names):
    wanted = {}
    for name in names:
        cleaned = " ".join(name.split())[:60]
        if cleaned:
            wanted.setdefault(cleaned.lower(), cleaned)
    existing = {
        t.lower_name: t
        for t in Technology.objects.annotate(lower_name=Lower("name")).filter(lower_name__in=wanted)
    }
    missing = [Technology(name=name) for key, name in wanted.items() if key not in existing]
    Technology.objects.bulk_create(missing, ignore_conflicts=True)
    submission.technologies.set(
        Technology.objects.annotate(lower_name=Lower("name")).filter(lower_name__in=wanted)
    )


def _set_libraries(submission, pairs):
    submission.libraries.all().delete()
    seen = set()
    rows = []
    for position, (name, version) in enumerate(pairs):
        if name.strip() and name.strip().lower() not in seen:
            seen.add(name.strip().lower())
            rows.append(
                Library(
                    submission=submission,
                    name=name.strip(),
                    version=version.strip(),
                    position=position,
                )
            )
    Library.objects.bulk_create(rows)


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
def link_dataset(submission, *, by, dataset, usage, resources=()):
    """Adds a dataset the project reuses, or updates its usage if already linked. No mail."""
    submission = (
        Submission.objects.select_for_update().select_related("edition").get(pk=submission.pk)
    )
    _ensure_editable(submission)
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
def unlink_dataset(link, *, by):
    """Removes one dataset from the sheet (past versions keep it). No mail."""
    submission = (
        Submission.objects.select_for_update().select_related("edition").get(pk=link.submission_id)
    )
    _ensure_editable(submission)
    link.delete()
    _touch(submission)


def _touch(submission):
    Submission.objects.filter(pk=submission.pk).update(updated_at=timezone.now())


# Images -------------------------------------------------------------------------------


def _delete_files_on_commit(*names, submission_id=None):
    """Deletes the files after commit, except those a submitted version still shows: the
    jury and the history show the judged version's logo and screenshots."""
    from django.core.files.storage import default_storage

    names = {n for n in names if n} - (_version_images(submission_id) if submission_id else set())
    if names:
        transaction.on_commit(lambda: [default_storage.delete(n) for n in names])


def _version_images(submission_id) -> set[str]:
    rows = SubmissionVersion.objects.filter(submission_id=submission_id).values_list(
        "data__logo", "data__screenshots"
    )
    names = set()
    for logo, screenshots in rows:
        names.add(logo or "")
        names.update(shot.get("image", "") for shot in screenshots or [] if isinstance(shot, dict))
    return names - {""}


def _thumbnails_on_commit(submission_id):
    from .tasks import task_make_thumbnails

    enqueue(task_make_thumbnails, submission_id=submission_id)


@service
def set_logo(submission, *, by, upload):
    """Replaces the logo with a re-encoded copy of `upload` (InvalidImageError if refused).

    After commit: the old files are deleted and the thumbnail task is queued.
    """
    clean = validate_image(upload)
    submission = (
        Submission.objects.select_for_update().select_related("edition").get(pk=submission.pk)
    )
    _ensure_editable(submission)
    old = (submission.logo.name, submission.logo_thumbnail.name)
    submission.logo.save(clean.content.name, clean.content, save=False)
    submission.logo_thumbnail = ""
    submission.updated_at = timezone.now()
    submission.save(update_fields=["logo", "logo_thumbnail", "updated_at"])
    _delete_files_on_commit(*old, submission_id=submission.pk)
    _thumbnails_on_commit(submission.pk)
    return submission


@service
def remove_logo(submission, *, by):
    """Clears the logo; its files are deleted after commit."""
    submission = (
        Submission.objects.select_for_update().select_related("edition").get(pk=submission.pk)
    )
    _ensure_editable(submission)
    old = (submission.logo.name, submission.logo_thumbnail.name)
    submission.logo = ""
    submission.logo_thumbnail = ""
    submission.save(update_fields=["logo", "logo_thumbnail"])
    _delete_files_on_commit(*old, submission_id=submission.pk)


@service
def add_screenshot(submission, *, by, upload, alt_text):
    """Adds a re-encoded screenshot (at most six); thumbnail task queued after commit."""
    clean = validate_image(upload)
    submission = (
        Submission.objects.select_for_update().select_related("edition").get(pk=submission.pk)
    )
    _ensure_editable(submission)
    if submission.screenshots.count() >= MAX_SCREENSHOTS:
        raise HackQCError(
            _("A project has at most %(count)d screenshots.") % {"count": MAX_SCREENSHOTS},
            field="image",
        )
    screenshot = Screenshot(submission=submission, alt_text=alt_text.strip())
    screenshot.image.save(clean.content.name, clean.content, save=False)
    screenshot.save()
    _touch(submission)
    _thumbnails_on_commit(submission.pk)
    return screenshot


@service
def remove_screenshot(screenshot, *, by):
    """Deletes a screenshot; its files are deleted after commit."""
    submission = (
        Submission.objects.select_for_update()
        .select_related("edition")
        .get(pk=screenshot.submission_id)
    )
    _ensure_editable(submission)
    names = (screenshot.image.name, screenshot.thumbnail.name)
    screenshot.delete()
    _delete_files_on_commit(*names, submission_id=submission.pk)


def make_thumbnails(submission):
    """Creates the missing thumbnails of the logo and screenshots. Idempotent."""
    from .images import make_thumbnail

    if submission.logo and not submission.logo_thumbnail:
        with submission.logo.open("rb") as source:
            thumb = make_thumbnail(source)
        _store_thumbnail(Submission, submission.pk, "logo", "logo_thumbnail", thumb)
    for shot in submission.screenshots.filter(thumbnail=""):
        with shot.image.open("rb") as source:
            thumb = make_thumbnail(source)
        _store_thumbnail(Screenshot, shot.pk, "image", "thumbnail", thumb)


def _store_thumbnail(model, pk, source_field, thumb_field, content):
    """Saves the file, then points the row at it only if the source is still the same."""
    from django.core.files.storage import default_storage

    with transaction.atomic():
        row = model.objects.select_for_update().filter(pk=pk).first()
        if row is None or getattr(row, thumb_field):
            return
        source_name = getattr(row, source_field).name
        path = getattr(row, thumb_field).field.generate_filename(row, content.name)
        name = default_storage.save(path, content)
        updated = model.objects.filter(pk=pk, **{source_field: source_name}).update(
            **{thumb_field: name}
        )
        if not updated:
            transaction.on_commit(lambda: default_storage.delete(name))


# Submitting ---------------------------------------------------------------------------


def eligibility_of(submission):
    counts = queries.sheet_counts(submission)
    return check_eligibility(submission, **counts)


@service
def submit_project(submission, *, by, lock_version=None):
    """Stores a new immutable version of the sheet and marks it submitted.

    Checks the deadline at this instant, the lock version (when given) and eligibility
    (NotEligibleError lists what is missing). After commit, every member is mailed a
    confirmation with the version number.
    """
    submission = (
        Submission.objects.select_for_update()
        .select_related("edition", "team")
        .get(pk=submission.pk)
    )
    _ensure_editable(submission)
    if lock_version is not None and submission.lock_version != lock_version:
        raise ConcurrentEditError(
            _("The sheet changed since you opened this page: review it, then submit again.")
        )
    result = eligibility_of(submission)
    if not result.is_eligible:
        raise NotEligibleError(result.problems)
    [version] = store_versions(
        [NewVersion(submission=submission, submitted_at=timezone.now(), submitted_by=by)]
    )
    submission.state = Submission.State.SUBMITTED
    submission.updated_at = version.submitted_at
    submission.save(update_fields=["state", "updated_at"])
    _confirm(version)
    return version


def _confirm(version):
    """Promises every member the confirmation of `version`, in this transaction."""
    from .mails import mail_submitted

    members = [
        m.user
        for m in version.submission.team.memberships.select_related("user")
        if record_confirmation(version, m.user)
    ]
    mail_submitted(version, members=members)


# Organizers ---------------------------------------------------------------------------


@service
def reopen_submission(submission, *, by, reason, until):
    """Lets one team edit and submit again until `until`, for a stated reason (recorded).

    Versions it submits before `until` are the ones judged. No mail.
    """
    submission = (
        Submission.objects.select_for_update().select_related("edition").get(pk=submission.pk)
    )
    if submission.state == Submission.State.DISQUALIFIED:
        raise HackQCError(_("A disqualified project cannot be reopened."))
    _check_not_judged_yet(submission)
    if not reason.strip():
        raise HackQCError(_("State the reason."), field="reason")
    if until <= timezone.now():
        raise HackQCError(_("Choose a date in the future."), field="until")
    if until > submission.edition.judging_ends:
        raise HackQCError(_("The project must be back before judging ends."), field="until")
    submission.reopened_until = until
    submission.save(update_fields=["reopened_until"])
    Decision.objects.create(
        submission=submission,
        kind=Decision.Kind.REOPENED,
        reason=reason.strip(),
        until=until,
        decided_by=by,
    )
    return submission


def _check_not_judged_yet(submission):
    """A version the jury has scored, or that results were published on, must stay the one
    judged: reopening then would let a team replace it."""
    from judging.models import Review

    if submission.edition.results_published is not None:
        raise HackQCError(_("The results are published: the project cannot be reopened."))
    if Review.objects.filter(submission=submission, state=Review.State.SUBMITTED).exists():
        raise HackQCError(_("Judges have already scored this project: it cannot be reopened."))


@service
def disqualify_submission(submission, *, by, reason):
    """Excludes the project from judging and the gallery, for a stated reason (recorded)."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if submission.state == Submission.State.DISQUALIFIED:
        raise HackQCError(_("This project is already disqualified."))
    if not reason.strip():
        raise HackQCError(_("State the reason."), field="reason")
    submission.state = Submission.State.DISQUALIFIED
    submission.save(update_fields=["state"])
    Decision.objects.create(
        submission=submission, kind=Decision.Kind.DISQUALIFIED, reason=reason.strip(), decided_by=by
    )
    return submission


# Reminders ----------------------------------------------------------------------------


@service
def record_confirmation(version, user) -> bool:
    """Records that `user` is mailed about `version`; False if already (then do not send)."""
    from .models import SubmitConfirmation

    try:
        with transaction.atomic():
            SubmitConfirmation.objects.create(version=version, user=user)
    except IntegrityError:
        return False
    return True


@service
def record_reminder(team, kind) -> bool:
    """Records that `kind` was sent to `team`; False if it already was (then do not send)."""
    from .models import DeadlineReminder

    try:
        with transaction.atomic():
            DeadlineReminder.objects.create(team=team, kind=kind)
    except IntegrityError:
        return False
    return True


@service
def copy_version_relations(versions):
    """Stores, in bulk, the relational copies of what each version's `data` lists (its
    datasets and technologies), which the gallery and the reuse statistics query.
    Idempotent; for versions made by `submit_project`, demo data and generated editions."""
    from django.db.models.functions import Lower

    from submissions.catalogue.models import Dataset

    from .models import Technology

    versions = [v for v in versions if v.pk]
    wanted = {e.get("id") for v in versions for e in (v.data or {}).get("datasets", [])}
    known = set(Dataset.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    technologies = dict(Technology.objects.values_list(Lower("name"), "pk"))
    datasets_through = SubmissionVersion.datasets.through
    technologies_through = SubmissionVersion.technologies.through
    datasets_through.objects.bulk_create(
        [
            datasets_through(submissionversion_id=v.pk, dataset_id=pk)
            for v in versions
            for pk in {e.get("id") for e in (v.data or {}).get("datasets", [])} & known
        ],
        ignore_conflicts=True,
    )
    technologies_through.objects.bulk_create(
        [
            technologies_through(submissionversion_id=v.pk, technology_id=technologies[name])
            for v in versions
            for name in {n.lower() for n in (v.data or {}).get("technologies", [])}
            if name in technologies
        ],
        ignore_conflicts=True,
    )


@dataclass(frozen=True)
class NewVersion:
    """One version to store: whose sheet, when, by whom. `number` defaults to the next one;
    `changes` replaces snapshot keys (the demo's earlier, rougher drafts), never adds any."""

    submission: Submission
    submitted_at: datetime.datetime
    submitted_by: object = None
    number: int | None = None
    changes: dict = field(default_factory=dict)


@service
def store_versions(new_versions) -> list[SubmissionVersion]:
    """The one writer of submitted versions (submit, demo data, generated editions, benches).

    Each `data` comes from `build_snapshot`, so every reader (jury, gallery, showcase export)
    finds the same keys. Bulk: a fixed number of queries whatever the number of versions
    when the submissions come from `snapshot_queryset`. Stores their relational copies too.
    """
    new_versions = list(new_versions)
    ids = {n.submission.pk for n in new_versions}
    last = dict(
        SubmissionVersion.objects.filter(submission_id__in=ids)
        .values("submission_id")
        .annotate(n=Max("number"))
        .values_list("submission_id", "n")
    )
    rows = []
    for new in new_versions:
        data = build_snapshot(new.submission)
        unknown = set(new.changes) - set(data)
        if unknown:
            raise ValueError(f"not snapshot keys: {sorted(unknown)}")
        number = new.number
        if number is None:
            number = last.get(new.submission.pk, 0) + 1
            last[new.submission.pk] = number
        rows.append(
            SubmissionVersion(
                submission=new.submission,
                number=number,
                data={**data, **new.changes},
                submitted_by=new.submitted_by,
                submitted_at=new.submitted_at,
            )
        )
    versions = SubmissionVersion.objects.bulk_create(rows)
    copy_version_relations(versions)
    return versions
