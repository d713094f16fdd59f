"""Every Celery task is idempotent: with acks_late a task runs again after a worker dies,
and beat may overlap runs. Each registered task names the test that runs it twice (or
redelivers it after an interruption) and shows its effect happened once; a new task
without such a test fails here."""

import importlib

import pytest
from django.utils import timezone

from hackqc.models import OutgoingMail, WorkerHeartbeat
from teams import services as teams_services
from teams.models import Membership
from tests.factories.teams import MembershipFactory

RUN_TWICE = {
    "privacy.build_export": (
        "tests.privacy.test_tasks_twice::test_an_export_built_twice_is_mailed_once"
    ),
    "privacy.delete_expired_exports": (
        "tests.privacy.test_tasks_twice::test_deleting_expired_exports_twice_deletes_once"
    ),
    "privacy.anonymise_old_editions": (
        "tests.privacy.test_tasks_twice::test_anonymising_old_editions_twice_is_one_run"
    ),
    "hackqc.record_heartbeat": (
        "tests.hackqc.test_tasks_idempotent::test_heartbeat_twice_is_one_row"
    ),
    "hackqc.send_mail": "tests.hackqc.test_outbox::test_send_task_run_twice_sends_once",
    "hackqc.send_announcement": (
        "tests.hackqc.test_announcements::test_task_run_twice_mails_each_recipient_once"
    ),
    "hackqc.requeue_lapsed_announcements": (
        "tests.hackqc.test_announcements::"
        "test_the_sweep_queues_a_lost_send_again_and_a_late_task_mails_nobody_twice"
    ),
    "hackqc.sweep_outbox": (
        "tests.hackqc.test_outbox::"
        "test_broker_down_at_commit_keeps_the_write_and_the_sweep_sends_later"
    ),
    "submissions.make_thumbnails": (
        "tests.submissions.test_images::test_make_thumbnails_task_is_idempotent_and_quiet_when_gone"
    ),
    "submissions.send_deadline_reminders": (
        "tests.submissions.test_tasks::test_reminder_24h_sent_once_to_teams_with_a_draft"
    ),
    "catalogue.sync_datasets": (
        "tests.catalogue.test_sync::test_task_ignores_a_run_that_already_ran"
    ),
    "results.send_announcements": (
        "tests.results.test_outbox_mails::"
        "test_announcements_interrupted_then_redelivered_mail_each_person_once"
    ),
    "results.issue_certificates": (
        "tests.results.test_certificates::test_issuing_twice_gives_no_duplicates"
    ),
    "judging.run_job": "tests.results.test_jobs::test_job_run_twice_runs_once",
    "results.publish_due_results": (
        "tests.results.test_services::test_embargo_mails_only_after_the_time_then_once"
    ),
}


def _registered_tasks():
    from hackqc.celery import app

    app.loader.import_default_modules()
    return {name for name in app.tasks if not name.startswith("celery.")}


def test_every_task_has_a_run_twice_test():
    missing = _registered_tasks() - set(RUN_TWICE)

    assert missing == set(), (
        "each task needs a test that runs it twice (or redelivers it) and asserts one "
        "effect; add it to RUN_TWICE"
    )


@pytest.mark.parametrize("name", sorted(RUN_TWICE))
def test_run_twice_test_exists(name):
    module, function = RUN_TWICE[name].split("::")

    assert callable(getattr(importlib.import_module(module), function, None)), RUN_TWICE[name]


@pytest.mark.django_db
def test_heartbeat_twice_is_one_row():
    from hackqc.tasks import task_record_heartbeat

    task_record_heartbeat(note="a")
    task_record_heartbeat(note="b")

    assert list(WorkerHeartbeat.objects.values_list("hostname", "note")) == [("eager", "b")]


@pytest.mark.django_db
def test_team_dissolved_mail_redelivered_reaches_each_member_once(
    team, participant, teammate, mailoutbox, django_capture_on_commit_callbacks
):
    from hackqc.tasks import task_send_mail, task_sweep_outbox

    third = MembershipFactory(team=team, user__email="third@example.org").user
    with django_capture_on_commit_callbacks(execute=True):
        teams_services.dissolve_team(team, by=participant)
    for mail in OutgoingMail.objects.all():  # every send task delivered a second time
        task_send_mail(mail_id=mail.pk)
    OutgoingMail.objects.update(queued_at=timezone.now() - timezone.timedelta(hours=1))
    task_sweep_outbox()  # and the sweep believes them lost

    assert sorted(m.to[0] for m in mailoutbox) == sorted([teammate.email, third.email])
    assert not Membership.objects.filter(team_id=team.pk).exists()
