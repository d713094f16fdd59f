from celery import shared_task


@shared_task(name="judging.run_job")
def task_run_job(*, job_id):
    """Runs one organizer job (assignment, computing results); a second delivery finds it
    claimed and does nothing."""
    from .jobs import run_job

    run_job(job_id)
