"""Retention (Law 25): once an edition is `PRIVACY_RETENTION_YEARS` past its judging, the
personal data of its registrations, juries and invitations is anonymised; projects, team
names, scores and results stay. Accounts whose every role was in such editions, and that
nobody used since, are erased like a closed account.

`manage.py anonymise_old_editions [--dry-run]` and the nightly beat task run it.
"""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from hackqc.models import Edition
from hackqc.service import service

from . import registry
from .erasure import ERASED_DOMAIN, empty_fields, erase_account
from .models import ErasedAccount, RetiredEdition


def cutoff(now=None) -> dt.datetime:
    now = now or timezone.now()
    try:
        return now.replace(year=now.year - settings.PRIVACY_RETENTION_YEARS)
    except ValueError:  # 29 February
        return now.replace(year=now.year - settings.PRIVACY_RETENTION_YEARS, day=28)


def editions_due(now=None):
    """Editions judged before the cutoff and not yet anonymised."""
    return Edition.objects.filter(judging_ends__lt=cutoff(now), retirement__isnull=True).order_by(
        "judging_ends", "pk"
    )


def accounts_due(now=None):
    """Accounts with no role in an edition still kept, unused since the cutoff; staff and
    accounts already erased are left alone."""
    limit = cutoff(now)
    kept = Edition.objects.filter(retirement__isnull=True).exclude(
        pk__in=editions_due(now).values("pk")
    )
    User = get_user_model()
    active_roles = (
        Q(registrations__edition__in=kept)
        | Q(judge_roles__edition__in=kept)
        | Q(organizer_roles__edition__in=kept)
    )
    return (
        User.objects.filter(is_staff=False, is_superuser=False, date_joined__lt=limit)
        .exclude(email__endswith="@" + ERASED_DOMAIN)
        .exclude(Q(last_login__gte=limit))
        .exclude(pk__in=User.objects.filter(active_roles).values("pk"))
        .order_by("pk")
    )


def rows_of(entry, edition):
    return entry.model_class._default_manager.filter(**{entry.edition: edition})


# Retention anonymises archived editions too (Law 25).
@service(on_archived=True)
def anonymise_edition(edition):
    """Empties the ERASE fields of every declared model's rows of `edition` and lets each
    app neutralise its REPLACE fields; records the edition as anonymised."""
    for entry in registry.personal_data():
        if entry.edition is None:
            continue
        if entry.retire is not None:
            entry.retire(edition)
        empty_fields(entry, rows_of(entry, edition))
    return RetiredEdition.objects.create(edition=edition)


def anonymise_old_editions(*, now=None, dry_run=False) -> list[str]:
    """Anonymises what retention asks; returns one line per action (what it would do, with
    `dry_run`)."""
    lines = []
    for edition in editions_due(now):
        counts = [
            f"{entry.model}: {rows_of(entry, edition).count()}"
            for entry in registry.personal_data()
            if entry.edition is not None
        ]
        judged = f"{edition.judging_ends:%Y-%m-%d}"
        lines.append(f"edition {edition.slug} (judged {judged}): " + ", ".join(counts))
        if not dry_run:
            anonymise_edition(edition)
    accounts = list(accounts_due(now).values_list("pk", flat=True))
    if accounts:
        lines.append(f"accounts erased: {len(accounts)} ({', '.join(map(str, accounts[:50]))})")
    if not dry_run:
        for user in get_user_model().objects.filter(pk__in=accounts):
            erase_account(user, by=None, reason=ErasedAccount.Reason.RETENTION)
    return lines
