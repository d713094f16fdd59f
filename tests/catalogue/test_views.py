import uuid

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from hackqc.celery import app as celery_app
from hackqc.models import Phase
from submissions.catalogue.models import Dataset, Format, Group, Licence, Organization, SyncRun
from submissions.models import DatasetLink, Submission
from tests.factories.catalogue import (
    DatasetFactory,
    FormatFactory,
    GroupFactory,
    LicenceFactory,
    OrganizationFactory,
    SyncRunFactory,
)
from tests.factories.core import EditionFactory
from tests.factories.submissions import DatasetLinkFactory, record_submitted_version

pytestmark = pytest.mark.django_db

SUBMITTED = Submission.State.SUBMITTED


def search(client, **params):
    response = client.get(reverse("catalogue:search"), params)
    return response, [d.title for d in response.context["datasets"]]


def reuse(dataset, *, edition=None, state=SUBMITTED, title="Projet"):
    """A project linking `dataset`; a submitted one has a version that lists it. Its
    edition's gallery is public unless `edition` says otherwise (reuses count from then)."""
    edition = edition or EditionFactory(phase=Phase.JUDGING)
    link = DatasetLinkFactory(
        dataset=dataset,
        submission__state=state,
        submission__title=title,
        submission__team__edition=edition,
    )
    if state != Submission.State.DRAFT:
        record_submitted_version(link.submission)
    return link


# Search


def test_search_finds_accented_words_without_accents(client):
    DatasetFactory(title="Consommation d'énergie des bâtiments")
    DatasetFactory(title="Pistes cyclables")

    _response, titles = search(client, q="energie")

    assert titles == ["Consommation d'énergie des bâtiments"]


def test_search_finds_words_typed_with_accents(client):
    DatasetFactory(title="Qualite de l'air", tags=["pollution"])
    DatasetFactory(title="Arbres publics")

    _response, titles = search(client, q="qualité")

    assert titles == ["Qualite de l'air"]


def test_search_matches_tags_and_organisation(client):
    DatasetFactory(title="Comptages", tags=["vélo"])
    DatasetFactory(title="Horaires", organization__title="Société de transport de Montréal")
    DatasetFactory(title="Autre chose")

    _response, by_tag = search(client, q="velo")
    _response, by_org = search(client, q="societe")

    assert (by_tag, by_org) == (["Comptages"], ["Horaires"])


@pytest.mark.postgres
def test_search_uses_french_full_text_on_postgresql(client):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL full-text search")
    DatasetFactory(title="Bornes de recharge électrique", description="Recharges rapides.")
    DatasetFactory(title="Électricité produite", description="Production par filière.")
    DatasetFactory(title="Parcs")

    _response, titles = search(client, q="electriques", sort="title")

    # French stemming: "électriques" matches "électrique", not "électricité".
    assert titles == ["Bornes de recharge électrique"]
    assert Dataset.objects.exclude(search_vector=None).count() == 3


def test_search_by_relevance_puts_title_matches_first_on_postgresql(client):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL full-text ranking")
    DatasetFactory(title="Arbres publics", description="Inventaire; comptage des vélos à côté.")
    DatasetFactory(title="Comptage des vélos sur les pistes cyclables")
    DatasetFactory(title="Aires protégées", description="Sans rapport.")

    _response, by_relevance = search(client, q="velos", sort="relevance")
    _response, by_title = search(client, q="velos", sort="title")

    assert by_relevance == ["Comptage des vélos sur les pistes cyclables", "Arbres publics"]
    assert by_title == ["Arbres publics", "Comptage des vélos sur les pistes cyclables"]


def test_search_filters_by_organisation_group_licence_and_format(client):
    org = OrganizationFactory(title="Ville de Laval")
    group = GroupFactory(title="Transport")
    licence = LicenceFactory()
    csv = FormatFactory(name="CSV")
    DatasetFactory(title="Le bon", organization=org, groups=[group], licence=licence, formats=[csv])
    DatasetFactory(title="Autre organisation", groups=[group], licence=licence, formats=[csv])
    DatasetFactory(title="Sans groupe", organization=org, licence=licence, formats=[csv])
    DatasetFactory(title="Sans licence", organization=org, groups=[group], formats=[csv])
    DatasetFactory(title="Sans CSV", organization=org, groups=[group], licence=licence)

    _response, titles = search(
        client, organization=org.pk, group=group.pk, licence=licence.pk, format="CSV"
    )

    assert titles == ["Le bon"]


