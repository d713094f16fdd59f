"""Every write to the catalogue: portals, sync runs and the bulk upsert of a synced catalogue."""

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.db.models.lookups import LessThan
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from hackqc import audit
from hackqc.exceptions import HackQCError
from hackqc.service import enqueue, service

from . import upsert
from .addresses import check_portal_url
from .ckan import CatalogueSourceError, FileSource, parse_packages
from .models import Dataset, Portal, SyncRun
from .portal_api import MAX_WITHDRAWAL_CHECKS, PortalSource
from .upsert import refresh_search_vectors

__all__ = ["refresh_search_vectors"]  # for the factories and the demo data

DEFAULT_PORTAL = "donnees-quebec"
# A run left "running" this long ago lost its worker; another may start.
# A queued run no worker started within STALE_PENDING (the broker was down at commit, or
# the task was lost), or a running one with no progress for STALE_RUN (its worker died),
# is abandoned: the next sync of its portal may start within minutes, not hours.
STALE_PENDING = dt.timedelta(minutes=5)
STALE_RUN = dt.timedelta(minutes=10)
ACTIVE_RUN = [SyncRun.Status.PENDING, SyncRun.Status.RUNNING]


class SyncAlreadyRunningError(HackQCError):
    """A sync of this portal is already queued or running."""


class PortalChoiceError(HackQCError):
    """A file of recorded replies names no portal, several, or another than the one given."""


class PortalDisabledError(HackQCError):
    """A disabled portal is not synced."""


class StaffOnlyError(HackQCError):
    """Portals are shared by every edition: only staff add, change or disable them."""


PORTAL_CREATED = audit.action("catalogue.portal_created", gettext_lazy("Added a CKAN portal"))
PORTAL_UPDATED = audit.action("catalogue.portal_updated", gettext_lazy("Changed a CKAN portal"))
PORTAL_ENABLED = audit.action("catalogue.portal_enabled", gettext_lazy("Enabled a CKAN portal"))
PORTAL_DISABLED = audit.action("catalogue.portal_disabled", gettext_lazy("Disabled a CKAN portal"))
SYNC_REQUESTED = audit.action(
    "catalogue.sync_requested", gettext_lazy("Started a sync of a CKAN portal")
)
# What staff edit on a portal; `is_synthetic` belongs to the generated editions.
PORTAL_FIELDS = ("name", "title", "api_url", "dataset_url_pattern")


@service
def get_default_portal():
    """The Données Québec portal, created if a database was emptied by hand."""
    portal, _created = Portal.objects.get_or_create(
        name=DEFAULT_PORTAL,
        defaults={
            "title": "Données Québec",
            "api_url": settings.CKAN_DEFAULT_PORTAL_URL,
            "dataset_url_pattern": "https://www.donneesquebec.ca/recherche/dataset/{name}",
        },
    )
    return portal


@service
def create_sync_run(portal, *, trigger, full=False, source="", by=None):
    """A pending run of `portal`, for a command or a task that runs it right away.

    Raises `SyncAlreadyRunningError` while another run of the portal is queued or running:
    the database holds the rule (one active run per portal, a partial unique index), so two
    commands, tasks or clicks at the same moment get one run. Runs abandoned by a dead worker
    are marked failed first.
    """
    _abandon_stale_runs(portal)
    try:
        with transaction.atomic():
            return SyncRun.objects.create(
                portal=portal, trigger=trigger, full=full, source=str(source)[:500], started_by=by
            )
    except IntegrityError:
        raise SyncAlreadyRunningError(_("A sync of this portal is already under way.")) from None


def _abandon_stale_runs(portal):
    """Marks failed the runs of `portal` left queued or silent (see STALE_PENDING)."""
    now = timezone.now()
    return portal.sync_runs.filter(_stale(now)).update(
        status=SyncRun.Status.FAILED,
        finished_at=now,
        errors=[{"error": _("Abandoned: its worker stopped before finishing it.")}],
    )


def sync_under_way(portal):
    """Whether a run of `portal` is queued or running (and not abandoned by a dead worker)."""
    return portal.sync_runs.filter(status__in=ACTIVE_RUN).exclude(_stale(timezone.now())).exists()


def _stale(now):
    last_sign = Coalesce("heartbeat_at", "started_at", "created_at")
    return Q(status=SyncRun.Status.PENDING, created_at__lt=now - STALE_PENDING) | Q(
        LessThan(last_sign, now - STALE_RUN), status=SyncRun.Status.RUNNING
    )


