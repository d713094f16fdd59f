"""A copy of everything the site holds about one person (Law 25: access and portability).

`build_export` reads every model declared in the registry; the format is documented in
docs/privacy.md. `request_export` records the request and queues the task that builds it
and mails the person a signed link, valid `PRIVACY_EXPORT_LINK_HOURS`.
"""

import datetime as dt

from django.conf import settings
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext as _

from hackqc.exceptions import HackQCError
from hackqc.service import enqueue, service

from . import registry
from .models import DataExport

FORMAT = "hackqc-personal-data"
SCHEMA = 1
SALT = "hackqc.privacy.export"


def build_export(user) -> dict:
    """Every personal field of every declared model, plus the records that name the person."""
    sections = []
    for entry in registry.personal_data():
        rows = []
        for obj in entry.rows(user).order_by("pk"):
            row = {"id": obj.pk}
            row.update({key: registry.attribute(obj, path) for key, path in entry.context.items()})
            row.update({name: registry.json_value(obj, name) for name in entry.fields})
            if entry.model == "hackqc.User":
                row["password"] = _("(stored as a one-way hash; never exported)")
            rows.append(row)
        sections.append(
            {
                "model": entry.model,
                "title": str(entry.title),
                "audience": str(entry.audience),
                "fields": list(entry.fields),
                "rows": rows,
            }
        )
    return {
        "format": FORMAT,
        "schema": SCHEMA,
        "generated_at": timezone.now().isoformat(),
        "site": settings.SITE_URL,
        "sections": sections,
        "mentions": _mentions(user),
    }


def _mentions(user) -> list[dict]:
    """Records of what the person did (a log entry, a decision): model, field and ids."""
    from django.apps import apps

    mentions = []
    for label, names in sorted(registry.reference_fields().items()):
        model = apps.get_model(label)
        for name in sorted(names):
            ids = list(
                model._default_manager.filter(**{name: user})
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            if ids:
                mentions.append({"model": label, "field": name, "ids": ids})
    return mentions


# Requests -------------------------------------------------------------------------------


def link_lifetime() -> dt.timedelta:
    return dt.timedelta(hours=settings.PRIVACY_EXPORT_LINK_HOURS)


@service
def request_export(user, *, by):
    """Records a request for a copy of `user`'s data and queues the task that builds and
    mails it. One request at a time: a pending one is returned as it is."""
    if by.pk != user.pk:
        raise HackQCError(_("Only the person can ask for a copy of their data."))
    pending = DataExport.objects.filter(user=user, state=DataExport.State.PENDING).first()
    if pending is not None:
        return pending
    now = timezone.now()
    export = DataExport.objects.create(user=user, requested_at=now, expires_at=now)
    from .tasks import task_build_export

    enqueue(task_build_export, export_id=export.pk)
    return export


@service
def build_and_mail_export(export_id):
    """Fills the export and promises the mail with its link (the outbox sends it once)."""
    from hackqc.outbox import queue_mail

    export = DataExport.objects.select_for_update().filter(pk=export_id).first()
    if export is None or export.state == DataExport.State.READY:
        return export
    user = export.user
    now = timezone.now()
    export.data = build_export(user)
    export.built_at = now
    export.expires_at = now + link_lifetime()
    export.state = DataExport.State.READY
    export.save(update_fields=["data", "built_at", "expires_at", "state"])
    queue_mail(
        "privacy/mail/export_ready",
        to=user,
        context={"token": export_token(export), "expires_at": export.expires_at},
        key=f"privacy.export:{export.pk}",
        language=user.preferred_language,
    )
    return export


def export_token(export) -> str:
    return signing.dumps({"export": export.pk, "user": export.user_id}, salt=SALT)


def export_for_token(token, user):
    """The ready, unexpired export the token names, if it is `user`'s; else None."""
    try:
        value = signing.loads(token, salt=SALT, max_age=link_lifetime())
    except (signing.BadSignature, ValueError):
        return None
    if not isinstance(value, dict) or value.get("user") != user.pk:
        return None
    return DataExport.objects.filter(
        pk=value.get("export"),
        user=user,
        state=DataExport.State.READY,
        expires_at__gt=timezone.now(),
    ).first()


@service
def delete_expired_exports(now=None):
    """Beat: the copies whose link expired are deleted (nobody can open them any more)."""
    now = now or timezone.now()
    expired = DataExport.objects.filter(state=DataExport.State.READY, expires_at__lte=now)
    return expired.delete()[0]