def test_search_sorts_by_most_reused_counting_submitted_projects_only(client):
    popular = DatasetFactory(title="B populaire")
    reuse(popular)
    reuse(popular)
    drafts_only = DatasetFactory(title="A brouillons")
    reuse(drafts_only, state=Submission.State.DRAFT)
    reuse(drafts_only, state=Submission.State.DRAFT)
    reuse(drafts_only, state=Submission.State.DRAFT)
    DatasetFactory(title="C rien")

    response, titles = search(client, sort="reuses")

    assert titles == ["B populaire", "A brouillons", "C rien"]
    assert [d.reuse_count for d in response.context["datasets"]] == [2, 0, 0]


def test_search_hides_withdrawn_datasets_unless_asked(client):
    DatasetFactory(title="Actif")
    DatasetFactory(title="Retiré", state=Dataset.State.WITHDRAWN)

    _response, default = search(client)
    _response, everything = search(client, include_withdrawn="on", sort="title")

    assert (default, everything) == (["Actif"], ["Actif", "Retiré"])


def test_search_ignores_an_invalid_filter(client):
    DatasetFactory(title="Actif")

    response, titles = search(client, organization="not-a-number", sort="nonsense")

    assert titles == ["Actif"]
    assert "organization" in response.context["form"].errors


def test_search_paginates(client):
    for n in range(23):
        DatasetFactory(title=f"Jeu {n:02d}")

    response, titles = search(client, sort="title", page=2)

    assert titles == ["Jeu 20", "Jeu 21", "Jeu 22"]
    assert "Page 2 of 2" in response.content.decode() or "Page 2 sur 2" in response.content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_search_page_query_count_is_constant(client, django_assert_num_queries, count):
    csv = FormatFactory(name="CSV")
    for n in range(count):
        dataset = DatasetFactory(title=f"Énergie {n}", formats=[csv], licence=LicenceFactory())
        reuse(dataset)

    # The editions whose gallery is public (the key: reuse counts depend on it), count, page,
    # formats, then the filter choices: organisations, groups, licences, formats.
    with django_assert_num_queries(8):
        response = client.get(reverse("catalogue:search"), {"q": "energie", "sort": "reuses"})

    assert len(response.context["datasets"]) == count
    url = response.request["PATH_INFO"]
    with django_assert_num_queries(0):  # the editions and the page come from the cache
        cached = client.get(url, {"q": "energie", "sort": "reuses"})
    assert cached.content.decode().count("Énergie") == count


# Dataset page


def test_dataset_page_shows_metadata_licence_attribution_and_portal_link(client):
    dataset = DatasetFactory(
        title="Arbres publics",
        name="arbres",
        organization__title="Ville de Montréal",
        licence=LicenceFactory(),
        resources=[
            {"id": "r1", "name": "Arbres (CSV)", "format": "CSV", "url": "https://x.test/a.csv"}
        ],
    )

    response = client.get(dataset.get_absolute_url())

    html = response.content.decode()
    assert "Arbres publics" in html
    assert 'href="https://www.donneesquebec.ca/recherche/dataset/arbres"' in html
    assert "Creative Commons Attribution 4.0 (CC BY 4.0)" in html
    assert "Ville de Montréal" in html
    assert "https://x.test/a.csv" in html


def test_dataset_page_lists_submitted_reuses_with_team_and_edition(client):
    dataset = DatasetFactory()
    edition = EditionFactory(name="HackQC 2031", phase=Phase.JUDGING)
    shown = reuse(dataset, edition=edition, title="Carte des arbres")
    reuse(dataset, edition=edition, state=Submission.State.DRAFT, title="Brouillon secret")
    reuse(dataset, edition=edition, state=Submission.State.DISQUALIFIED, title="Disqualifié")

    response = client.get(dataset.get_absolute_url())

    assert [link.pk for link in response.context["reuses"]] == [shown.pk]
    html = response.content.decode()
    assert "Carte des arbres" in html
    assert shown.submission.team.name in html
    assert "HackQC 2031" in html
    assert "Brouillon secret" not in html


