"""Open-data files are built once per change of what they show (hackqc.pagecache), answer
304 to a client that has the current version, and show a change at once."""

import time

import pytest
from django.test import Client
from django.utils.http import http_date

from hackqc import pagecache
from judging.results import services
from submissions.services import disqualify_submission
from tests.factories.submissions import DatasetLinkFactory, record_submitted_version


def _counts(response):
    return [(d["name"], d["reuse_count"]) for d in response.json()["datasets"]]


@pytest.fixture
def linked(make_field):
    field = make_field([9, 7])
    link = DatasetLinkFactory(submission=field.submissions[0])
    record_submitted_version(field.submissions[0])
    return field, link.dataset


def test_a_submit_shows_at_once(linked, edition, django_assert_num_queries):
    field, dataset = linked
    url = f"/open-data/{edition.slug}/datasets.json"
    assert _counts(Client().get(url)) == [(dataset.name, 1)]
    with django_assert_num_queries(1):  # the edition; the file comes from the cache
        assert _counts(Client().get(url)) == [(dataset.name, 1)]

    DatasetLinkFactory(submission=field.submissions[1], dataset=dataset)
    record_submitted_version(field.submissions[1])  # the submit stores the version

    assert _counts(Client().get(url)) == [(dataset.name, 2)]


def test_a_disqualification_shows_at_once(linked, edition, organizer):
    field, _dataset = linked
    url = f"/open-data/{edition.slug}/submissions.csv"
    before = Client().get(url).content.decode()
    assert field.submissions[0].title in before
    disqualify_submission(field.submissions[0], by=organizer, reason="Plagiat.")
    assert field.submissions[0].title not in Client().get(url).content.decode()


def test_etag_answers_304_until_a_change(linked, edition):
    field, dataset = linked
    url = f"/open-data/{edition.slug}/datasets.csv"
    first = Client().get(url)
    assert first.status_code == 200
    assert first["ETag"]
    again = Client().get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""

    DatasetLinkFactory(submission=field.submissions[1], dataset=dataset)
    record_submitted_version(field.submissions[1])

    changed = Client().get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]
    assert ",2" in changed.content.decode()


def test_last_modified_never_hides_a_change_within_the_same_second(linked, edition):
    _field, _dataset = linked
    url = f"/open-data/{edition.slug}/datasets.json"
    fresh = Client().get(url)
    # The change is less than a second old: no Last-Modified to compare against.
    assert "Last-Modified" not in fresh
    assert Client().get(url, HTTP_IF_MODIFIED_SINCE=http_date(time.time())).status_code == 200


def test_if_modified_since_answers_304_once_settled(linked, edition, monkeypatch):
    _field, _dataset = linked
    url = f"/open-data/{edition.slug}/datasets.json"
    Client().get(url)  # the first reading: versions the edition's areas never had begin now
    later = time.time() + 5
    monkeypatch.setattr(pagecache.time, "time", lambda: later)
    response = Client().get(url)
    assert response["Last-Modified"]
    assert Client().get(url, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"]).status_code == 304


def test_a_review_does_not_rebuild_the_files(linked, edition):
    url = f"/open-data/{edition.slug}/datasets.json"
    etag = Client().get(url)["ETag"]
    pagecache.touch("judging")  # what saving a review renews
    assert Client().get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_results_file_follows_publication_and_withdrawal(make_field, organizer, edition):
    field = make_field([9, 7])
    field.prize(name="Grand prix")
    url = f"/open-data/{edition.slug}/results.json"
    snapshot = services.compute_results(edition, by=organizer)
    services.approve_results(snapshot, by=organizer)
    assert Client().get(url).status_code == 404
    services.publish_results(snapshot, by=organizer)
    assert Client().get(url).json()["prizes"][0]["name"] == "Grand prix"
    services.withdraw_results(snapshot, by=organizer, reason="Erreur de saisie.")
    assert Client().get(url).status_code == 404


def test_pages_of_two_databases_never_mix(db, settings):
    """Keys carry the database name: test workers sharing one Redis stay apart."""
    from django.db import connection

    page = pagecache.Page("x", 1, areas=["submissions"])
    assert str(connection.settings_dict["NAME"]) in page.key
    assert str(connection.settings_dict["NAME"]) in pagecache._token_key("submissions")


def test_results_page_is_rendered_once_per_change(
    make_field, organizer, edition, participant, django_assert_num_queries
):
    from django.urls import reverse

    field = make_field([9, 7])
    field.prize(name="Grand prix")
    url = reverse("results:detail", kwargs={"slug": edition.slug})
    snapshot = services.compute_results(edition, by=organizer)
    services.approve_results(snapshot, by=organizer)
    assert "Grand prix" not in Client().get(url).content.decode()
    services.publish_results(snapshot, by=organizer)
    assert "Grand prix" in Client().get(url).content.decode()  # publication: at once
    with django_assert_num_queries(2):  # the edition and the snapshot; no ranking
        assert "Grand prix" in Client().get(url).content.decode()

    # Per-person parts stay outside the cached fragment.
    client = Client()
    client.force_login(participant)
    assert "feedback" in client.get(url).content.decode()
    assert "feedback" not in Client().get(url).content.decode()
    organizer_client = Client()
    organizer_client.force_login(organizer)
    assert "/manage/" in organizer_client.get(url).content.decode()

    # A team renamed after publication: the page shows the new name at once.
    team = field.submissions[0].team
    team.name = "Les Renommés"
    team.save()
    assert "Les Renommés" in Client().get(url).content.decode()

    services.withdraw_results(snapshot, by=organizer, reason="Erreur de saisie.")
    html = Client().get(url).content.decode()
    assert "Erreur de saisie." in html
    assert "Grand prix" not in html


def test_gallery_is_rendered_once_per_change(linked, edition, django_assert_num_queries):
    from django.urls import reverse

    field, _dataset = linked
    url = reverse("submissions:gallery", kwargs={"slug": edition.slug})
    first = field.submissions[0]
    assert first.title in Client().get(url).content.decode()
    # The edition and the open vote window (a notice outside the cache); cards from the cache.
    with django_assert_num_queries(2):
        assert first.title in Client().get(url).content.decode()
    # A filter or a page is its own entry; a form with errors is never cached.
    assert "No project matches." in Client().get(url, {"q": "introuvable"}).content.decode()
    assert Client().get(url, {"challenge": "x"}).status_code == 200

    first.title = "Titre resoumis"
    first.save()
    record_submitted_version(first)  # a new judged version: shown at once
    assert "Titre resoumis" in Client().get(url).content.decode()


def test_dataset_search_shows_a_submit_and_the_clock_at_once(linked, edition, monkeypatch):
    from django.urls import reverse
    from django.utils import timezone

    field, dataset = linked
    url = reverse("catalogue:search")

    def reuses():
        response = Client().get(url, {"q": dataset.title})
        return response.content.decode()

    assert "1 projet" in reuses() or "1 project" in reuses()
    DatasetLinkFactory(submission=field.submissions[1], dataset=dataset)
    record_submitted_version(field.submissions[1])
    assert "2 projects" in reuses() or "2 projets" in reuses()

    # Back before the deadline (the clock, no write): the gallery is not public, so its
    # reuses are not told, at once: which galleries are public now is part of the key.
    edition.refresh_from_db()
    assert not edition.gallery_open_early
    before = edition.submissions_close - timezone.timedelta(hours=1)
    monkeypatch.setattr(timezone, "now", lambda: before)
    assert "0 project" in reuses() or "0 projet" in reuses()
