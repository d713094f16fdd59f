"""The personal data of the core apps: the account, its e-mail addresses, organizer roles,
mails, consents and exports, and what the core's other models hold (nothing personal)."""

from django.utils.translation import gettext_lazy as _

from hackqc.models import OutgoingMail

from .registry import ERASE, KEEP, REPLACE, PersonalData, not_personal, references, register

ORGANIZERS = _("the organizers of the editions you take part in")
ONLY_YOU = _("you, and the site's administrators")

register(
    PersonalData(
        model="hackqc.User",
        owner="pk",
        title=_("Account"),
        audience=_(
            "Your e-mail address: you, the organizers of your editions and the site's "
            "administrators. Your display name: your teammates, judges and organizers; other "
            "participants and the public only if you consented to be shown."
        ),
        fields={
            "email": REPLACE,
            "display_name": REPLACE,
            "password": REPLACE,
            "preferred_language": KEEP,
            "last_login": ERASE,
            "date_joined": KEEP,
            "is_active": REPLACE,
            "is_staff": REPLACE,
            "is_superuser": REPLACE,
            "groups": ERASE,
            "user_permissions": ERASE,
        },
        kept_because=_("the date the account was opened and its language identify nobody"),
    )
)
register(
    PersonalData(
        model="account.EmailAddress",
        owner="user",
        title=_("E-mail addresses"),
        audience=ONLY_YOU,
        fields={"email": REPLACE, "verified": KEEP, "primary": KEEP},
    )
)
register(
    PersonalData(
        model="hackqc.EditionOrganizer",
        owner="user",
        title=_("Organizer roles"),
        audience=_("the other organizers of the edition and the site's administrators"),
        context={"edition": "edition.name"},
        fields={"granted_at": KEEP},
        edition="edition",
    )
)


def _retire_mails(edition):
    """An anonymised edition's mails are of no use to anyone: they go."""
    OutgoingMail.objects.filter(edition=edition).exclude(state=OutgoingMail.State.PENDING).delete()


register(
    PersonalData(
        model="hackqc.OutgoingMail",
        owner="user",
        title=_("Mails sent to you"),
        audience=_("the organizers of the edition the mail is about (failed mails only)"),
        context={"edition": "edition.name"},
        fields={
            "address": REPLACE,
            "template": KEEP,
            "context": ERASE,
            "language": KEEP,
            "state": KEEP,
            "created_at": KEEP,
            "sent_at": KEEP,
            "last_error": ERASE,
            "reply_to": ERASE,
        },
        edition="edition",
        retire=_retire_mails,
    )
)
register(
    PersonalData(
        model="privacy.ConsentChange",
        owner="user",
        title=_("Consents"),
        audience=ORGANIZERS,
        context={"edition": "edition.name"},
        fields={"consent": KEEP, "given": KEEP, "version": KEEP, "at": KEEP},
        edition="edition",
    )
)
register(
    PersonalData(
        model="privacy.DataExport",
        owner="user",
        title=_("Copies of your data requested"),
        audience=ONLY_YOU,
        fields={"requested_at": KEEP, "state": KEEP, "expires_at": KEEP, "built_at": KEEP},
    )
)

references("admin.LogEntry", "user")
references("hackqc.AuditEntry", "actor")
# The audit log names people by id only (a person target is resolved when shown, so an
# erased account shows its neutral name); its details hold ids and facts (hackqc.audit).
not_personal("hackqc.AuditEntry", "action", "target_type", "target_id", "target_label", "details")
references("hackqc.EditionPage", "created_by")
references("hackqc.Announcement", "author")
references("privacy.ConsentChange", "by")
references("privacy.ErasedAccount", "user")

not_personal(
    "admin.LogEntry", "object_id", "object_repr", "change_message", "content_type"
)  # about objects the administrators changed; an erased account's entries are renamed
not_personal("account.EmailConfirmation", "key", "email_address")
not_personal("hackqc.Edition", "slug", "name", "theme", "description")
not_personal("hackqc.Edition", "status")
not_personal("hackqc.HostSite", "name", "city", "address")
not_personal("hackqc.Challenge", "title", "description", "partner")
not_personal("hackqc.AgendaItem", "kind", "title", "location", "description")
# Written by organizers to many people: the edition's news, not about one person.
not_personal(
    "hackqc.Announcement", "segment", "status", "subject_fr", "body_fr", "subject_en", "body_en"
)
not_personal("hackqc.WorkerHeartbeat", "hostname", "note")
not_personal("hackqc.OutgoingMail", "key", "queue", "edition", "user")
not_personal("hackqc.OutgoingMail", "attempts", "next_attempt_at", "retry_until", "queued_at")
not_personal("hackqc.EditionPage", "kind", "body")
not_personal("privacy.ConsentChange", "user", "edition")
not_personal("privacy.DataExport", "user", "data")  # `data` is the copy itself
not_personal("privacy.ErasedAccount", "reason")
not_personal("account.EmailAddress", "user")
not_personal("hackqc.EditionOrganizer", "user", "edition")
not_personal("hackqc.User", "id")