def test_dataset_page_shows_the_judged_versions_title_and_usage(client):
    """Issue 11: text saved after the last submit is not public, here as on the project."""
    dataset = DatasetFactory()
    link = reuse(dataset, edition=EditionFactory(phase=Phase.JUDGING), title="Carte soumise")
    DatasetLink.objects.filter(pk=link.pk).update(usage="Ajouté après la remise")
    Submission.objects.filter(pk=link.submission_id).update(title="Titre changé depuis")
    judged_usage = link.submission.versions.get().data["datasets"][0]["usage"]

    html = client.get(dataset.get_absolute_url()).content.decode()

    assert "Carte soumise" in html
    assert judged_usage in html
    assert "Ajouté après la remise" not in html
    assert "Titre changé depuis" not in html


def test_dataset_page_hides_reuses_until_the_gallery_is_public(client):
    dataset = DatasetFactory()
    hacking = EditionFactory(phase=Phase.HACKING)
    reuse(dataset, edition=hacking, title="Pas encore public")
    early = EditionFactory(phase=Phase.HACKING, gallery_open_early=True)
    shown = reuse(dataset, edition=early, title="Galerie ouverte tôt")

    response = client.get(dataset.get_absolute_url())

    assert [link.pk for link in response.context["reuses"]] == [shown.pk]
    html = response.content.decode()
    assert "Pas encore public" not in html
    project_url = reverse("submissions:project", args=[early.slug, shown.submission.team_id])
    assert project_url in html


def test_dataset_page_marks_a_withdrawn_dataset(client):
    dataset = DatasetFactory(state=Dataset.State.WITHDRAWN)

    response = client.get(dataset.get_absolute_url())

    assert response.context["dataset"].is_withdrawn
    assert "alert-warning" in response.content.decode()


def test_dataset_page_unknown_is_404(client):
    response = client.get(
        reverse("catalogue:detail", kwargs={"portal": "donnees-quebec", "name": "nope"})
    )

    assert response.status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_dataset_page_query_count_is_constant(client, django_assert_num_queries, count):
    dataset = DatasetFactory(groups=[GroupFactory()], formats=[FormatFactory()])
    for _n in range(count):
        reuse(dataset, edition=EditionFactory(phase=Phase.JUDGING))

    # dataset, groups, formats, reuses, and the judged versions they are read from (two).
    with django_assert_num_queries(6):
        response = client.get(dataset.get_absolute_url())

    assert len(response.context["reuses"]) == count


# Autocomplete


def autocomplete(client, q):
    response = client.get(reverse("catalogue:autocomplete"), {"q": q})
    assert response["Content-Type"] == "application/json"
    return response.json()["results"]


def test_autocomplete_by_title_without_accents(client):
    dataset = DatasetFactory(title="Déneigement des rues", organization__title="Ville de Laval")
    DatasetFactory(title="Piscines")

    results = autocomplete(client, "deneigement")

    assert results == [
        {
            "id": dataset.pk,
            "ckan_id": str(dataset.ckan_id),
            "name": dataset.name,
            "title": "Déneigement des rues",
            "organization": "Ville de Laval",
            "state": "active",
            "url": f"https://www.donneesquebec.ca/recherche/dataset/{dataset.name}",
        }
    ]


def test_autocomplete_by_name_and_uuid(client):
    dataset = DatasetFactory(name="collisions-routieres")
    DatasetFactory()

    by_name = autocomplete(client, "collisions-routieres")
    by_uuid = autocomplete(client, str(dataset.ckan_id))

    assert [r["id"] for r in by_name] == [r["id"] for r in by_uuid] == [dataset.pk]


