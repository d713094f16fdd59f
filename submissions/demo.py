"""Demo project sheets: HackQC 2026 teams submitted (with versions), HackQC 2027 drafts.

Idempotent: rows are found by fixed keys; dates are fixed, never relative to now.
"""

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

from django.db import transaction

from submissions.catalogue.models import Dataset, Organization, Portal
from teams.models import Membership, Registration, Team

from . import services
from .models import Library, Submission, Technology

MONTREAL = ZoneInfo("America/Montreal")
DEMO_NAMESPACE = uuid.UUID("6f1c3f5e-8a43-4d7e-9a39-3f0d2b8c4a10")

# (fallback team name, title, pitch, technologies, libraries), one per 2026 team in order;
# teams beyond this list keep a draft never submitted (not judged).
PROJECTS_2026 = [
    (
        "Les Castors numériques",
        "Vélo futé",
        "Trouver en un coup d'œil un support à vélo libre près de sa destination.",
        ["Python", "Django", "Leaflet"],
        [("Django", "5.2"), ("Leaflet", "1.9.4")],
    ),
    (
        "Bus à l'heure",
        "Prochain passage",
        "Les horaires réels du transport collectif, lisibles sur un vieux téléphone.",
        ["TypeScript", "React", "GTFS"],
        [("react", "18.3.1"), ("gtfs-realtime-bindings", "1.1.1")],
    ),
    (
        "Eau claire",
        "Baignade sûre",
        "La qualité de l'eau des plages publiques, avant de partir en famille.",
        ["Python", "FastAPI", "PostGIS"],
        [("fastapi", "0.115.0"), ("geopandas", "1.0.1")],
    ),
    (
        "Patrimoine vivant",
        "Balade patrimoniale",
        "Des circuits à pied entre les bâtiments patrimoniaux de son quartier.",
        ["Kotlin", "Android", "OpenStreetMap"],
        [("osmdroid", "6.1.20")],
    ),
    (
        "Air du temps",
        "Air pur",
        "La qualité de l'air de son quartier, heure par heure, et les jours à éviter.",
        ["Python", "Streamlit"],
        [("streamlit", "1.39.0"), ("pandas", "2.2.3")],
    ),
]
DRAFTS_2027 = ["Les Harfangs", "Code boréal"]
FALLBACK_DATASETS = [
    ("supports-velo-montreal", "Supports à vélo"),
    ("horaires-gtfs-stm", "Horaires planifiés GTFS de la STM"),
    ("qualite-eau-plages", "Qualité de l'eau des plages"),
    ("repertoire-patrimoine-culturel", "Répertoire du patrimoine culturel du Québec"),
    ("pistes-cyclables", "Pistes cyclables"),
    ("arrets-autobus", "Arrêts d'autobus"),
]


def seed(context):
    past, current = context["past_edition"], context["current_edition"]
    participants = context["participants"]
    datasets = _datasets(context)
    past_teams = list(context.get("past_teams") or []) or [
        _team(past, project[0], participants[index * 5 + 8 : index * 5 + 13])
        for index, project in enumerate(PROJECTS_2026)
    ]
    submitted = [
        _submitted_project(team, index, project, datasets)
        for index, (team, project) in enumerate(zip(past_teams, PROJECTS_2026, strict=False))
    ]
    for team in past_teams[len(PROJECTS_2026) :]:
        services.create_submission(team)
    current_teams = list(context.get("current_teams") or []) or [
        _team(current, name, participants[index * 4 : index * 4 + 4])
        for index, name in enumerate(DRAFTS_2027)
    ]
    drafts = [_draft(team) for team in current_teams]
    return {"submissions_2026": submitted, "submissions_2027": drafts}


