"""Real concurrent writers on PostgreSQL: row locks and conditional updates, not mocks."""

import threading

import pytest
from django.db import connection

from hackqc.exceptions import ConcurrentEditError
from submissions import services
from submissions.models import Submission, SubmissionVersion
from tests.factories.submissions import SubmissionFactory
from tests.factories.teams import MembershipFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")


def _run_concurrently(*calls):
    barrier = threading.Barrier(len(calls))
    outcomes = []

    def run(call):
        from django.db import connections

        barrier.wait()
        try:
            outcomes.append(call())
        except Exception as exc:
            outcomes.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_two_saves_with_the_same_lock_one_wins():
    submission = SubmissionFactory()
    first, second = (MembershipFactory(team=submission.team).user for _ in range(2))

    outcomes = _run_concurrently(
        lambda: services.update_sheet(submission, by=first, lock_version=1, title="Un"),
        lambda: services.update_sheet(submission, by=second, lock_version=1, title="Deux"),
    )

    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert len(errors) == 1
    assert isinstance(errors[0], ConcurrentEditError)
    submission.refresh_from_db()
    assert submission.lock_version == 2
    assert submission.title in {"Un", "Deux"}


def test_six_teammates_submitting_at_once_store_one_version_and_mail_each_once(mailoutbox):
    submission = SubmissionFactory(complete=True, with_dataset=True)
    members = [MembershipFactory(team=submission.team).user for _ in range(6)]

    outcomes = _run_concurrently(
        *(
            lambda member=member: services.submit_project(submission, by=member)
            for member in members
        )
    )

    assert not [o for o in outcomes if isinstance(o, Exception)]
    assert list(SubmissionVersion.objects.values_list("number", flat=True)) == [1]
    assert {o.pk for o in outcomes} == {SubmissionVersion.objects.get().pk}
    assert Submission.objects.get().state == "submitted"
    recipients = [address for mail in mailoutbox for address in mail.to]
    assert len(recipients) == len(set(recipients)) >= len(members)


def test_two_reminder_runs_at_once_send_each_mail_once(mailoutbox):
    import datetime as dt

    import time_machine

    from hackqc.models import Phase
    from submissions.tasks import task_send_deadline_reminders
    from tests.factories.core import EditionFactory

    edition = EditionFactory(phase=Phase.HACKING)
    submission = SubmissionFactory(team__edition=edition)
    MembershipFactory(team=submission.team)
    MembershipFactory(team=submission.team)

    with time_machine.travel(edition.submissions_close - dt.timedelta(hours=3), tick=False):
        _run_concurrently(task_send_deadline_reminders, task_send_deadline_reminders)

    assert len(mailoutbox) == 2