def test_autocomplete_puts_the_exact_name_first(client):
    exact = DatasetFactory(name="arbres", title="Zones arborées")
    DatasetFactory(name="arbres-remarquables", title="Arbres remarquables")

    results = autocomplete(client, "arbres")

    assert [r["name"] for r in results] == ["arbres", "arbres-remarquables"]
    assert results[0]["id"] == exact.pk


def test_autocomplete_by_pasted_dataset_url(client):
    dataset = DatasetFactory(name="velos-comptage")
    DatasetFactory(name="velos-comptage-2020")

    results = autocomplete(
        client, "https://www.donneesquebec.ca/recherche/dataset/velos-comptage?foo=1"
    )

    assert [r["id"] for r in results] == [dataset.pk]


def test_autocomplete_by_pasted_resource_url(client):
    resource = str(uuid.uuid4())
    dataset = DatasetFactory(resources=[{"id": resource, "name": "CSV", "format": "CSV"}])
    DatasetFactory(resources=[{"id": str(uuid.uuid4()), "name": "CSV", "format": "CSV"}])

    results = autocomplete(client, f"https://www.donneesquebec.ca/recherche/resource/{resource}")

    assert [r["id"] for r in results] == [dataset.pk]


def test_autocomplete_shows_withdrawn_state_and_caps_results(client):
    for n in range(25):
        DatasetFactory(title=f"Transport {n}")
    DatasetFactory(title="Transport retiré", state=Dataset.State.WITHDRAWN)

    results = autocomplete(client, "transport")

    assert len(results) == 20
    assert autocomplete(client, "retire")[0]["state"] == "withdrawn"


def test_autocomplete_empty_or_unknown_url_finds_nothing(client):
    DatasetFactory()

    assert autocomplete(client, "") == []
    assert autocomplete(client, "https://example.org/nothing") == []


# Reuse statistics


def test_stats_rank_datasets_and_organisations_per_edition_and_overall(client):
    old = EditionFactory(slug="hackqc-2030", phase=Phase.RESULTS)
    new = EditionFactory(slug="hackqc-2031", phase=Phase.JUDGING)
    city = OrganizationFactory(title="Ville de Québec")
    trees = DatasetFactory(title="Arbres", organization=city)
    bikes = DatasetFactory(title="Vélos", organization=city)
    air = DatasetFactory(title="Air")
    reuse(trees, edition=old)
    reuse(trees, edition=new)
    reuse(bikes, edition=new)
    reuse(air, edition=new)
    reuse(air, edition=new)
    reuse(air, edition=new, state=Submission.State.DRAFT)

    overall = client.get(reverse("catalogue:stats")).context
    per_edition = client.get(reverse("catalogue:stats"), {"edition": "hackqc-2030"}).context

    assert [(d.title, n) for d, n in overall["top_datasets"]] == [
        ("Air", 2),
        ("Arbres", 2),
        ("Vélos", 1),
    ]
    assert [(o["title"], o["reuses"], o["datasets"]) for o in overall["top_organizations"]] == [
        ("Ville de Québec", 3, 2),
        (air.organization.title, 2, 1),
    ]
    assert overall["totals"] == {"projects": 5, "datasets": 3}
    assert [(d.title, n) for d, n in per_edition["top_datasets"]] == [("Arbres", 1)]


@pytest.mark.parametrize("count", [1, 3])
def test_stats_page_query_count_is_constant(client, django_assert_num_queries, count):
    for _n in range(count):
        reuse(DatasetFactory())

    # editions (selector), top datasets, their rows, organisations, totals.
    with django_assert_num_queries(5):
        response = client.get(reverse("catalogue:stats"))

    assert len(response.context["top_datasets"]) == count


# Organizer sync page


def test_sync_page_anonymous_is_redirected_to_login(client):
    response = client.get(reverse("catalogue:sync"))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize("persona", ["participant", "outsider", "judge", "registered"])
def test_sync_page_refuses_non_organizers(client, request, persona):
    SyncRunFactory()
    client.force_login(request.getfixturevalue(persona))

    get = client.get(reverse("catalogue:sync"))
    post = client.post(reverse("catalogue:sync"), {"portal": 1})
    run = client.get(reverse("catalogue:sync_run", kwargs={"pk": SyncRun.objects.get().pk}))

    assert (get.status_code, post.status_code, run.status_code) == (403, 403, 403)
    assert SyncRun.objects.count() == 1


