"""Certificates: issued once after publication, in each person's language, downloadable by
their holder only, verifiable by their token without showing a name the person kept private."""

import pytest
from django.test import Client
from django.urls import reverse

from judging.results import services
from judging.results.certificates import issue_certificates
from judging.results.models import Certificate, ResultSnapshot
from judging.results.tasks import task_issue_certificates
from tests.factories.core import UserFactory
from tests.factories.submissions import record_submitted_version
from tests.factories.teams import TeamFactory, fill_team
from tests.results.test_open_data import publish


@pytest.fixture
def field(make_field, edition):
    teams = [
        fill_team(TeamFactory(edition=edition, name="Les Castors"), 2),
        fill_team(TeamFactory(edition=edition, name="Les Hiboux"), 2),
    ]
    field = make_field([9, 7], teams=teams)
    for submission in field.submissions:
        record_submitted_version(submission)
    return field


@pytest.fixture
def published(field, organizer):
    return publish(field, organizer, places=1)


def _winner(field):
    return field.submissions[0].team.memberships.select_related("user").first().user


def test_published_results_give_participation_and_prize_certificates(field, published):
    winner = _winner(field)
    winner.preferred_language = "en"
    winner.save()
    other = field.submissions[1].team.memberships.first().user
    other.preferred_language = "fr"
    other.save()

    issued = issue_certificates(published)

    assert issued == 4 + 2  # everyone participated; the winning team's two members won
    kinds = sorted(Certificate.objects.values_list("kind", flat=True))
    assert kinds == ["participation"] * 4 + ["prize"] * 2
    prize = Certificate.objects.get(user=winner, kind="prize")
    assert (prize.prize_name, prize.place, prize.team_name) == ("Grand prix", 1, "Les Castors")
    pdf = bytes(prize.pdf)
    assert pdf.startswith(b"%PDF-")
    assert b"Certificate of achievement" in pdf
    assert prize.token.encode() in pdf  # the verification URL is printed on it
    french = bytes(Certificate.objects.get(user=other).pdf)
    assert b"Certificat de participation" in french


def test_issuing_twice_gives_no_duplicates(field, published):
    assert task_issue_certificates(snapshot_id=published.pk) == 6

    assert task_issue_certificates(snapshot_id=published.pk) == 0
    assert issue_certificates(published) == 0
    assert Certificate.objects.count() == 6


def test_no_certificate_before_publication(field, organizer):
    field.prize(name="Grand prix")
    snapshot = services.compute_results(field.round.edition, by=organizer)

    assert issue_certificates(snapshot) == 0
    assert task_issue_certificates(snapshot_id=snapshot.pk) == 0
    assert not Certificate.objects.exists()


def test_publishing_issues_the_certificates(field, organizer, django_capture_on_commit_callbacks):
    field.prize(name="Grand prix")
    snapshot = services.compute_results(field.round.edition, by=organizer)
    services.approve_results(snapshot, by=organizer)

    with django_capture_on_commit_callbacks(execute=True):
        services.publish_results(snapshot, by=organizer)

    assert Certificate.objects.filter(snapshot=snapshot).count() == 6


def test_a_hostile_name_still_gives_a_pdf(field, published):
    winner = _winner(field)
    winner.display_name = "Zoé\x07 \u202e🦫 " + "W" * 90
    winner.save()

    issue_certificates(published)

    assert bytes(Certificate.objects.get(user=winner, kind="prize").pdf).startswith(b"%PDF-")


def test_only_the_holder_downloads_the_pdf(client, field, published):
    issue_certificates(published)
    winner = _winner(field)
    certificate = Certificate.objects.get(user=winner, kind="prize")
    url = reverse("results:certificate_download", kwargs={"pk": certificate.pk})
    teammate = field.submissions[0].team.memberships.exclude(user=winner).first().user

    for intruder in (teammate, UserFactory()):
        client.force_login(intruder)
        assert client.get(url).status_code == 404
    client.force_login(winner)
    response = client.get(url)

    assert response["Content-Type"] == "application/pdf"
    assert response.content == bytes(certificate.pdf)


def test_verification_hides_the_name_unless_the_person_shows_it(client, field, published):
    issue_certificates(published)
    winner = _winner(field)
    certificate = Certificate.objects.get(user=winner, kind="prize")
    verify = reverse("results:certificate_verify", kwargs={"token": certificate.token})

    page = Client().get(verify).content.decode()
    assert "This certificate is genuine" in page
    assert "Grand prix" in page
    assert winner.display_name not in page

    client.force_login(winner)
    client.post(reverse("results:certificate_name", kwargs={"pk": certificate.pk}), {"public": "1"})
    assert winner.display_name in Client().get(verify).content.decode()
    assert Client().get(verify.replace(certificate.token, "x" * 32)).status_code == 404


def test_withdrawn_results_mark_their_certificates(field, published, organizer):
    issue_certificates(published)
    certificate = Certificate.objects.filter(kind="prize").first()
    services.withdraw_results(published, by=organizer, reason="Erreur de saisie")
    assert ResultSnapshot.objects.get(pk=published.pk).state == ResultSnapshot.State.WITHDRAWN

    page = Client().get(reverse("results:certificate_verify", kwargs={"token": certificate.token}))

    assert "withdrawn with the results" in page.content.decode()


def test_the_space_lists_the_persons_certificates(client, field, published):
    issue_certificates(published)
    winner = _winner(field)
    client.force_login(winner)

    page = client.get(reverse("space")).content.decode()

    mine = Certificate.objects.filter(user=winner)
    assert mine.count() == 2
    for certificate in mine:
        assert reverse("results:certificate_download", kwargs={"pk": certificate.pk}) in page
    others = Certificate.objects.exclude(user=winner)
    for certificate in others:
        assert certificate.token not in page