def _datasets(context):
    """The catalogue demo's datasets when it ran, else existing ones, else a few of ours."""
    given = list(context.get("datasets") or [])
    if given:
        return given
    existing = list(Dataset.objects.order_by("name")[:6])
    if len(existing) >= 4:
        return existing
    portal, _created = Portal.objects.get_or_create(
        name="donnees-quebec",
        defaults={
            "title": "Données Québec",
            "api_url": "https://www.donneesquebec.ca/recherche/api/3/action/",
            "dataset_url_pattern": "https://www.donneesquebec.ca/recherche/dataset/{name}",
        },
    )
    organization, _created = Organization.objects.get_or_create(
        portal=portal,
        ckan_id="demo-ville-de-montreal",
        defaults={"name": "ville-de-montreal", "title": "Ville de Montréal"},
    )
    return [
        Dataset.objects.get_or_create(
            ckan_id=uuid.uuid5(DEMO_NAMESPACE, name),
            defaults={"portal": portal, "name": name, "title": title, "organization": organization},
        )[0]
        for name, title in FALLBACK_DATASETS
    ]


def _team(edition, name, members):
    team = Team.objects.filter(edition=edition, name=name).first()
    if team is None:
        team = Team.objects.create(edition=edition, name=name)
    for position, user in enumerate(members):
        Registration.objects.get_or_create(edition=edition, user=user)
        if not Membership.objects.filter(edition=edition, user=user).exists():
            Membership.objects.create(
                team=team,
                edition=edition,
                user=user,
                is_captain=position == 0 and not team.memberships.filter(is_captain=True).exists(),
            )
    return team


@transaction.atomic
def _submitted_project(team, index, project, datasets):
    _name, title, pitch, technologies, libraries = project
    submission = services.create_submission(team)
    if submission.versions.exists():
        return submission
    edition = team.edition
    challenge = team.challenge or edition.challenges.order_by("number").first()
    Submission.objects.filter(pk=submission.pk).update(
        title=title,
        pitch=pitch,
        challenge=challenge,
        description=f"**{title}** : {pitch}\n\n- données ouvertes\n- code libre",
        achievements="Un prototype fonctionnel, testé par dix personnes.",
        difficulties="Des coordonnées dans deux projections ; la carte a bien fonctionné.",
        lessons="Lire la documentation des jeux de données avant de coder.",
        next_steps="Publier l'application et l'ouvrir aux contributions.",
        repository_url=f"https://github.com/hackqc-demo/{team.pk}-{index}",
        licence="MIT" if index % 2 == 0 else "AGPL-3.0-or-later",
        state=Submission.State.SUBMITTED,
    )
    submission.refresh_from_db()
    submission.technologies.set(
        Technology.objects.get_or_create(name=tech)[0] for tech in technologies
    )
    for position, (library, version) in enumerate(libraries):
        Library.objects.get_or_create(
            submission=submission,
            name=library,
            defaults={"version": version, "position": position},
        )
    for position, dataset in enumerate([datasets[index % len(datasets)], datasets[-1]]):
        submission.dataset_links.get_or_create(
            dataset=dataset,
            defaults={"usage": "Affiché sur la carte, par quartier.", "position": position},
        )
    captain = team.memberships.order_by("-is_captain", "pk").select_related("user").first()
    _versions(submission, captain.user if captain else None)
    return submission


def _versions(submission, by):
    """Two versions, a day apart, before the 2026 deadline (2026-10-26 12:00); kept as they
    are when the demo runs again."""
    if submission.versions.exists():
        return
    services.store_versions(
        services.NewVersion(
            submission=submission,
            number=number,
            submitted_by=by,
            submitted_at=dt.datetime(2026, 10, day, 20, 0, tzinfo=MONTREAL),
            changes=changes,
        )
        for number, changes, day in ((1, {"pitch": "", "next_steps": ""}, 24), (2, {}, 25))
    )


def _draft(team):
    submission = services.create_submission(team)
    if not submission.title:
        Submission.objects.filter(pk=submission.pk).update(
            title=f"Projet de {team.name}", pitch="Une idée à préciser pendant le hackathon."
        )
    return submission
