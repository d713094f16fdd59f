from celery import shared_task

from hackqc import services


@shared_task(name="hackqc.record_heartbeat")
def task_record_heartbeat(*, note=""):
    """Scheduled every minute by beat; the health page shows the last one."""
    services.record_heartbeat(hostname=task_record_heartbeat.request.hostname or "eager", note=note)


@shared_task(name="hackqc.send_mail")
def task_send_mail(*, mail_id):
    """Sends one outbox mail; a second run finds it sent (or locked) and does nothing."""
    from . import outbox

    outbox.deliver(mail_id)


@shared_task(name="hackqc.sweep_outbox")
def task_sweep_outbox():
    """Every minute (beat): hands over the mails that no task carries (see outbox.sweep)."""
    from . import outbox

    outbox.sweep()


@shared_task(name="hackqc.send_announcement")
def task_send_announcement(*, announcement_id):
    """Mails an announcement to its segment, once per person (see hackqc.announcements);
    a second run finds it sent and does nothing."""
    from . import announcements
    from .models import Announcement

    announcement = Announcement.objects.filter(pk=announcement_id).first()
    if announcement is not None:
        announcements.deliver_announcement(announcement)


@shared_task(name="hackqc.requeue_lapsed_announcements")
def task_requeue_lapsed_announcements():
    """Every few minutes (beat): queues again the announcements whose send lost its task
    (see announcements.requeue_lapsed_sends); a second run finds nothing lapsed."""
    from . import announcements

    announcements.requeue_lapsed_sends()
