import datetime as dt
from collections import Counter

import pytest
import time_machine
from django.utils import timezone

from hackqc.exceptions import HackQCError
from judging.results import services
from judging.results.models import Announcement, Award, ResultSnapshot
from judging.results.tasks import task_publish_due_results
from submissions.models import Submission
from tests.factories.results import AwardPolicyFactory


def places(snapshot):
    return [
        (a.prize.name, a.place, a.submission_id)
        for a in snapshot.awards.filter(place__isnull=False).select_related("prize")
    ]


def approved(field, organizer, **prize):
    field.prize(name="Grand prix", places=2, **prize)
    snapshot = services.compute_results(field.round.edition, by=organizer)
    return services.approve_results(snapshot, by=organizer)


def test_compute_results_freezes_rankings_parameters_and_digest(make_field, organizer):
    field = make_field([6, 9, 7])
    field.prize(name="Grand prix", places=2)

    snapshot = services.compute_results(field.round.edition, by=organizer)

    s1, s2, s3 = (s.pk for s in field.submissions)
    assert places(snapshot) == [("Grand prix", 1, s2), ("Grand prix", 2, s3)]
    key = str(field.round.pk)
    assert [e["submission"] for e in snapshot.rankings[key]["entries"]] == [s2, s3, s1]
    assert snapshot.parameters[key]["method"] == "mean"
    assert len(snapshot.digests[key]) == 64
    assert snapshot.scores_hash == services.scores_hash(snapshot.digests)
    assert snapshot.state == ResultSnapshot.State.PROPOSED
    assert snapshot.main_round == field.round


def test_compute_results_without_prizes_refused(edition, organizer):
    with pytest.raises(HackQCError):
        services.compute_results(edition, by=organizer)
    assert not ResultSnapshot.objects.exists()


def test_compute_results_supersedes_the_previous_proposal(make_field, organizer):
    field = make_field([6, 9])
    field.prize()
    first = services.compute_results(field.round.edition, by=organizer)
    services.compute_results(field.round.edition, by=organizer)
    first.refresh_from_db()
    assert first.state == ResultSnapshot.State.SUPERSEDED


def test_compute_results_one_prize_rule_in_priority_order(make_field, organizer):
    field = make_field([9, 8, 7])
    field.prize(name="Second", priority=2)
    field.prize(name="Premier", priority=1)
    snapshot = services.compute_results(field.round.edition, by=organizer)
    s1, s2, _ = (s.pk for s in field.submissions)
    assert places(snapshot) == [("Premier", 1, s1), ("Second", 1, s2)]


def test_compute_results_several_prizes_per_team_when_allowed(make_field, organizer, edition):
    edition.one_prize_per_team = False
    edition.save()
    field = make_field([9, 8])
    field.prize(name="Premier", priority=1)
    field.prize(name="Second", priority=2)
    snapshot = services.compute_results(edition, by=organizer)
    s1 = field.submissions[0].pk
    assert places(snapshot) == [("Premier", 1, s1), ("Second", 1, s1)]


def test_compute_results_award_conditions_list_what_is_missing(make_field, organizer, edition):
    AwardPolicyFactory(edition=edition).delete()
    AwardPolicyFactory(edition=edition, require_repository=True, require_licence=True)
    field = make_field([9, 8])
    field.prize(places=1)
    snapshot = services.compute_results(edition, by=organizer)
    rows = list(snapshot.awards.order_by("pk").values_list("place", "submission", "missing"))
    s1, s2 = (s.pk for s in field.submissions)
    assert rows == [
        (None, s1, ["repository", "licence"]),
        (None, s2, ["repository", "licence"]),
        (1, None, []),
    ]


def test_compute_results_award_conditions_met(make_field, organizer, edition):
    AwardPolicyFactory(edition=edition).delete()
    AwardPolicyFactory(edition=edition, require_repository=True, require_licence=True)
    field = make_field([9, 8])
    Submission.objects.filter(pk=field.submissions[0].pk).update(licence="MIT")
    winner = field.submissions[1]
    Submission.objects.filter(pk=winner.pk).update(
        repository_url="https://github.com/castors/app", licence="MIT"
    )
    field.prize(places=1)
    snapshot = services.compute_results(edition, by=organizer)
    rows = list(snapshot.awards.order_by("pk").values_list("place", "submission", "missing"))
    assert rows == [(None, field.submissions[0].pk, ["repository"]), (1, winner.pk, [])]


def test_snapshot_stale_after_a_score_change(make_field, organizer):
    field = make_field([6, 9])
    field.prize()
    snapshot = services.compute_results(field.round.edition, by=organizer)
    assert not services.is_stale(snapshot)
    frozen = (snapshot.rankings, snapshot.scores_hash)

    field.reviews[0].scores.update(value=10)

    snapshot.refresh_from_db()
    assert services.is_stale(snapshot)
    assert (snapshot.rankings, snapshot.scores_hash) == frozen
    with pytest.raises(HackQCError):
        services.approve_results(snapshot, by=organizer)


