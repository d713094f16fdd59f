import logging

from celery import shared_task

from . import services
from .models import Portal, SyncRun

logger = logging.getLogger(__name__)


@shared_task(name="catalogue.sync_datasets")
def task_sync_datasets(*, portal=None, full=False, run_id=None):
    """Runs a queued sync (`run_id`), or the nightly one of `portal` (a name; default portal).

    A queued run that is no longer pending already ran (acks_late redelivery), and a nightly
    run meets one under way: nothing to do.
    """
    if run_id is not None:
        run = SyncRun.objects.select_related("portal").filter(pk=run_id).first()
        if run is None or run.status != SyncRun.Status.PENDING:
            return None
    else:
        target = (
            Portal.objects.filter(name=portal).first() if portal else services.get_default_portal()
        )
        if target is None or not target.is_enabled:
            return None
        try:
            run = services.create_sync_run(target, trigger=SyncRun.Trigger.SCHEDULE, full=full)
        except services.SyncAlreadyRunningError:
            return None
    run = services.run_sync(run)
    if run is None:
        return None
    if run.status == SyncRun.Status.FAILED:
        logger.warning("Catalogue sync %s of %s failed: %s", run.pk, run.portal.name, run.errors)
    return {"run": run.pk, "status": run.status}
