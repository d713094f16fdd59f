"""The one mechanism that makes a write a service: `@service`.

A function decorated with `@service` runs in one database transaction (a savepoint when
another service calls it), writes one entry in the `hackqc.services` log once that
transaction has committed, and is registered, so a test can run every writing service
outside a test transaction on PostgreSQL and fail when a new one has no such test.

An archived edition is read-only: a service whose edition (its `edition=` argument, or its
main object's, found by following foreign keys) is archived is refused with
`EditionArchivedError` before it writes anything. The few that must still run on an archive
(a person's erasure, retention, mails, certificates, unarchiving) say so with
`@service(on_archived=True)`, and the services they call run under that permission.
Tasks are queued with `enqueue`, which only ever sends them after the commit: a worker
must never read a row the transaction may still roll back.
"""

import contextvars
import functools
import logging
import time
from collections.abc import Callable

from django.db import connection, transaction

from hackqc import pagecache
from hackqc.ownership import edition_of

logger = logging.getLogger("hackqc.services")

# Every decorated service by dotted name ("teams.services.teams.update_team").
REGISTRY: dict[str, Callable] = {}

# The keyword arguments that name who acts; the first present is logged (by id only: Law 25).
ACTOR_ARGUMENTS = ("by", "user")


# Set while a service that may write to an archived edition runs (and the ones it calls).
_archive_writes = contextvars.ContextVar("archive_writes", default=False)


def service(func: Callable | None = None, *, on_archived: bool = False) -> Callable:
    """Makes `func` an atomic, logged and registered writing service; refused on an
    archived edition unless `on_archived`."""
    if func is None:
        return functools.partial(service, on_archived=on_archived)
    name = f"{func.__module__}.{func.__qualname__}"

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        started = time.monotonic()
        with transaction.atomic():
            # The edition written to: refused when archived; its pages are computed again.
            owner = edition_of(kwargs.get("edition") or (args[0] if args else None))
            if not (on_archived or _archive_writes.get()):
                _refuse_archived(owner)
            allowed = _archive_writes.set(_archive_writes.get() or on_archived)
            try:
                result = func(*args, **kwargs)
            finally:
                _archive_writes.reset(allowed)
            # Pages showing this app's data are computed again (hackqc.pagecache): the
            # edition's own, or every edition's when the service names none.
            pagecache.touch_module(func.__module__, edition=owner and owner[0])
        # Outermost: committed now. Called by another service: its caller logs the commit.
        outermost = not connection.in_atomic_block
        logger.log(
            logging.INFO if outermost else logging.DEBUG,
            "%s actor=%s subject=%s committed=%s ms=%d",
            name,
            _actor(kwargs),
            _describe(args[0]) if args else "",
            outermost,
            (time.monotonic() - started) * 1000,
        )
        return result

    wrapper.service_name = name
    wrapper.on_archived = on_archived
    REGISTRY[name] = wrapper
    return wrapper


def check_not_archived(subject) -> None:
    """Raises `EditionArchivedError` when `subject` (an edition, or a row leading to one by
    foreign keys) belongs to an archived edition (at most one query: `edition_of`)."""
    _refuse_archived(edition_of(subject))


def _refuse_archived(owner) -> None:
    from hackqc.exceptions import EditionArchivedError
    from hackqc.models import Edition

    if owner is not None and owner[1] == Edition.Status.ARCHIVED:
        raise EditionArchivedError()


def _actor(kwargs):
    actor = next((kwargs[a] for a in ACTOR_ARGUMENTS if kwargs.get(a) is not None), None)
    return getattr(actor, "pk", None)


def _describe(obj) -> str:
    """The service's main object as `Model#pk`; never its text, which may be personal."""
    pk = getattr(obj, "pk", None)
    if pk is None:
        return type(obj).__name__
    return f"{type(obj).__name__}#{pk}"


def enqueue(task, **kwargs) -> None:
    """Sends `task.delay(**kwargs)` once the current transaction commits.

    Refuses outside a transaction: a task queued before the commit could run before it,
    or for a write that is then rolled back.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("enqueue() runs inside a @service (a transaction).")
    transaction.on_commit(functools.partial(send_task, task, **kwargs), robust=True)


def send_task(task, **kwargs) -> bool:
    """Hands `task` to the broker; False, logged, if the broker is down or frozen.

    The write has committed by then: a broker fault must not turn it into an error page.
    What the task would have done is caught up by the beat task that owns it (the outbox
    sweep for mails, the stale-run check for catalogue syncs); thumbnails are made on the
    next save, and pages show the originals meanwhile.
    """
    return hand_to_broker(task, kwargs=kwargs)


# After the broker refused, hand-overs fail at once for this long (per process) instead of
# each waiting for the socket timeout: a frozen Redis slows one request, not every write.
BROKER_RETRY_AFTER = 30
_broker = {"down_until": 0.0}


def hand_to_broker(task, *, kwargs, options=None, breaker=True) -> bool:
    """`task.apply_async(kwargs=kwargs, **options)`, never raising; False when not sent.

    `breaker=False` tries even if the broker refused recently (the outbox sweep, which runs
    on a worker: the broker answered it a moment ago)."""
    from kombu.exceptions import OperationalError

    name = getattr(task, "name", task)
    if breaker and time.monotonic() < _broker["down_until"]:
        logger.warning("broker down: %s %s not queued", name, kwargs)
        return False
    try:
        if options:
            task.apply_async(kwargs=kwargs, **options)
        else:
            task.delay(**kwargs)
    except (OperationalError, OSError):
        _broker["down_until"] = time.monotonic() + BROKER_RETRY_AFTER
        logger.warning("broker refused %s %s", name, kwargs, exc_info=True)
        return False
    except Exception:
        # Eager mode (no broker): the task itself failed; the write stands all the same.
        logger.exception("task %s %s failed after commit", name, kwargs)
        return False
    return True


def reset_broker_breaker():
    """Forgets that the broker refused (tests)."""
    _broker["down_until"] = 0.0


def all_services() -> dict[str, Callable]:
    """Every service of the project's apps, after importing each app's `services` module."""
    from django.apps import apps
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("services")
    return {
        name: func
        for name, func in REGISTRY.items()
        if apps.get_containing_app_config(func.__module__) is not None
    }
