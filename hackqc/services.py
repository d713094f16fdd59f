"""Every write to editions, challenges and organizer roles."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hackqc.service import service

from . import audit, pages
from .exceptions import HackQCError

# The edition's life (draft, published, archived, featured, deleted), in its own module.
from .lifecycle import (  # noqa: F401 (re-exported: every service of the app is here)
    archive_edition,
    delete_edition,
    feature_edition,
    publish_edition,
    unarchive_edition,
    unpublish_edition,
)
from .models import Announcement, Challenge, Edition, EditionOrganizer, EditionPage, HostSite
from .roles import Role, check_role_free

EDITION_CREATED = audit.action("edition.created", gettext_lazy("Created the edition"))
EDITION_CHANGED = audit.action("edition.changed", gettext_lazy("Changed the edition"))
ORGANIZER_GRANTED = audit.action("edition.organizer_granted", gettext_lazy("Made an organizer"))
ORGANIZER_REVOKED = audit.action("edition.organizer_revoked", gettext_lazy("Removed an organizer"))
MAIL_RESENT = audit.action("mail.resent", gettext_lazy("Sent a failed mail again"))


@service
def create_edition(*, by, **fields) -> Edition:
    """Creates an edition, as a draft its organizers alone see until they publish it
    (`hackqc.lifecycle`); its creator becomes its organizer."""
    edition = Edition(**{**fields, "status": Edition.Status.DRAFT})
    edition.full_clean()
    edition.save()
    EditionOrganizer.objects.get_or_create(edition=edition, user=by)
    audit.record(EDITION_CREATED, actor=by, edition=edition, target=edition)
    return edition


@service
def update_edition(edition, *, by, **fields) -> Edition:
    """Saves the edition. The submission deadline decides which version the jury judges
    (the last one submitted by then), so it never moves across the present: a passed
    deadline stays where it is, and a future one cannot move into the past. Raises
    ValidationError, by field, for the form."""
    # The stored deadline, not the instance's: a model form has already set the new one.
    stored = Edition.objects.select_for_update().get(pk=edition.pk)
    closed = stored.submissions_close
    wanted = fields.get("submissions_close", closed)
    if _to_the_minute(wanted) == _to_the_minute(closed):
        # The form shows minutes: the seconds it dropped are not a move.
        wanted = fields["submissions_close"] = closed
    now = timezone.now()
    if wanted != closed and closed <= now:
        raise ValidationError(
            {"submissions_close": _("Submissions have closed: the deadline can no longer move.")}
        )
    if wanted != closed and wanted < now:
        raise ValidationError(
            {
                "submissions_close": _(
                    "The deadline cannot move into the past: it would change which versions "
                    "the jury judges. Choose a moment to come."
                )
            }
        )
    changes = _changes(stored, fields)
    for name, value in fields.items():
        setattr(edition, name, value)
    edition.full_clean()
    edition.save()
    if changes:
        audit.record(EDITION_CHANGED, actor=by, edition=edition, target=edition, **changes)
    return edition


def _changes(stored, fields) -> dict:
    """What the log keeps of an edition's change: dates and numbers old → new, and only the
    names of changed texts (their full text is on the page)."""
    changes = {}
    for name, value in fields.items():
        before = getattr(stored, name)
        if before == value:
            continue
        if isinstance(value, str) and len(value) > 60:
            changes[name] = "…"
        else:
            changes[name] = f"{before} → {value}"
    return changes


def _to_the_minute(moment):
    return moment.replace(second=0, microsecond=0) if moment else moment


@service
def save_challenge(challenge: Challenge, *, by) -> Challenge:
    challenge.full_clean()
    challenge.save()
    return challenge


@service
def delete_challenge(challenge: Challenge, *, by) -> None:
    """Deletes a challenge no team, project or prize has chosen."""
    try:
        with transaction.atomic():
            challenge.delete()
    except ProtectedError:
        raise HackQCError(
            _("Teams, projects or prizes use this challenge: it cannot be deleted.")
        ) from None


@service
def save_host_site(site: HostSite, *, by) -> HostSite:
    site.full_clean()
    site.save()
    return site


@service
def delete_host_site(site: HostSite, *, by) -> None:
    """Deletes a host site no person, team, prize, agenda item or announcement has chosen;
    a refusal because of announcements names them (they cannot be deleted, and a sent one
    keeps the site it went to)."""
    try:
        with transaction.atomic():
            site.delete()
    except ProtectedError as exc:
        subjects = sorted(str(o) for o in exc.protected_objects if isinstance(o, Announcement))
        if subjects:
            raise HackQCError(
                _(
                    "Announcements are addressed to this host site, so it cannot be deleted: "
                    "%(announcements)s."
                )
                % {"announcements": "; ".join(subjects)}
            ) from None
        raise HackQCError(
            _("People, teams, prizes or agenda items use this host site: it cannot be deleted.")
        ) from None


@service
def grant_organizer(edition, *, user, by) -> EditionOrganizer:
    """Gives `user` the organizer role; promises them a mail (outbox) if it is new.

    Raises RoleConflictError if `user` competes in or judges the edition."""
    check_role_free(edition, user, Role.ORGANIZER)
    role, created = EditionOrganizer.objects.get_or_create(edition=edition, user=user)
    if created:
        _mail_organizer_granted(role, granted_by=by)
        audit.record(ORGANIZER_GRANTED, actor=by, edition=edition, target=user)
    return role


def _mail_organizer_granted(role, *, granted_by):
    from django.urls import reverse
    from django.utils import translation

    from .outbox import queue_mail

    with translation.override(role.user.preferred_language):
        dashboard_url = reverse("organize:dashboard", kwargs={"slug": role.edition.slug})
    queue_mail(
        "hackqc/mail/organizer_granted",
        to=role.user,
        key=f"hackqc.organizer_granted:{role.pk}",
        context={
            "edition": role.edition,
            "granted_by": str(granted_by or ""),
            "dashboard_url": dashboard_url,
        },
    )


# Mails of an archive (results, certificates) may still need resending.
@service(on_archived=True)
def resend_failed_mail(mail, *, by):
    """An organizer sends again a mail of their edition that failed (or is failing now);
    a mail already sent is left alone. The send task is queued after the commit."""
    from .outbox import resend_mail

    audit.record(MAIL_RESENT, actor=by, edition=mail.edition, target=mail.template)
    return resend_mail(mail, by=by)


@service
def revoke_organizer(edition, *, user, by) -> None:
    deleted, _rows = EditionOrganizer.objects.filter(edition=edition, user=user).delete()
    if deleted:
        audit.record(ORGANIZER_REVOKED, actor=by, edition=edition, target=user)


@service
def record_heartbeat(*, hostname, note=""):
    """Upserts the worker's heartbeat row (one per worker host)."""
    from django.utils import timezone

    from .models import WorkerHeartbeat

    WorkerHeartbeat.objects.update_or_create(
        hostname=hostname[:200], defaults={"beat_at": timezone.now(), "note": note[:200]}
    )


@service
def update_profile(user, *, display_name, preferred_language):
    """The name shown on the site and the language of the mails the person receives."""
    user.display_name = display_name
    user.preferred_language = preferred_language
    user.full_clean(validate_unique=False)
    user.save(update_fields=["display_name", "preferred_language"])
    return user


@service
def publish_page(edition, *, kind, body, by) -> EditionPage:
    """Publishes a new version of the edition's rules or code of conduct. The edition row is
    locked so two organizers saving at once get versions N and N+1. A text identical to the
    current version publishes nothing and returns that version."""
    body = body.replace("\r\n", "\n").strip()
    if not body:
        raise HackQCError(_("Write the text of the page."), field="body")
    Edition.objects.select_for_update().filter(pk=edition.pk).first()
    current = pages.current_page(edition, kind)
    if current is not None and current.body == body:
        return current
    return EditionPage.objects.create(
        edition=edition,
        kind=kind,
        version=(current.version + 1) if current else 1,
        body=body,
        created_by=by,
    )
