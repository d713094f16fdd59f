import pytest

from submissions import services
from tests.factories.catalogue import DatasetFactory


@pytest.fixture
def sheet(team, participant, teammate):
    """The team's sheet (members: captain `participant` and `teammate`), empty draft."""
    return services.create_submission(team)


SHEET_VALUES = {
    "title": "Vélo futé",
    "pitch": "Trouver un support à vélo libre.",
    "description": "Une **carte** des supports à vélo.",
    "welcomes_members": True,
    "achievements": "Un prototype.",
    "difficulties": "Les coordonnées; la carte.",
    "lessons": "Valider les données tôt.",
    "next_steps": "Ajouter les pistes.",
    "repository_url": "https://github.com/castors/velo-fute",
    "licence": "MIT",
    "demo_url": "",
    "video_url": "",
}


@pytest.fixture
def dataset(db):
    return DatasetFactory(name="supports-a-velo", title="Supports à vélo")


@pytest.fixture
def complete_sheet(sheet, participant, dataset):
    """The sheet with every part the rules require, one dataset linked."""
    services.update_sheet(
        sheet,
        by=participant,
        lock_version=sheet.lock_version,
        technologies=["Python", "Leaflet"],
        libraries=[("Django", "5.2"), ("Leaflet", "1.9.4")],
        **SHEET_VALUES,
    )
    services.link_dataset(sheet, by=participant, dataset=dataset, usage="Les points sur la carte.")
    sheet.refresh_from_db()
    return sheet