@service
def request_sync(portal, *, by, full=False):
    """Queues a sync of `portal` started from the site; the task runs after commit.

    Raises `SyncAlreadyRunningError` while another run of the portal is queued or running,
    `PortalDisabledError` for a disabled portal. Records the request in the audit log.
    """
    if not Portal.objects.filter(pk=portal.pk, is_enabled=True).exists():
        raise PortalDisabledError(_("This portal is disabled: enable it before syncing it."))
    run = create_sync_run(portal, trigger=SyncRun.Trigger.SITE, full=full, by=by)
    audit.record(SYNC_REQUESTED, actor=by, target=portal, run=run.pk, full=full)
    from .tasks import task_sync_datasets

    enqueue(task_sync_datasets, run_id=run.pk)
    return run


def _check_staff(by):
    if not (by and by.is_authenticated and by.is_active and by.is_staff):
        raise StaffOnlyError(_("Only staff manage the catalogue's portals."))


def _check_portal_fields(fields):
    check_portal_url(fields["api_url"], field="api_url")
    pattern = fields["dataset_url_pattern"]
    if "{name}" not in pattern:
        raise HackQCError(
            _("The pattern must hold {name}, where the dataset's name goes."),
            field="dataset_url_pattern",
        )
    # Shown as a link on every dataset page: an http(s) address, never javascript: or data:.
    check_portal_url(pattern.replace("{name}", "x"), field="dataset_url_pattern")


@service
def create_portal(*, by, name, title, api_url, dataset_url_pattern):
    """Adds a CKAN portal (staff only; addresses checked against SSRF); audit-logged."""
    _check_staff(by)
    fields = {
        "name": name,
        "title": title,
        "api_url": api_url,
        "dataset_url_pattern": dataset_url_pattern,
    }
    _check_portal_fields(fields)
    if Portal.objects.filter(name=name).exists():
        raise HackQCError(_("Another portal has this name."), field="name")
    portal = Portal.objects.create(**fields)
    audit.record(PORTAL_CREATED, actor=by, target=portal, api_url=api_url)
    return portal


@service
def update_portal(portal, *, by, **fields):
    """Changes `portal`'s name, title or addresses (staff only; SSRF-checked); audit-logged
    with the names of the fields changed and the new API URL."""
    _check_staff(by)
    portal = Portal.objects.select_for_update().get(pk=portal.pk)
    unknown = set(fields) - set(PORTAL_FIELDS)
    if unknown:
        raise TypeError(f"update_portal: unknown fields {sorted(unknown)}")
    new = {f: fields.get(f, getattr(portal, f)) for f in PORTAL_FIELDS}
    _check_portal_fields(new)
    if Portal.objects.filter(name=new["name"]).exclude(pk=portal.pk).exists():
        raise HackQCError(_("Another portal has this name."), field="name")
    changed = sorted(f for f in PORTAL_FIELDS if new[f] != getattr(portal, f))
    if not changed:
        return portal
    for field in changed:
        setattr(portal, field, new[field])
    portal.save(update_fields=changed)
    audit.record(PORTAL_UPDATED, actor=by, target=portal, fields=changed, api_url=portal.api_url)
    return portal


@service
def set_portal_enabled(portal, *, by, enabled):
    """Enables or disables `portal` (staff only): a disabled one is not synced, nightly or
    on request, and keeps its datasets. Audit-logged when it changes."""
    _check_staff(by)
    updated = (
        Portal.objects.filter(pk=portal.pk).exclude(is_enabled=enabled).update(is_enabled=enabled)
    )
    portal.is_enabled = enabled
    if updated:
        audit.record(PORTAL_ENABLED if enabled else PORTAL_DISABLED, actor=by, target=portal)
    return portal


def previous_sync(portal, api_url):
    """The last successful sync from `api_url`, which makes the next one incremental."""
    return (
        portal.sync_runs.filter(status=SyncRun.Status.SUCCEEDED, source=PortalSource(api_url))
        .order_by("-started_at")
        .first()
    )


def portal_source(run, *, api_url=None):
    """Where `run` reads: the portal's API, incremental unless full or first."""
    api_url = api_url or run.portal.api_url
    previous = None if run.full else previous_sync(run.portal, api_url)
    if previous is None and not run.full:
        SyncRun.objects.filter(pk=run.pk).update(full=True)
        run.full = True
    return PortalSource(api_url, since=previous.started_at if previous else None)


