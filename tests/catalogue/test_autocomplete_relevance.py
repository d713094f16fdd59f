"""The sheet's dataset picker ranks by relevance: the exact name, then title matches, then
tag matches, then category matches, then the rest; accents and case never matter."""

import pytest
from django.urls import reverse

from tests.factories.catalogue import DatasetFactory, GroupFactory


def _titles(client, q):
    response = client.get(reverse("catalogue:autocomplete"), {"q": q})
    return [r["title"] for r in response.json()["results"]]


@pytest.mark.django_db
def test_title_matches_come_before_tags_before_categories(client):
    by_group = DatasetFactory(title="Parcs et espaces verts")
    by_group.groups.set([GroupFactory(title="Arbres urbains")])
    DatasetFactory(title="Inventaire forestier", tags=["arbres", "forêt"])
    DatasetFactory(title="Zonage", description="Mentionne les arbres en passant.")
    DatasetFactory(title="Arbres publics")
    DatasetFactory(title="Piscines")

    assert _titles(client, "ARBRES") == [
        "Arbres publics", "Inventaire forestier", "Parcs et espaces verts", "Zonage",
    ]  # fmt: skip


@pytest.mark.django_db
def test_every_word_must_match_and_accents_do_not_matter(client):
    DatasetFactory(title="Déneigement des rues", tags=["hiver"])
    DatasetFactory(title="Déneigement des trottoirs")

    assert _titles(client, "deneigement hiver") == ["Déneigement des rues"]
    assert _titles(client, "DÉNEIGEMENT") == ["Déneigement des rues", "Déneigement des trottoirs"]


@pytest.mark.django_db
def test_sheet_places_the_combobox_under_its_field_with_its_messages(client, team, participant):
    from submissions import services

    sheet = services.create_submission(team)
    client.force_login(participant)

    html = client.get(
        reverse("submissions:team_sheet", args=[sheet.edition.slug, sheet.team_id])
    ).content.decode()

    assert "submissions/dataset-autocomplete.js" in html
    assert 'data-msg-many="' in html
    assert 'data-listbox-label="' in html