def test_boundary_tie_needs_an_override_before_approval(make_field, organizer):
    field = make_field([9, 7, 7])
    field.prize(places=2)
    snapshot = services.compute_results(field.round.edition, by=organizer)
    tied = snapshot.awards.get(place=2)
    assert (tied.tied, tied.needs_decision) == (True, True)
    with pytest.raises(HackQCError):
        services.approve_results(snapshot, by=organizer)

    chosen = field.submissions[2]
    services.override_award(
        tied, by=organizer, submission=chosen, reason="Meilleure démo en finale"
    )
    services.approve_results(snapshot, by=organizer)

    tied.refresh_from_db()
    assert (tied.submission, tied.proposed_submission, tied.override_reason) == (
        chosen,
        field.submissions[1],
        "Meilleure démo en finale",
    )
    assert tied.overridden_by == organizer
    snapshot.refresh_from_db()
    assert snapshot.state == ResultSnapshot.State.APPROVED


def test_override_award_requires_a_reason(make_field, organizer):
    field = make_field([9, 7])
    field.prize()
    award = services.compute_results(field.round.edition, by=organizer).awards.get()
    with pytest.raises(HackQCError):
        services.override_award(award, by=organizer, submission=field.submissions[1], reason=" ")
    award.refresh_from_db()
    assert award.submission == field.submissions[0]


def test_override_award_refuses_a_second_prize_for_a_team(make_field, organizer):
    field = make_field([9, 7])
    field.prize(name="A", priority=1)
    field.prize(name="B", priority=2)
    snapshot = services.compute_results(field.round.edition, by=organizer)
    award_b = snapshot.awards.get(prize__name="B")
    with pytest.raises(HackQCError):
        services.override_award(award_b, by=organizer, submission=field.submissions[0], reason="x")


def test_sponsor_prize_winner_chosen_by_override(make_field, organizer, edition):
    field = make_field([9, 7])
    field.prize(name="Prix Hydro", round=None)
    snapshot = services.compute_results(edition, by=organizer)
    award = snapshot.awards.get()
    assert award.needs_decision
    services.override_award(
        award, by=organizer, submission=field.submissions[1], reason="Jury Hydro"
    )
    services.approve_results(snapshot, by=organizer)
    assert places(snapshot) == [("Prix Hydro", 1, field.submissions[1].pk)]


