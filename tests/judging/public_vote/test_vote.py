"""The people's choice as voters, team members, organizers and cheaters meet it."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from judging.public_vote import services
from judging.public_vote.models import PublicVote
from judging.public_vote.queries import counts, suspicious_patterns
from judging.public_vote.services import VoteError
from judging.results import services as results
from tests.factories.core import UserFactory

from .conftest import verified


def test_one_vote_per_account_changeable_until_the_close(vote_edition):
    edition, (a, b, _c), window, _organizer = vote_edition
    voter = verified()
    services.cast_vote(edition, user=voter, submission=a)
    services.cast_vote(edition, user=voter, submission=b)
    vote = PublicVote.objects.get()
    assert vote.submission == b
    assert vote.changes == 1
    assert counts(edition) == {b.pk: 1}
    after = window.closes_at
    with pytest.raises(VoteError, match="not open"):
        services.cast_vote(edition, user=voter, submission=a, now=after)
    assert PublicVote.objects.get().submission == b


def test_the_database_keeps_one_vote_per_account_and_edition(vote_edition):
    edition, (a, b, _c), _window, _organizer = vote_edition
    voter = verified()
    PublicVote.objects.create(edition=edition, user=voter, submission=a)
    with pytest.raises(IntegrityError), transaction.atomic():
        PublicVote.objects.create(edition=edition, user=voter, submission=b)


def test_an_unverified_account_cannot_vote(vote_edition):
    edition, (a, *_rest), _window, _organizer = vote_edition
    with pytest.raises(VoteError, match="Confirm your e-mail"):
        services.cast_vote(edition, user=UserFactory(verified=False), submission=a)
    assert not PublicVote.objects.exists()


def test_members_cannot_vote_for_their_own_team(vote_edition):
    edition, (a, b, _c), _window, _organizer = vote_edition
    member = verified(a.team.memberships.get().user)
    with pytest.raises(VoteError, match="own team"):
        services.cast_vote(edition, user=member, submission=a)
    services.cast_vote(edition, user=member, submission=b)
    assert PublicVote.objects.get().submission == b


def test_before_the_window_nobody_votes(vote_edition):
    edition, (a, *_rest), window, _organizer = vote_edition
    with pytest.raises(VoteError, match="not open"):
        services.cast_vote(
            edition, user=verified(), submission=a, now=window.opens_at - dt.timedelta(seconds=1)
        )


def test_an_account_created_after_the_opening_is_allowed_but_flagged(vote_edition):
    edition, (a, *_rest), window, _organizer = vote_edition
    old = verified(UserFactory(date_joined=window.opens_at - dt.timedelta(days=30)))
    new = verified(UserFactory(date_joined=timezone.now()))
    services.cast_vote(edition, user=old, submission=a)
    services.cast_vote(edition, user=new, submission=a)
    flags = dict(PublicVote.objects.values_list("user_id", "late_account"))
    assert flags == {old.pk: False, new.pk: True}


def test_organizers_void_a_vote_with_a_reason_and_it_stops_counting(vote_edition):
    edition, (a, b, _c), _window, organizer = vote_edition
    voter = verified()
    vote = services.cast_vote(edition, user=voter, submission=a)
    with pytest.raises(VoteError):
        services.void_vote(vote, by=organizer, reason="  ")
    services.void_vote(vote, by=organizer, reason="Compte créé en rafale")
    assert counts(edition) == {}
    with pytest.raises(VoteError, match="voided"):
        services.cast_vote(edition, user=voter, submission=b)


def test_bursts_and_new_accounts_of_one_domain_are_shown_to_organizers(vote_edition):
    edition, (a, b, _c), _window, _organizer = vote_edition
    start = timezone.now()
    for i in range(10):
        user = verified(UserFactory(email=f"v{i}@bots.example", date_joined=start))
        services.cast_vote(edition, user=user, submission=a, now=start + dt.timedelta(seconds=i))
    services.cast_vote(edition, user=verified(), submission=b)
    found = {(s.kind, s.submission) for s in suspicious_patterns(edition)}
    assert found == {("burst", a.pk), ("domain", a.pk)}


def test_a_script_is_rate_limited(vote_edition):
    edition, (a, b, _c), _window, _organizer = vote_edition
    voter = verified()
    for i in range(10):
        services.cast_vote(edition, user=voter, submission=(a, b)[i % 2])
    with pytest.raises(VoteError, match="Too many"):
        services.cast_vote(edition, user=voter, submission=a)
    assert PublicVote.objects.get().changes == 9


def test_the_vote_decides_its_prize_in_the_results_once_closed(vote_edition):
    edition, (a, b, c), window, organizer = vote_edition
    for submission, n in ((a, 1), (b, 3), (c, 2)):
        for _ in range(n):
            services.cast_vote(edition, user=verified(), submission=submission)
    # Before the close, the prize is left to decide and no count leaks into the snapshot.
    early = results.compute_results(edition, by=organizer)
    assert early.public_votes == {"prize": window.prize_id, "closed": False}
    assert early.awards.get(prize=window.prize).needs_decision
    window.closes_at = timezone.now() - dt.timedelta(seconds=1)
    window.opens_at = window.closes_at - dt.timedelta(days=2)
    window.save()
    snapshot = results.compute_results(edition, by=organizer)
    assert [e["submission"] for e in snapshot.public_votes["counts"]] == [b.pk, c.pk, a.pk]
    assert [e["votes"] for e in snapshot.public_votes["counts"]] == [3, 2, 1]
    # The prize ranks by votes, under the edition's award conditions like any prize.
    ranked = snapshot.awards.filter(prize=window.prize).exclude(submission=None)
    assert [x.submission_id for x in ranked.order_by("rank")][:1] == [b.pk]


def test_the_ballot_hides_counts_until_the_close_and_answers_in_constant_queries(
    client, vote_edition, django_assert_max_num_queries
):
    edition, (a, _b, _c), window, _organizer = vote_edition
    voter = verified()
    client.force_login(voter)
    url = reverse("vote:ballot", args=[edition.slug])
    response = client.post(url, {"submission": a.pk})
    assert response.status_code == 302
    assert PublicVote.objects.get().submission == a
    page = client.get(url).content.decode()
    assert "Votes</th>" not in page
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as three:
        client.get(url)
    from tests.factories.submissions import SubmissionFactory, record_submitted_version
    from tests.factories.teams import TeamFactory

    for _i in range(5):
        extra = SubmissionFactory(team=TeamFactory(edition=edition), state="submitted")
        record_submitted_version(extra)
    with CaptureQueriesContext(connection) as eight:
        client.get(url)
    assert len(eight) == len(three)
    window.closes_at = timezone.now() - dt.timedelta(seconds=1)
    window.opens_at = window.closes_at - dt.timedelta(days=1)
    window.save()
    assert "Votes</th>" in client.get(url).content.decode()


def test_hostile_ballot_posts_are_refused_cleanly(client, vote_edition):
    edition, _projects, _window, _organizer = vote_edition
    client.force_login(verified())
    url = reverse("vote:ballot", args=[edition.slug])
    for value in ("a%00b", "%FF%FE", "9" * 40, "-1", ""):
        response = client.generic(
            "POST", url, f"submission={value}", content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code in {302, 400}
    assert not PublicVote.objects.exists()


def test_only_the_editions_organizers_manage_the_vote(client, vote_edition):
    edition, (a, *_rest), _window, organizer = vote_edition
    vote = services.cast_vote(edition, user=verified(), submission=a)
    url = reverse("vote:organize", args=[edition.slug])
    void = reverse("vote:void", args=[edition.slug, vote.pk])
    client.force_login(verified())
    assert client.get(url).status_code in {403, 404}
    assert client.post(void, {"reason": "x"}).status_code in {403, 404}
    client.force_login(organizer)
    assert client.get(url).status_code == 200
    client.post(void, {"reason": "Doublon"})
    vote.refresh_from_db()
    assert vote.void_reason == "Doublon"


def test_results_json_carries_the_peoples_choice_counts_once_published(vote_edition):
    from judging.results.exports import results_document

    edition, (a, b, _c), window, organizer = vote_edition
    services.cast_vote(edition, user=verified(), submission=a)
    services.cast_vote(edition, user=verified(), submission=a)
    services.cast_vote(edition, user=verified(), submission=b)
    window.closes_at = timezone.now() - dt.timedelta(seconds=1)
    window.opens_at = window.closes_at - dt.timedelta(days=1)
    window.save()
    snapshot = results.compute_results(edition, by=organizer)
    results.approve_results(snapshot, by=organizer)
    snapshot = results.publish_results(snapshot, by=organizer)
    document = results_document(edition, snapshot)
    assert document["public_votes"]["prize"] == window.prize_id
    assert document["public_votes"]["counts"] == [
        {"submission": a.pk, "votes": 2, "rank": 1},
        {"submission": b.pk, "votes": 1, "rank": 2},
    ]


def test_the_ballot_and_the_organizers_page_are_accessible(client, vote_edition):
    from tests.a11y import accessibility_problems

    edition, (a, *_rest), _window, organizer = vote_edition
    services.cast_vote(edition, user=verified(), submission=a)
    client.force_login(verified())
    page = client.get(reverse("vote:ballot", args=[edition.slug])).content.decode()
    assert accessibility_problems(page) == []
    client.force_login(organizer)
    page = client.get(reverse("vote:organize", args=[edition.slug])).content.decode()
    assert accessibility_problems(page) == []


def test_deleting_the_vote_prize_ends_the_vote_without_an_error(vote_edition):
    from judging.public_vote.models import VoteWindow
    from judging.results.services import delete_prize

    edition, (a, *_rest), window, organizer = vote_edition
    services.cast_vote(edition, user=verified(), submission=a)
    delete_prize(window.prize, by=organizer)
    assert not VoteWindow.objects.exists()
    assert PublicVote.objects.count() == 1