def run_sync(run, *, source=None):
    """Fetches the whole catalogue first, then writes it in one transaction.

    Records progress and the result on `run` (its own small writes, outside the catalogue's
    transaction). A source failure marks the run failed and leaves the catalogue as it was.
    Returns the run, refreshed; None when `run` was no longer pending (another worker took
    it: the claim is one conditional update).
    """
    source = source or portal_source(run)
    started = timezone.now()
    claimed = SyncRun.objects.filter(pk=run.pk, status=SyncRun.Status.PENDING).update(
        status=SyncRun.Status.RUNNING, started_at=started, source=str(source)[:500]
    )
    if not claimed:  # another worker got it first (a task delivered twice)
        return None
    try:
        packages, skipped = _fetch(run, source)
        kept, warnings = _malformed_datasets(run.portal, skipped), []
        full = run.full
        if full and run.fetched < (run.total or 0):
            full = False
            warnings.append(
                {"error": _("The portal sent fewer packages than it announced: none withdrawn.")}
            )
        if full:
            rescued, unsure, held_back = _confirm_withdrawals(
                run.portal, source, packages, kept, skipped
            )
            packages, kept, warnings = packages + rescued, kept + unsure, warnings + held_back
        counts = apply_catalogue(run.portal, packages, full=full, synced_at=started, also_seen=kept)
    except CatalogueSourceError as exc:
        _finish(run, status=SyncRun.Status.FAILED, errors=[{"error": str(exc)}])
    except Exception:
        _finish(run, status=SyncRun.Status.FAILED, errors=[{"error": _("Unexpected error.")}])
        raise
    else:
        errors = [s.as_dict() for s in skipped] + warnings + counts.pop("warnings")
        counts["skipped"] += len(skipped)
        _finish(run, status=SyncRun.Status.SUCCEEDED, errors=errors, **counts)
    run.refresh_from_db()
    return run


def _fetch(run, source):
    packages, skipped, fetched, total = [], [], 0, 0
    for raws, total in source.pages():
        valid, invalid = parse_packages(raws, offset=fetched)
        packages.extend(valid)
        skipped.extend(invalid)
        fetched += len(raws)
        SyncRun.objects.filter(pk=run.pk).update(
            fetched=fetched, total=total, heartbeat_at=timezone.now()
        )
    run.fetched, run.total = fetched, total
    return packages, skipped


def _finish(run, *, status, errors, **counts):
    SyncRun.objects.filter(pk=run.pk).update(
        status=status, finished_at=timezone.now(), errors=errors, **counts
    )


def _malformed_datasets(portal, skipped):
    """Ids of the stored datasets whose package the portal still lists, malformed: found by
    the package's id, else by its name. They are never withdrawn."""
    ids = [s.ckan_id for s in skipped if s.listed and s.ckan_id]
    names = [s.name for s in skipped if s.listed and not s.ckan_id and s.name]
    if names:
        ids += portal.datasets.filter(name__in=names).values_list("ckan_id", flat=True)
    return ids


def _confirm_withdrawals(portal, source, packages, kept, skipped):
    """Before a full sync withdraws the active datasets its pages missed, asks the portal
    about each (`package_show`): one it still shows is read from that reply instead, and
    one it could not tell about stays as it was. A file cannot be asked: its listing is
    whole, unless it holds a malformed package that nothing identifies.

    Returns the packages to add, the ids to keep and the warnings.
    """
    listed = {p.ckan_id for p in packages} | set(kept)
    active = portal.datasets.filter(state=Dataset.State.ACTIVE).values_list("ckan_id", flat=True)
    missing = [ckan_id for ckan_id in active.iterator() if ckan_id not in listed]
    if not missing:
        return [], [], []
    if not source.checks_withdrawals:
        if any(s.listed and not s.identified for s in skipped):
            warning = _("A malformed package could not be identified: none withdrawn.")
            return [], missing, [{"error": warning}]
        return [], [], []
    shown, unsure = source.still_listed(missing[:MAX_WITHDRAWAL_CHECKS])
    unsure += missing[MAX_WITHDRAWAL_CHECKS:]
    rescued = []
    for ckan_id, raw in shown.items():
        valid, _invalid = parse_packages([raw])
        if valid and valid[0].ckan_id == ckan_id:
            rescued.append(valid[0])
        else:
            unsure.append(ckan_id)
    warnings = []
    if unsure:
        message = ngettext(
            "%(count)s dataset missing from the portal's pages could not be checked: kept.",
            "%(count)s datasets missing from the portal's pages could not be checked: kept.",
            len(unsure),
        )
        warnings.append({"error": message % {"count": len(unsure)}})
    return rescued, unsure, warnings