def test_publish_results_now_opens_page_and_mails_everyone_once(
    make_field,
    organizer,
    participant,
    teammate,
    registered,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    field = make_field([9, 7], teams=[participant.memberships.get().team])
    snapshot = approved(field, organizer)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_results(snapshot, by=organizer)

    edition = field.round.edition
    edition.refresh_from_db()
    assert edition.results_published == snapshot.published_at
    winners = set(
        Announcement.objects.filter(kind=Announcement.Kind.WINNER).values_list(
            "user__email", flat=True
        )
    )
    assert winners == {participant.email, teammate.email}
    per_person = Counter(m.to[0] for m in mailoutbox)
    assert per_person[participant.email] == per_person[teammate.email] == 2
    assert per_person[registered.email] == 1
    sent = len(mailoutbox)
    assert sent == Announcement.objects.count()

    task_publish_due_results.delay()
    services.send_announcements(snapshot)
    assert len(mailoutbox) == sent


def test_publish_results_refuses_unapproved_or_past_time(make_field, organizer):
    field = make_field([9])
    field.prize()
    snapshot = services.compute_results(field.round.edition, by=organizer)
    with pytest.raises(HackQCError):
        services.publish_results(snapshot, by=organizer)
    services.approve_results(snapshot, by=organizer)
    with pytest.raises(HackQCError):
        services.publish_results(snapshot, by=organizer, at=timezone.now() - dt.timedelta(hours=1))
    snapshot.refresh_from_db()
    assert snapshot.state == ResultSnapshot.State.APPROVED
    assert field.round.edition.results_published is None


def test_embargo_mails_only_after_the_time_then_once(
    make_field, organizer, participant, django_capture_on_commit_callbacks, mailoutbox
):
    field = make_field([9, 7], teams=[participant.memberships.get().team])
    snapshot = approved(field, organizer)
    at = timezone.now().replace(microsecond=0) + dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_results(snapshot, by=organizer, at=at)
    assert mailoutbox == []

    with time_machine.travel(at - dt.timedelta(seconds=1), tick=False):
        task_publish_due_results.delay()
    assert mailoutbox == []

    with (
        time_machine.travel(at + dt.timedelta(seconds=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        task_publish_due_results.delay()
        task_publish_due_results.delay()
    assert sorted(m.to[0] for m in mailoutbox) == [participant.email, participant.email]
    snapshot.refresh_from_db()
    assert snapshot.announced_at is not None


def test_withdraw_results_requires_reason_and_closes_the_page(make_field, organizer):
    field = make_field([9])
    snapshot = approved(field, organizer)
    services.publish_results(snapshot, by=organizer)
    with pytest.raises(HackQCError):
        services.withdraw_results(snapshot, by=organizer, reason="")

    services.withdraw_results(snapshot, by=organizer, reason="Erreur de saisie d'une note")

    edition = field.round.edition
    edition.refresh_from_db()
    snapshot.refresh_from_db()
    assert edition.results_published is None
    assert (snapshot.state, snapshot.withdrawal_reason) == (
        ResultSnapshot.State.WITHDRAWN,
        "Erreur de saisie d'une note",
    )


def test_only_one_published_snapshot(make_field, organizer):
    field = make_field([9])
    snapshot = approved(field, organizer)
    services.publish_results(snapshot, by=organizer)
    second = services.approve_results(
        services.compute_results(field.round.edition, by=organizer), by=organizer
    )
    with pytest.raises(HackQCError):
        services.publish_results(second, by=organizer)
    assert Award.objects.filter(snapshot=second).exists()


def test_winner_mail_names_the_prize_place_and_project(
    make_field, organizer, participant, django_capture_on_commit_callbacks, mailoutbox
):
    field = make_field([9], teams=[participant.memberships.get().team])
    snapshot = approved(field, organizer)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_results(snapshot, by=organizer)
    winner_mail = next(m for m in mailoutbox if field.submissions[0].title in m.body)
    assert "Grand prix" in winner_mail.body
    assert f"/results/{field.round.edition.slug}/" in winner_mail.body


def test_delete_prize_refused_once_published(make_field, organizer):
    field = make_field([9])
    snapshot = approved(field, organizer)
    services.publish_results(snapshot, by=organizer)
    with pytest.raises(HackQCError):
        services.delete_prize(snapshot.awards.get(place=1).prize, by=organizer)
    assert snapshot.awards.count() == 2


def test_compute_results_host_site_prize_ranks_only_that_site(make_field, organizer, edition):
    from judging.results.models import Prize
    from tests.factories.core import HostSiteFactory

    field = make_field([9, 8, 7])
    rimouski = HostSiteFactory(edition=edition, name="Pôle de Rimouski")
    _best, second, third = field.submissions
    for submission in (second, third):
        submission.team.host_site = rimouski
        submission.team.save()
    field.prize(name="Prix du pôle", eligibility=Prize.Eligibility.HOST_SITE, host_site=rimouski)

    snapshot = services.compute_results(edition, by=organizer)

    assert places(snapshot) == [("Prix du pôle", 1, second.pk)]


def test_disqualifying_a_winner_makes_the_results_stale(make_field, organizer):
    from submissions.services import disqualify_submission

    field = make_field([9, 7])
    snapshot = approved(field, organizer)
    winner = snapshot.awards.get(place=1).submission

    disqualify_submission(winner, by=organizer, reason="Code copié")

    assert services.is_stale(snapshot)
    with pytest.raises(HackQCError):
        services.publish_results(snapshot, by=organizer)
    assert not ResultSnapshot.objects.filter(state=ResultSnapshot.State.PUBLISHED).exists()


def test_announcements_skip_while_another_run_holds_the_claim(
    make_field, organizer, participant, mailoutbox
):
    field = make_field([9], teams=[participant.memberships.get().team])
    snapshot = approved(field, organizer)
    services.publish_results(snapshot, by=organizer, announce=False)
    ResultSnapshot.objects.filter(pk=snapshot.pk).update(
        announced_at=None, announcing_since=timezone.now()
    )

    assert services.send_announcements(snapshot) == 0
    assert mailoutbox == []


def test_announcements_resume_after_a_lapsed_claim_and_release_it(
    make_field, organizer, participant, mailoutbox
):
    field = make_field([9], teams=[participant.memberships.get().team])
    snapshot = approved(field, organizer)
    services.publish_results(snapshot, by=organizer, announce=False)
    lapsed = timezone.now() - dt.timedelta(hours=2)
    ResultSnapshot.objects.filter(pk=snapshot.pk).update(announced_at=None, announcing_since=lapsed)

    assert services.send_announcements(snapshot) == 2
    snapshot.refresh_from_db()
    assert snapshot.announcing_since is None
    assert snapshot.announced_at is not None


def test_announcements_run_on_their_own_queue():
    from hackqc.celery import app
    from judging.results.tasks import task_send_announcements

    route = app.amqp.router.route({}, task_send_announcements.name)
    assert route["queue"].name == "results"