@pytest.mark.parametrize("persona", ["organizer", "other_organizer", "staff"])
def test_sync_page_shows_the_last_runs_to_organizers(client, request, persona):
    SyncRunFactory(status=SyncRun.Status.SUCCEEDED, created=7, updated=2, withdrawn=1)
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("catalogue:sync"))

    assert response.status_code == 200
    assert [run.created for run in response.context["runs"]] == [7]


@pytest.mark.parametrize("count", [1, 3])
def test_sync_page_query_count_is_constant(client, staff, django_assert_num_queries, count):
    for _n in range(count):
        SyncRunFactory(started_by=staff, status=SyncRun.Status.SUCCEEDED)
    client.force_login(staff)

    # session, user, menu roles, default portal, portal choices, runs.
    with django_assert_num_queries(6):
        response = client.get(reverse("catalogue:sync"))

    assert len(response.context["runs"]) == count


def test_sync_page_starts_a_sync_and_shows_its_result(
    client, organizer, portal, django_capture_on_commit_callbacks, monkeypatch
):
    # Runs in-process even when the suite runs with a broker.
    monkeypatch.setattr(celery_app.conf, "task_always_eager", True)
    client.force_login(organizer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("catalogue:sync"), {"portal": portal.pk, "full": "on"})

    run = SyncRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("catalogue:sync_run", kwargs={"pk": run.pk})
    assert (run.status, run.trigger, run.started_by, run.full) == (
        "succeeded",
        "site",
        organizer,
        True,
    )
    assert (run.created, run.skipped, run.fetched, run.total) == (11, 1, 12, 12)
    page = client.get(response["Location"])
    assert "jeu-sans-titre" in page.content.decode()
    assert page.context["run"].percent == 100


def test_sync_page_refuses_a_second_run_while_one_is_under_way(client, organizer, portal):
    SyncRunFactory(portal=portal, status=SyncRun.Status.RUNNING)
    client.force_login(organizer)

    response = client.post(reverse("catalogue:sync"), {"portal": portal.pk})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert SyncRun.objects.count() == 1


def test_sync_run_page_unknown_is_404(client, organizer):
    client.force_login(organizer)

    assert client.get(reverse("catalogue:sync_run", kwargs={"pk": 999})).status_code == 404


# Demo


def catalogue_rows():
    return [
        sorted(Dataset.objects.values_list("ckan_id", "name", "title", "checksum", "state")),
        sorted(Organization.objects.values_list("pk", "name", "title")),
        sorted(Licence.objects.values_list("pk", "ckan_id", "title")),
        sorted(Group.objects.values_list("pk", "name", "title")),
        sorted(Format.objects.values_list("pk", "name")),
        sorted(Dataset.groups.through.objects.values_list("dataset_id", "group_id")),
        sorted(Dataset.formats.through.objects.values_list("dataset_id", "format_id")),
    ]


def test_seed_demo_twice_changes_nothing():
    call_command("seed_demo", stdout=None)
    first = catalogue_rows()

    call_command("seed_demo", stdout=None)

    assert len(first[0]) >= 50
    assert catalogue_rows() == first
    assert Dataset.objects.filter(organization__title="Hydro-Québec").exists()


@pytest.mark.parametrize("count", [1, 3])
def test_a_search_by_relevance_counts_the_reuses_of_the_page_only(
    client, django_assert_num_queries, count
):
    for n in range(count):
        reuse(DatasetFactory(title=f"Énergie {n}"))
    DatasetFactory(title="Énergie sans réutilisation")

    # As sorted by reuses, plus one grouped count over the links of the page's datasets.
    with django_assert_num_queries(9):
        response = client.get(reverse("catalogue:search"), {"q": "energie", "sort": "title"})

    counts = {d.title: d.reuse_count for d in response.context["datasets"]}
    assert counts == {**{f"Énergie {n}": 1 for n in range(count)}, "Énergie sans réutilisation": 0}
