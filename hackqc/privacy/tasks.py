from celery import shared_task


@shared_task(name="privacy.build_export")
def task_build_export(*, export_id):
    """Builds a person's copy of their data and mails them the link (once)."""
    from .exporting import build_and_mail_export

    build_and_mail_export(export_id)


@shared_task(name="privacy.delete_expired_exports")
def task_delete_expired_exports():
    """Hourly (beat): copies whose link expired are deleted."""
    from .exporting import delete_expired_exports

    delete_expired_exports()


@shared_task(name="privacy.anonymise_old_editions")
def task_anonymise_old_editions():
    """Nightly (beat): editions past the retention period are anonymised."""
    from .retention import anonymise_old_editions

    anonymise_old_editions()
