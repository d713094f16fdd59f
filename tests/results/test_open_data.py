import csv
import datetime as dt
import io
import json
import re

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from hackqc.models import Phase
from judging.results import services
from judging.results.openapi import schema
from tests.factories.core import EditionFactory
from tests.factories.submissions import DatasetLinkFactory, record_submitted_version


def publish(field, organizer, **prize):
    field.prize(name="Grand prix", **prize)
    snapshot = services.compute_results(field.round.edition, by=organizer)
    services.approve_results(snapshot, by=organizer)
    return services.publish_results(snapshot, by=organizer)


def get_json(url):
    response = Client().get(url)
    assert response.status_code == 200, url
    return response.json()


def get_csv(url):
    response = Client().get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_results_file_404_before_publication(make_field, organizer, fmt):
    field = make_field([9])
    field.prize()
    services.approve_results(
        services.compute_results(field.round.edition, by=organizer), by=organizer
    )
    assert Client().get(f"/open-data/{field.round.edition.slug}/results.{fmt}").status_code == 404


def test_results_file_unknown_format_or_edition_404(db):
    assert Client().get("/open-data/nope/results.json").status_code == 404
    assert Client().get("/open-data/nope/results.xml").status_code == 404


def test_results_json_matches_the_page(make_field, organizer, participant, edition):
    edition.show_full_ranking = True
    edition.save()
    field = make_field([9, 7, 5], teams=[participant.memberships.get().team])
    link = DatasetLinkFactory(submission=field.submissions[0])
    publish(field, organizer, places=2)

    document = get_json(f"/open-data/{edition.slug}/results.json")
    page = Client().get(reverse("results:detail", kwargs={"slug": edition.slug}))

    (prize,) = document["prizes"]
    page_places = [(a.place, a.submission.title) for a in page.context["blocks"][0].places]
    assert [(p["place"], p["submission"]["title"]) for p in prize["places"]] == page_places
    assert prize["places"][0]["submission"]["datasets"] == [
        {"ckan_id": str(link.dataset.ckan_id), "name": link.dataset.name}
    ]
    assert [r["submission_id"] for r in document["ranking"]] == [
        line.submission.pk for line in page.context["rankings"][0].lines
    ]
    assert document["licence"]["id"] == "CC-BY-4.0"
    assert document["method"][0]["method"] == "mean"
    text = json.dumps(document)
    assert participant.email not in text
    assert participant.display_name not in text


def test_results_csv_rows_match_json(make_field, organizer, edition):
    edition.show_full_ranking = True
    edition.save()
    field = make_field([9, 7])
    publish(field, organizer)
    rows = get_csv(f"/open-data/{edition.slug}/results.csv")
    assert [(r["kind"], r["place"], r["rank"], r["title"]) for r in rows] == [
        ("award", "1", "", field.submissions[0].title),
        ("ranking", "", "1", field.submissions[0].title),
        ("ranking", "", "2", field.submissions[1].title),
    ]


def test_results_csv_quotes_a_title_that_a_spreadsheet_would_run(make_field, organizer, edition):
    field = make_field([9])
    field.submissions[0].title = '=HYPERLINK("https://evil.example","Cliquez")'
    field.submissions[0].save()
    publish(field, organizer)

    rows = get_csv(f"/open-data/{edition.slug}/results.csv")

    assert rows[0]["title"] == "'" + field.submissions[0].title
    document = get_json(f"/open-data/{edition.slug}/results.json")
    assert document["prizes"][0]["places"][0]["submission"]["title"] == field.submissions[0].title


def test_results_only_winners_when_the_edition_hides_the_ranking(make_field, organizer, edition):
    field = make_field([9, 7])
    publish(field, organizer)
    document = get_json(f"/open-data/{edition.slug}/results.json")
    assert document["ranking"] is None
    assert field.submissions[1].title not in json.dumps(document)


def test_submissions_and_datasets_files(make_field, edition):
    field = make_field([9, 7])
    shared = DatasetLinkFactory(submission=field.submissions[0]).dataset
    DatasetLinkFactory(submission=field.submissions[1], dataset=shared)
    other = DatasetLinkFactory(submission=field.submissions[1]).dataset
    for submission in field.submissions:
        record_submitted_version(submission)
    # Linked after the last submit: neither listed nor counted.
    DatasetLinkFactory(submission=field.submissions[0], dataset=other)

    subs = get_json(f"/open-data/{edition.slug}/submissions.json")["submissions"]
    by_id = {s["id"]: s for s in subs}
    assert {d["ckan_id"] for d in by_id[field.submissions[1].pk]["datasets"]} == {
        str(shared.ckan_id),
        str(other.ckan_id),
    }
    datasets = get_json(f"/open-data/{edition.slug}/datasets.json")["datasets"]
    assert [(d["ckan_id"], d["reuse_count"]) for d in datasets] == [
        (str(shared.ckan_id), 2),
        (str(other.ckan_id), 1),
    ]
    csv_rows = get_csv(f"/open-data/{edition.slug}/datasets.csv")
    assert [(r["name"], r["reuse_count"]) for r in csv_rows] == [
        (shared.name, "2"),
        (other.name, "1"),
    ]
    sub_rows = get_csv(f"/open-data/{edition.slug}/submissions.csv")
    assert {r["title"] for r in sub_rows} == {s.title for s in field.submissions}


