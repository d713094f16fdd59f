"""Results announcements through the outbox: interrupted and redelivered, each person is
mailed once."""

from collections import Counter

import pytest

from hackqc import outbox
from judging.results import services
from judging.results.models import Announcement
from judging.results.tasks import task_send_announcements

pytestmark = pytest.mark.django_db


def test_announcements_interrupted_then_redelivered_mail_each_person_once(
    make_field, organizer, participant, teammate, registered, monkeypatch, mailoutbox,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    field = make_field([9, 7], teams=[participant.memberships.get().team])
    field.prize(name="Grand prix", places=2)
    snapshot = services.compute_results(field.round.edition, by=organizer)
    services.approve_results(snapshot, by=organizer)
    services.publish_results(snapshot, by=organizer)  # no commit here: nothing sent yet
    real_queue_mail, calls = outbox.queue_mail, []

    def dies_on_third(*args, **kwargs):
        calls.append(kwargs["key"])
        if len(calls) == 3:
            raise SystemExit("worker killed")
        return real_queue_mail(*args, **kwargs)

    monkeypatch.setattr(outbox, "queue_mail", dies_on_third)
    with pytest.raises(SystemExit), django_capture_on_commit_callbacks(execute=True):
        task_send_announcements(snapshot_id=snapshot.pk)
    monkeypatch.setattr(outbox, "queue_mail", real_queue_mail)

    with django_capture_on_commit_callbacks(execute=True):
        task_send_announcements(snapshot_id=snapshot.pk)  # redelivered
        task_send_announcements(snapshot_id=snapshot.pk)  # and once more

    per_person = Counter(m.to[0] for m in mailoutbox)
    assert per_person == {participant.email: 2, teammate.email: 2, registered.email: 1}
    assert Announcement.objects.count() == 5


def test_announcement_mails_go_on_the_results_queue_by_default(
    make_field, organizer, participant, teammate, registered,
):  # fmt: skip
    """Thousands of results mails never hold back an invitation: by default they wait on
    the `results` queue (OUTBOX_BULK_QUEUE), which the workers also consume."""
    from django.conf import settings

    from hackqc.models import OutgoingMail

    assert settings.OUTBOX_BULK_QUEUE == "results"
    field = make_field([9, 7], teams=[participant.memberships.get().team])
    field.prize(name="Grand prix", places=2)
    snapshot = services.compute_results(field.round.edition, by=organizer)
    services.approve_results(snapshot, by=organizer)
    services.publish_results(snapshot, by=organizer)
    task_send_announcements(snapshot_id=snapshot.pk)

    queues = set(
        OutgoingMail.objects.filter(key__startswith="results.").values_list("queue", flat=True)
    )
    assert queues == {"results"}
