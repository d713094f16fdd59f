from celery import shared_task

from hackqc import services
from hackqc.models import EditionOrganizer, User


@shared_task(name="hackqc.record_heartbeat")
def task_record_heartbeat(*, note=""):
    """Scheduled every minute by beat; the health page shows the last one."""
    services.record_heartbeat(hostname=task_record_heartbeat.request.hostname or "eager", note=note)


@shared_task(name="hackqc.mail_organizer_granted")
def task_mail_organizer_granted(*, role_id, granted_by_id):
    role = EditionOrganizer.objects.select_related("user", "edition").filter(pk=role_id).first()
    if role is None:
        return
    services.mail_organizer_granted(
        role, granted_by=User.objects.filter(pk=granted_by_id).first() or ""
    )
