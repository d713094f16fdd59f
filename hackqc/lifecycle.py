"""An edition's life: a draft, published, archived; the edition the home page features;
deleting an edition nobody has joined.

- A draft is seen by its organizers only (`hackqc.visibility`); nobody registers in it
  (`hackqc.phases.is_live`). `create_edition` makes drafts.
- Publishing shows it to everyone at once (every cached page reads the `hackqc` area,
  renewed by each of these services). Unpublishing is refused once someone has registered
  or been invited to judge: their edition would vanish under them.
- Archiving makes it read-only (`hackqc.service`: every service writing to it is refused)
  and keeps it public. It is allowed once judging has ended and no publication of results
  is still to come: an archive has nothing left to happen. Unarchiving reopens it.
- One edition at most is featured on the home page (a partial unique constraint); when none
  is, the home page shows the published edition whose registration opened last.
- An edition is deleted only as a draft without registrations, teams or judges: unpublish
  it first. A published edition that people can see is never deleted under them.

Each service locks the edition's row, so two organizers acting at once (publish and delete,
two features) are served one after the other, and records an entry in the audit log.
"""

from django.apps import apps
from django.db.models import Exists, OuterRef, ProtectedError, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hackqc import audit, pagecache
from hackqc.exceptions import HackQCError
from hackqc.models import Edition
from hackqc.service import service

Status = Edition.Status

PUBLISHED = audit.action("edition.published", gettext_lazy("Published the edition"))
UNPUBLISHED = audit.action("edition.unpublished", gettext_lazy("Took the edition back to draft"))
ARCHIVED = audit.action("edition.archived", gettext_lazy("Archived the edition"))
UNARCHIVED = audit.action("edition.unarchived", gettext_lazy("Unarchived the edition"))
FEATURED = audit.action("edition.featured", gettext_lazy("Featured the edition on the home page"))
DELETED = audit.action("edition.deleted", gettext_lazy("Deleted the edition"))


class LifecycleError(HackQCError):
    """The edition's status does not allow this change now."""


def _locked(edition) -> Edition:
    """The edition's row, locked; its status copied onto `edition` for the caller."""
    stored = Edition.objects.select_for_update().filter(pk=edition.pk).first()
    if stored is None:
        raise LifecycleError(_("This edition no longer exists."))
    edition.status, edition.featured = stored.status, stored.featured
    return stored


def _expect(stored, status, message):
    if stored.status != status:
        raise LifecycleError(message)


def _set(edition, stored, **fields):
    Edition.objects.filter(pk=stored.pk).update(**fields)
    for name, value in fields.items():
        setattr(edition, name, value)


# Who has joined an edition: registered people (and their teams), judges and invited ones.
# Read by label: the core app imports none of the apps above it (docs/architecture.md).
PEOPLE = (
    ("teams", "Registration"),
    ("teams", "Team"),
    ("judging", "Judge"),
    ("judging", "JudgeInvitation"),
)


def has_people(edition) -> bool:
    """Whether anyone has registered for `edition`, or judges it or was invited to (one
    query)."""
    joined = Q()
    for app, model in PEOPLE:
        rows = apps.get_model(app, model).objects.filter(edition=OuterRef("pk"))
        joined |= Q(Exists(rows))
    return Edition.objects.filter(joined, pk=edition.pk).exists()


@service
def publish_edition(edition, *, by) -> Edition:
    """Shows a draft to everyone; the audit log records it."""
    stored = _locked(edition)
    _expect(stored, Status.DRAFT, _("Only a draft can be published."))
    _set(edition, stored, status=Status.PUBLISHED)
    audit.record(PUBLISHED, actor=by, edition=edition, target=edition)
    return edition


@service
def unpublish_edition(edition, *, by) -> Edition:
    """Takes a published edition back to draft while nobody has registered in it nor been
    invited to judge it; it stops being featured."""
    stored = _locked(edition)
    _expect(stored, Status.PUBLISHED, _("Only a published edition can go back to draft."))
    if has_people(edition):
        raise LifecycleError(
            _(
                "People have registered for this edition or been invited to judge it: it "
                "stays published. Archive it once it is over."
            )
        )
    _set(edition, stored, status=Status.DRAFT, featured=False)
    audit.record(UNPUBLISHED, actor=by, edition=edition, target=edition)
    return edition


def can_archive(edition, now=None) -> bool:
    """Judging has ended and no publication of results is still to come."""
    now = now or timezone.now()
    published = edition.results_published
    return now >= edition.judging_ends and (published is None or published <= now)


@service
def archive_edition(edition, *, by, now=None) -> Edition:
    """Makes a published edition read-only, still public, once it is over (`can_archive`)."""
    stored = _locked(edition)
    _expect(stored, Status.PUBLISHED, _("Only a published edition can be archived."))
    if not can_archive(stored, now):
        raise LifecycleError(
            _(
                "An edition is archived once judging has ended and its results are "
                "published: it still has steps to come."
            )
        )
    _set(edition, stored, status=Status.ARCHIVED)
    audit.record(ARCHIVED, actor=by, edition=edition, target=edition)
    return edition


@service(on_archived=True)
def unarchive_edition(edition, *, by) -> Edition:
    """Makes an archived edition writable again (published)."""
    stored = _locked(edition)
    _expect(stored, Status.ARCHIVED, _("This edition is not archived."))
    _set(edition, stored, status=Status.PUBLISHED)
    audit.record(UNARCHIVED, actor=by, edition=edition, target=edition)
    return edition


# Featuring an archive writes nothing of the archive's own content: allowed.
@service(on_archived=True)
def feature_edition(edition, *, by) -> Edition:
    """Features a published or archived edition on the home page, in place of the one
    featured before.

    Every edition's row is locked (in a fixed order): two organizers featuring two editions
    at once are served one after the other, and the second sees the first's choice, so
    exactly one edition ends up featured."""
    locked = {e.pk: e for e in Edition.objects.select_for_update().order_by("pk")}
    stored = locked.get(edition.pk)
    if stored is None:
        raise LifecycleError(_("This edition no longer exists."))
    if stored.status not in (Status.PUBLISHED, Status.ARCHIVED):
        raise LifecycleError(_("A draft cannot be featured: publish it first."))
    if stored.featured:
        edition.featured = True
        return edition
    previous = [e.pk for e in locked.values() if e.featured]
    Edition.objects.filter(pk__in=previous).update(featured=False)
    for pk in previous:  # update() sends no signal: their pages show they are featured
        pagecache.touch("hackqc", edition=pk)
    _set(edition, stored, featured=True)
    audit.record(FEATURED, actor=by, edition=edition, target=edition, previous=previous)
    return edition


@service
def delete_edition(edition, *, by) -> None:
    """Deletes a draft nobody has joined: no registration, team or judge. The audit entry
    keeps its name and slug (its link to the edition becomes empty)."""
    stored = _locked(edition)
    _expect(stored, Status.DRAFT, _("Only a draft can be deleted: take the edition back to draft."))
    if has_people(edition):
        raise LifecycleError(
            _("People have registered for this edition or judge it: it cannot be deleted.")
        )
    audit.record(DELETED, actor=by, edition=None, target=str(stored), slug=stored.slug)
    try:
        stored.delete()
    except ProtectedError:
        raise LifecycleError(
            _("Records of this edition (prizes, rounds) prevent its deletion.")
        ) from None
