import datetime as dt

import pytest
import time_machine

from hackqc.models import Phase
from submissions import services
from submissions.models import DeadlineReminder, Submission
from submissions.tasks import task_send_deadline_reminders
from tests.factories.core import EditionFactory
from tests.factories.submissions import SubmissionFactory
from tests.factories.teams import MembershipFactory, TeamFactory


@pytest.fixture
def hacking(db):
    edition = EditionFactory(phase=Phase.HACKING)
    draft = TeamFactory(edition=edition, name="Brouillon")
    SubmissionFactory(team=draft)
    MembershipFactory(team=draft, user__email="a@example.org")
    MembershipFactory(team=draft, user__email="b@example.org")
    no_sheet = TeamFactory(edition=edition, name="Sans fiche")
    MembershipFactory(team=no_sheet, user__email="c@example.org")
    done = TeamFactory(edition=edition, name="Soumis")
    SubmissionFactory(team=done, state=Submission.State.SUBMITTED)
    MembershipFactory(team=done, user__email="d@example.org")
    return edition


@pytest.fixture
def remind(django_capture_on_commit_callbacks):
    """Runs the beat task as a worker would: its mails leave once its transactions commit."""

    def remind():
        with django_capture_on_commit_callbacks(execute=True):
            task_send_deadline_reminders()

    return remind


def _recipients(mailoutbox):
    return sorted(m.to[0] for m in mailoutbox)


def test_reminder_24h_sent_once_to_teams_with_a_draft(hacking, mailoutbox, remind):
    with time_machine.travel(hacking.submissions_close - dt.timedelta(hours=23), tick=False):
        remind()
        remind()

    assert _recipients(mailoutbox) == ["a@example.org", "b@example.org", "c@example.org"]
    assert DeadlineReminder.objects.filter(kind="24h").count() == 2


def test_reminder_2h_follows_the_24h_one(hacking, mailoutbox, remind):
    close = hacking.submissions_close
    with time_machine.travel(close - dt.timedelta(hours=20), tick=False):
        remind()
    with time_machine.travel(close - dt.timedelta(minutes=90), tick=False):
        remind()
        remind()

    assert len(mailoutbox) == 6
    assert sorted(DeadlineReminder.objects.values_list("kind", flat=True)) == [
        "24h",
        "24h",
        "2h",
        "2h",
    ]


def test_no_reminder_outside_the_windows(hacking, mailoutbox, remind):
    close = hacking.submissions_close
    for moment in (close - dt.timedelta(hours=25), close, close + dt.timedelta(hours=1)):
        with time_machine.travel(moment, tick=False):
            remind()

    assert mailoutbox == []


def test_late_run_sends_only_the_2h_reminder(hacking, mailoutbox, remind):
    with time_machine.travel(hacking.submissions_close - dt.timedelta(hours=1), tick=False):
        remind()

    assert set(DeadlineReminder.objects.values_list("kind", flat=True)) == {"2h"}
    assert len(mailoutbox) == 3


def test_reminder_already_recorded_is_not_sent(hacking, mailoutbox, remind):
    for team in hacking.teams.all():
        DeadlineReminder.objects.create(team=team, kind="24h")

    with time_machine.travel(hacking.submissions_close - dt.timedelta(hours=23), tick=False):
        remind()

    assert mailoutbox == []


def test_submit_confirmation_delivered_twice_mails_each_member_once(
    complete_sheet, participant, teammate, mailoutbox, django_capture_on_commit_callbacks
):
    from hackqc.models import OutgoingMail
    from hackqc.tasks import task_send_mail

    with django_capture_on_commit_callbacks(execute=True):
        services.submit_project(complete_sheet, by=participant)
    for mail in OutgoingMail.objects.all():
        task_send_mail(mail_id=mail.pk)  # each send task delivered a second time

    assert sorted(m.to[0] for m in mailoutbox) == sorted([participant.email, teammate.email])
