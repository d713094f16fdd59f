from celery import shared_task
from django.utils import timezone

from .models import ResultSnapshot
from .services import due_snapshots, send_announcements


@shared_task(name="results.send_announcements")
def task_send_announcements(*, snapshot_id, job_id=None):
    """Mails the results of one published snapshot; a second run sends nothing new. With
    `job_id`, as that organizer job (its page shows the progress)."""
    if job_id is not None:
        from judging.jobs import run_job

        run_job(job_id)
        return
    snapshot = (
        ResultSnapshot.objects.filter(
            pk=snapshot_id,
            state=ResultSnapshot.State.PUBLISHED,
            published_at__lte=timezone.now(),
        )
        .select_related("edition")
        .first()
    )
    if snapshot is None:
        return
    send_announcements(snapshot)


@shared_task(name="results.publish_due_results")
def task_publish_due_results():
    """Every minute (beat): sends the announcements of results whose embargo has passed."""
    for snapshot_id in due_snapshots().values_list("pk", flat=True):
        task_send_announcements.delay(snapshot_id=snapshot_id)
