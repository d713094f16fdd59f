"""Long organizer actions run as worker jobs with their progress shown (issue 18): one at a
time per scope, enforced by the database; a job delivered twice runs once; a failure is
shown on the job's page; in the embedded default (eager Celery) the page shows the outcome
right after the click."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from judging import jobs
from judging.models import OrganizerJob
from judging.results.models import Announcement, ResultSnapshot
from tests.factories.teams import MembershipFactory
from tests.results.test_views import client_for, publish

State = OrganizerJob.State


def _compute(client, slug, capture):
    with capture(execute=True):
        return client.post(reverse("results:compute", kwargs={"slug": slug}))


def test_compute_click_runs_the_job_and_the_page_shows_the_outcome(
    make_field, organizer, django_capture_on_commit_callbacks
):
    field = make_field([9, 7])
    field.prize(name="Grand prix")
    client = client_for(organizer)
    slug = field.round.edition.slug

    response = _compute(client, slug, django_capture_on_commit_callbacks)

    job = OrganizerJob.objects.get()
    snapshot = ResultSnapshot.objects.get()
    assert (job.kind, job.state, job.requested_by) == (
        OrganizerJob.Kind.COMPUTE_RESULTS,
        State.DONE,
        organizer,
    )
    assert job.result_url == reverse("results:snapshot", kwargs={"slug": slug, "pk": snapshot.pk})
    page = client.get(response["Location"]).content.decode()
    assert "The results are computed" in page
    assert f'href="{job.result_url}"' in page
    assert 'http-equiv="refresh"' not in page  # finished: the page stops reloading


def test_double_click_starts_one_job_and_both_clicks_follow_it(make_field, organizer):
    field = make_field([9])
    field.prize()
    client = client_for(organizer)
    url = reverse("results:compute", kwargs={"slug": field.round.edition.slug})

    # The test's transaction never commits, so the first job is still waiting for a worker.
    first = client.post(url)
    second = client.post(url, follow=True)

    job = OrganizerJob.objects.get()
    assert job.state == State.QUEUED
    assert first["Location"] == second.redirect_chain[-1][0] == job.get_absolute_url()
    page = second.content.decode()
    assert "already being computed" in page
    assert '<meta http-equiv="refresh" content="2">' in page  # a live job reloads its page
    assert not ResultSnapshot.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_starts_make_one_job(make_field, organizer, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's unique index under concurrency")
    field = make_field([9])
    field.prize()
    edition = field.round.edition
    monkeypatch.setattr(jobs, "enqueue", lambda *a, **kw: None)  # jobs stay queued
    barrier = threading.Barrier(4)
    outcomes = []

    def start():
        try:
            barrier.wait(timeout=10)
            jobs.start_job(OrganizerJob.Kind.COMPUTE_RESULTS, edition=edition, by=organizer)
            outcomes.append("started")
        except jobs.JobBusyError as error:
            outcomes.append(("busy", error.job.pk if error.job else None))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=start) for _i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    job = OrganizerJob.objects.get()
    assert outcomes.count("started") == 1
    assert sorted(o for o in outcomes if o != "started") == [("busy", job.pk)] * 3


def test_job_run_twice_runs_once(make_field, organizer, monkeypatch):
    field = make_field([9])
    field.prize()
    monkeypatch.setattr(jobs, "enqueue", lambda *a, **kw: None)
    job = jobs.start_job(
        OrganizerJob.Kind.COMPUTE_RESULTS, edition=field.round.edition, by=organizer
    )

    from judging.tasks import task_run_job

    task_run_job(job_id=job.pk)
    job.refresh_from_db()
    finished = job.finished_at
    task_run_job(job_id=job.pk)  # redelivered after it finished

    job.refresh_from_db()
    assert ResultSnapshot.objects.count() == 1
    assert (job.state, job.finished_at) == (State.DONE, finished)


def test_a_job_whose_worker_died_is_resumed_by_its_redelivery(make_field, organizer, settings):
    field = make_field([9])
    field.prize()
    edition = field.round.edition
    lost = timezone.now() - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 1)
    job = OrganizerJob.objects.create(
        edition=edition,
        kind=OrganizerJob.Kind.COMPUTE_RESULTS,
        scope=jobs.scope_of(OrganizerJob.Kind.COMPUTE_RESULTS, edition=edition),
        state=State.RUNNING,
        requested_by=organizer,
        heartbeat_at=lost,
    )
    running = OrganizerJob.objects.create(
        edition=field.round.edition,
        kind=OrganizerJob.Kind.ASSIGNMENT,
        round=field.round,
        scope=jobs.scope_of(OrganizerJob.Kind.ASSIGNMENT, edition=edition, round=field.round),
        state=State.RUNNING,
        heartbeat_at=timezone.now(),
    )

    assert jobs.run_job(running.pk) is None  # its worker is alive: not run a second time
    assert jobs.run_job(job.pk).state == State.DONE
    assert ResultSnapshot.objects.count() == 1


def test_a_start_fails_a_lost_job_instead_of_waiting_for_it(make_field, organizer, settings):
    field = make_field([9])
    field.prize()
    edition = field.round.edition
    lost = OrganizerJob.objects.create(
        edition=edition,
        kind=OrganizerJob.Kind.COMPUTE_RESULTS,
        scope=jobs.scope_of(OrganizerJob.Kind.COMPUTE_RESULTS, edition=edition),
        state=State.RUNNING,
        heartbeat_at=timezone.now() - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 1),
    )

    job = jobs.create_job(OrganizerJob.Kind.COMPUTE_RESULTS, edition=edition, by=organizer)

    lost.refresh_from_db()
    assert job is not None
    assert lost.state == State.FAILED
    assert "Interrupted" in lost.message


def test_a_refusal_is_shown_as_the_jobs_error(
    edition, organizer, django_capture_on_commit_callbacks
):
    client = client_for(organizer)  # no prize: computing is refused

    response = _compute(client, edition.slug, django_capture_on_commit_callbacks)

    job = OrganizerJob.objects.get()
    assert job.state == State.FAILED
    page = client.get(response["Location"]).content.decode()
    assert 'role="alert"' in page
    assert "The task failed." in page
    assert "Add at least one prize before computing the results." in page


def test_an_unexpected_error_fails_the_job_with_a_clear_message(
    make_field, organizer, monkeypatch, django_capture_on_commit_callbacks
):
    field = make_field([9])
    field.prize()

    def broken(job, progress):
        raise ZeroDivisionError

    from judging import job_runners  # noqa: F401  (registers the runners first)

    monkeypatch.setitem(jobs.RUNNERS, OrganizerJob.Kind.COMPUTE_RESULTS, broken)

    _compute(client_for(organizer), field.round.edition.slug, django_capture_on_commit_callbacks)

    job = OrganizerJob.objects.get()
    assert job.state == State.FAILED
    assert job.message.startswith("An unexpected error stopped this task")
    # The scope is free again: the organizer can start it anew.
    assert jobs.create_job(
        OrganizerJob.Kind.COMPUTE_RESULTS, edition=field.round.edition, by=organizer
    )


def test_publishing_now_shows_the_mails_progress(
    make_field, organizer, django_capture_on_commit_callbacks
):
    field = make_field([9, 7, 5])
    field.prize(name="Grand prix")
    for submission in field.submissions:
        MembershipFactory(team=submission.team)
    from judging.results import services

    snapshot = services.compute_results(field.round.edition, by=organizer)
    services.approve_results(snapshot, by=organizer)
    slug = field.round.edition.slug
    client = client_for(organizer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("results:publish", kwargs={"slug": slug, "pk": snapshot.pk}), {"at": ""}
        )

    job = OrganizerJob.objects.get(kind=OrganizerJob.Kind.ANNOUNCE_RESULTS)
    assert response["Location"] == job.get_absolute_url()
    recipients = Announcement.objects.filter(kind=Announcement.Kind.RESULTS).count()
    assert recipients == 3
    assert (job.state, job.done, job.total, job.snapshot_id) == (
        State.DONE,
        recipients,
        recipients,
        snapshot.pk,
    )
    assert "queued in the outbox" in client.get(response["Location"]).content.decode()


def test_a_scheduled_publication_starts_no_mail_job(make_field, organizer):
    publish(make_field([9]), organizer, at=timezone.now() + dt.timedelta(days=1))

    assert not OrganizerJob.objects.exists()


def test_the_job_page_is_refused_to_another_editions_organizer(
    make_field, organizer, other_organizer
):
    field = make_field([9])
    job = OrganizerJob.objects.create(
        edition=field.round.edition,
        kind=OrganizerJob.Kind.COMPUTE_RESULTS,
        scope="results:x",
        state=State.DONE,
        message="Secret",
    )

    response = client_for(other_organizer).get(job.get_absolute_url())

    assert response.status_code in (403, 404)
    assert b"Secret" not in response.content
    assert Client().get(job.get_absolute_url()).status_code == 302


@pytest.mark.parametrize("started", [True, False], ids=["worker died", "never picked up"])
def test_the_job_page_says_at_once_that_the_worker_was_lost(
    make_field, organizer, settings, started
):
    field = make_field([9])
    edition = field.round.edition
    long_ago = timezone.now() - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 1)
    job = OrganizerJob.objects.create(
        edition=edition,
        kind=OrganizerJob.Kind.COMPUTE_RESULTS,
        scope=jobs.scope_of(OrganizerJob.Kind.COMPUTE_RESULTS, edition=edition),
        state=State.RUNNING if started else State.QUEUED,
        heartbeat_at=long_ago if started else None,
    )
    OrganizerJob.objects.filter(pk=job.pk).update(created_at=long_ago)

    page = client_for(organizer).get(job.get_absolute_url()).content.decode()

    assert "Interrupted" in page or "Interrompu" in page
    assert 'http-equiv="refresh"' not in page
    assert jobs.is_lost(OrganizerJob.objects.get(pk=job.pk))
    assert OrganizerJob.objects.filter(jobs.lost(), pk=job.pk).exists()


def test_a_job_with_a_recent_heartbeat_keeps_refreshing(make_field, organizer):
    field = make_field([9])
    edition = field.round.edition
    job = OrganizerJob.objects.create(
        edition=edition,
        kind=OrganizerJob.Kind.COMPUTE_RESULTS,
        scope=jobs.scope_of(OrganizerJob.Kind.COMPUTE_RESULTS, edition=edition),
        state=State.RUNNING,
        heartbeat_at=timezone.now(),
    )

    page = client_for(organizer).get(job.get_absolute_url()).content.decode()

    assert 'http-equiv="refresh"' in page
    assert not jobs.is_lost(job)
    assert not OrganizerJob.objects.filter(jobs.lost(), pk=job.pk).exists()