def test_submissions_files_404_before_submissions_close(db):
    edition = EditionFactory(phase=Phase.HACKING)
    assert Client().get(f"/open-data/{edition.slug}/submissions.json").status_code == 404
    assert Client().get(f"/open-data/{edition.slug}/datasets.csv").status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_exports_constant_queries(make_field, organizer, edition, django_assert_num_queries, count):
    edition.show_full_ranking = True
    edition.save()
    field = make_field([9 - i for i in range(count)])
    for i, submission in enumerate(field.submissions):
        DatasetLinkFactory(submission=submission)
        record_submitted_version(submission)
        field.prize(name=f"Prix {i}", priority=i + 1)
    snapshot = services.compute_results(edition, by=organizer)
    services.approve_results(snapshot, by=organizer)
    services.publish_results(snapshot, by=organizer)
    client = Client()
    assert len(client.get(f"/open-data/{edition.slug}/submissions.json").json()["submissions"]) == (
        count
    )
    # The files are cached (hackqc.pagecache): these are the counts of a cold request.
    cache.clear()
    with django_assert_num_queries(10):
        client.get(f"/open-data/{edition.slug}/results.json")
    with django_assert_num_queries(10):
        client.get(f"/open-data/{edition.slug}/results.csv")
    cache.clear()
    with django_assert_num_queries(5):
        client.get(f"/open-data/{edition.slug}/submissions.json")
    with django_assert_num_queries(5):
        client.get(f"/open-data/{edition.slug}/submissions.csv")
    with django_assert_num_queries(2):
        client.get(f"/open-data/{edition.slug}/datasets.csv")
    with django_assert_num_queries(2):
        client.get(f"/open-data/{edition.slug}/datasets.json")
    with django_assert_num_queries(1):  # the edition: the file comes from the cache
        client.get(f"/open-data/{edition.slug}/datasets.csv")


def test_showcase_payload_for_a_winner_only(make_field, organizer, edition):
    field = make_field([9, 7])
    link = DatasetLinkFactory(submission=field.submissions[0])
    publish(field, organizer)
    payload = get_json(f"/open-data/{edition.slug}/showcases/{field.submissions[0].pk}.json")
    assert payload["package_ids"] == [str(link.dataset.ckan_id)]
    assert set(payload["showcase"]) == {"name", "title", "notes", "url", "image_url", "tags"}
    assert payload["showcase"]["title"] == field.submissions[0].title
    loser = f"/open-data/{edition.slug}/showcases/{field.submissions[1].pk}.json"
    assert Client().get(loser).status_code == 404


def test_index_lists_editions_and_their_files(make_field, organizer, edition):
    publish(make_field([9]), organizer)
    upcoming = EditionFactory(phase=Phase.REGISTRATION)
    document = get_json("/open-data/")
    files = {e["slug"]: [f.rsplit("/", 1)[1] for f in e["files"]] for e in document["editions"]}
    assert sorted(files[edition.slug]) == sorted(
        [
            "results.json",
            "results.csv",
            "submissions.json",
            "submissions.csv",
            "datasets.json",
            "datasets.csv",
            "results.xlsx",
            "submissions.xlsx",
            "datasets.xlsx",
        ]
    )
    assert files[upcoming.slug] == []


def test_openapi_is_valid_json_and_every_path_answers(make_field, organizer, edition):
    field = make_field([9])
    publish(field, organizer)
    response = Client().get("/open-data/openapi.json")
    document = json.loads(response.content)
    assert document == schema()
    assert document["openapi"].startswith("3.")
    documented = set(document["paths"])
    expected = {
        "/open-data/",
        "/open-data/openapi.json",
        "/open-data/{slug}/showcases/{id}.json",
    } | {
        f"/open-data/{{slug}}/{name}.{fmt}"
        for name in ("results", "submissions", "datasets")
        for fmt in ("json", "csv", "xlsx")
    }
    assert documented == expected
    for path in documented:
        url = path.replace("{slug}", edition.slug).replace("{id}", str(field.submissions[0].pk))
        assert Client().get(url).status_code == 200, url
    refs = set(re.findall(r'"#/components/schemas/(\w+)"', json.dumps(document)))
    assert refs <= set(document["components"]["schemas"])


def test_published_results_show_the_judged_version_not_later_edits(make_field, organizer, edition):
    from submissions.models import SubmissionVersion
    from submissions.snapshots import build_snapshot

    field = make_field([9])
    winner = field.submissions[0]
    winner.title = "Titre soumis"
    winner.save()
    SubmissionVersion.objects.create(
        submission=winner,
        number=1,
        data=build_snapshot(winner),
        submitted_at=edition.submissions_close - dt.timedelta(hours=1),
    )
    late = DatasetLinkFactory(submission=winner, dataset__title="Jeu lié trop tard")
    winner.title = "Brouillon jamais soumis"
    winner.logo.save("tardif.png", ContentFile(b"not judged"), save=False)
    winner.save()
    publish(field, organizer)

    document = get_json(f"/open-data/{edition.slug}/results.json")
    page = Client().get(reverse("results:detail", kwargs={"slug": edition.slug})).content.decode()

    submission = document["prizes"][0]["places"][0]["submission"]
    assert (submission["title"], submission["datasets"]) == ("Titre soumis", [])
    assert "Titre soumis" in page
    assert "Brouillon jamais soumis" not in page
    # Nor the dataset linked or the logo uploaded after the last submit.
    assert late.dataset.title not in page
    assert "tardif" not in page
