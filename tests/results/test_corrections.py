"""Corrections as participants and organizers meet them: what changed is mailed, an embargoed
publication reads "scheduled", stale snapshots are flagged in the list."""

import datetime as dt

import time_machine
from django.urls import reverse
from django.utils import timezone

from judging.models import Score
from judging.results import services
from judging.results.models import Announcement, ResultSnapshot
from submissions.models import Submission
from tests.results.test_views import client_for


def _publish(edition, organizer, **kwargs):
    snapshot = services.compute_results(edition, by=organizer)
    services.approve_results(snapshot, by=organizer)
    return services.publish_results(snapshot, by=organizer, **kwargs)


def test_republication_mails_participants_what_changed(
    make_field, edition, organizer, participant, django_capture_on_commit_callbacks, mailoutbox
):
    field = make_field([9, 7], teams=[participant.memberships.get().team])
    field.prize(name="Grand prix")
    winner, runner_up = field.submissions
    with django_capture_on_commit_callbacks(execute=True):
        first = _publish(edition, organizer)
    services.withdraw_results(first, by=organizer, reason="Projet disqualifié après vérification")
    Submission.objects.filter(pk=winner.pk).update(state=Submission.State.DISQUALIFIED)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        second = _publish(edition, organizer)

    [mail] = mailoutbox
    assert mail.to == [participant.email]
    assert "Projet disqualifié après vérification" in mail.body
    # In the recipient's language (French here).
    assert f"Grand prix, 1re place\u00a0: {winner.title} → {runner_up.title}" in mail.body
    assert Announcement.objects.get(kind=Announcement.Kind.CORRECTION).snapshot == second
    services.send_announcements(second)
    assert len(mailoutbox) == 1


def test_first_publication_sends_no_correction(
    make_field, edition, organizer, participant, django_capture_on_commit_callbacks, mailoutbox
):
    field = make_field([9], teams=[participant.memberships.get().team])
    field.prize()
    with django_capture_on_commit_callbacks(execute=True):
        _publish(edition, organizer)
    assert not Announcement.objects.filter(kind=Announcement.Kind.CORRECTION).exists()
    assert all("corrected" not in m.subject.lower() for m in mailoutbox)


def test_embargoed_results_read_scheduled_until_the_time(make_field, edition, organizer):
    field = make_field([9])
    field.prize()
    at = timezone.now().replace(microsecond=0) + dt.timedelta(days=1)
    snapshot = _publish(edition, organizer, at=at)
    manage = reverse("results:manage", kwargs={"slug": edition.slug})

    page = client_for(organizer).get(manage).content.decode()
    assert "Scheduled for" in page
    assert snapshot.state_label().startswith("Scheduled for")
    with time_machine.travel(at + dt.timedelta(seconds=1)):
        assert snapshot.state_label() == "Published"
        assert "Scheduled for" not in client_for(organizer).get(manage).content.decode()


def test_snapshot_list_flags_stale_snapshots(make_field, edition, organizer):
    field = make_field([9, 7])
    field.prize()
    published = _publish(edition, organizer)
    Score.objects.filter(review=field.reviews[1]).update(value=10)
    fresh = services.compute_results(edition, by=organizer)

    response = client_for(organizer).get(reverse("results:manage", kwargs={"slug": edition.slug}))

    assert response.context["stale_ids"] == {published.pk}
    assert fresh.state == ResultSnapshot.State.PROPOSED
    assert "stale:" in response.content.decode()