@service
def apply_catalogue(portal, packages, *, full, synced_at, also_seen=()):
    """Upserts `packages` into `portal`'s catalogue in bulk and one transaction.

    With `full`, active datasets the packages no longer list are marked withdrawn (never
    deleted: submissions point at them); `also_seen` ids (malformed packages still listed) are
    not withdrawn. A package whose id is another portal's dataset is left out and reported:
    a dataset never moves between portals, and nothing is withdrawn from a listing that
    mixes portals. Returns the counts created, updated, withdrawn, skipped (left out) and
    the warnings (duplicates, other portals' packages, withdrawals held back).
    """
    packages, warnings = upsert.dedupe(packages)
    with transaction.atomic():
        existing = upsert.existing_states(packages)
        packages, foreign = _own_packages(portal, packages, existing)
        warnings += foreign
        if foreign and full:
            full = False
            warnings.append({"error": _("Packages of another portal were listed: none withdrawn.")})
        if full and not packages and portal.datasets.filter(state=Dataset.State.ACTIVE).exists():
            raise CatalogueSourceError(
                _("The portal listed no dataset at all; the catalogue was left as it was.")
            )
        changed = [
            p
            for p in packages
            if p.ckan_id not in existing
            or existing[p.ckan_id] != (p.checksum, Dataset.State.ACTIVE, portal.pk)
        ]
        upsert.free_names(portal, changed)
        upsert.upsert_datasets(portal, changed, synced_at=synced_at)
        changed_ids = {p.ckan_id for p in changed}
        unchanged = [p.ckan_id for p in packages if p.ckan_id not in changed_ids]
        upsert.mark_seen(portal, unchanged + list(also_seen), synced_at)
        withdrawn = upsert.withdraw_missing(portal, synced_at) if full else 0
    created = sum(1 for p in changed if p.ckan_id not in existing)
    return {
        "created": created,
        "updated": len(changed) - created,
        "withdrawn": withdrawn,
        "skipped": len(foreign),
        "warnings": warnings,
    }


def _own_packages(portal, packages, existing):
    """The packages that are not another portal's datasets, and a warning for each that is."""
    others = {ckan_id: rest[2] for ckan_id, rest in existing.items() if rest[2] != portal.pk}
    if not others:
        return packages, []
    titles = dict(Portal.objects.filter(pk__in=set(others.values())).values_list("pk", "title"))
    warnings = [
        {
            "package": p.name,
            "reason": _("a dataset of the portal %(portal)s, left there")
            % {"portal": titles[others[p.ckan_id]]},
        }
        for p in packages
        if p.ckan_id in others
    ]
    return [p for p in packages if p.ckan_id not in others], warnings


def sync_from_file(portal, path, *, full=False, trigger=SyncRun.Trigger.COMMAND):
    """Syncs a portal from a file of recorded replies (see `ckan.FileSource`): `portal`, or
    the one the replies come from when `portal` is None (see `portal_for_file`)."""
    source = FileSource(path)
    portal = portal_for_file(source, portal=portal)
    run = create_sync_run(portal, trigger=trigger, full=full, source=source)
    return run_sync(run, source=source)


def _host(url):
    return urlsplit(url).netloc.lower()


def portal_for_file(source, *, portal=None):
    """The portal a file of recorded replies belongs to, from the replies' `help` links.

    With `portal`, checks that the replies (if they say) come from its host; without, finds
    the configured portal on their host, or creates one as `portal_for_url` does. Raises
    `PortalChoiceError` when the file says nothing and no portal is given, or names another
    host or several: syncing one portal's packages into another would move its datasets.
    """
    urls = source.api_urls()
    hosts = {_host(url) for url in urls}
    if len(hosts) > 1:
        raise PortalChoiceError(
            _("%(file)s holds replies from several portals (%(hosts)s): sync one portal at a time.")
            % {"file": source, "hosts": ", ".join(sorted(hosts))}
        )
    if portal is not None:
        if hosts and hosts != {_host(portal.api_url)}:
            raise PortalChoiceError(
                _("%(file)s was recorded from %(host)s, not from the portal %(portal)s (%(url)s).")
                % {
                    "file": source,
                    "host": hosts.pop(),
                    "portal": portal.name,
                    "url": portal.api_url,
                }
            )
        return portal
    if not urls:
        raise PortalChoiceError(
            _("%(file)s does not say which portal it comes from: name the portal (--portal).")
            % {"file": source}
        )
    (host,) = hosts
    same_host = [p for p in Portal.objects.order_by("pk") if _host(p.api_url) == host]
    if len(same_host) > 1:
        raise PortalChoiceError(
            _("Several portals read from %(host)s: name one (--portal).") % {"host": host}
        )
    return same_host[0] if same_host else portal_for_url(sorted(urls)[0])


@service
def portal_for_url(api_url):
    """The portal configured with `api_url`, or a new one named after its host."""
    api_url = PortalSource(api_url).api_url
    portal = Portal.objects.filter(api_url=api_url).first()
    if portal:
        return portal
    parts = urlsplit(api_url)
    site = api_url.split("/api/", 1)[0].rstrip("/")
    portal, _created = Portal.objects.get_or_create(
        name=slugify(parts.netloc)[:50] or "portal",
        defaults={
            "title": parts.netloc,
            "api_url": api_url,
            "dataset_url_pattern": site + "/dataset/{name}",
        },
    )
    return portal


def sync_portal(portal, *, full=False, api_url=None, trigger=SyncRun.Trigger.COMMAND, by=None):
    """Syncs `portal` from its Action API now (or from `api_url`), in this process."""
    run = create_sync_run(portal, trigger=trigger, full=full, by=by)
    return run_sync(run, source=portal_source(run, api_url=api_url))
