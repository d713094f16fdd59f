"""Demo project sheets: the past and the judged editions' teams submitted (two versions
each) a project that fits their challenge and reuses datasets of the demo catalogue; one team
of each never submitted; the current edition's teams have drafts.

Idempotent: rows are found by their team; dates come from the edition's own deadline.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from hackqc.demo import MONTREAL, french
from submissions.catalogue.models import Dataset

from . import services
from .models import Library, Submission, Technology


@dataclass(frozen=True)
class Project:
    title: str
    pitch: str
    description: str
    achievements: str
    difficulties: str
    next_steps: str
    technologies: tuple
    libraries: tuple
    # (dataset name in the demo catalogue, how the project uses it)
    datasets: tuple


# By team name (teams.demo). A team of a closed edition without a project here keeps a
# draft it never submitted.
PROJECTS = {
    # The past edition.
    "Mobilité verte": Project(
        "Vélo futé",
        "Trouver l'itinéraire cyclable le plus sûr et le plus fréquenté vers sa destination.",
        "Une carte des pistes cyclables colorée selon l'achalandage mesuré par les compteurs, "
        "avec les arrêts de bus à proximité pour finir le trajet en transport collectif.",
        "Un calculateur d'itinéraire testé par douze cyclistes de Rosemont.",
        "Les compteurs n'ont pas tous le même historique ; il a fallu normaliser par saison.",
        "Ajouter l'état du déneigement des pistes quatre saisons.",
        ("Python", "Django", "Leaflet"),
        (("Django", "5.2"), ("Leaflet", "1.9.4")),
        (
            ("velos-comptage", "Achalandage de chaque tronçon, par heure."),
            ("reseau-cyclable", "Le tracé des pistes et leur type de protection."),
            ("stm-arrets-lignes", "Les arrêts de bus à moins de 300 m de l'arrivée."),
        ),
    ),
    "Watt Else": Project(
        "Pointe futée",
        "Prévenir les ménages la veille d'une pointe hivernale et mesurer leur effacement.",
        "Un tableau de bord de la demande d'électricité heure par heure, qui prédit les "
        "pointes des grands froids et propose des gestes simples pour les éviter.",
        "Une prédiction des pointes à 24 heures, juste à 6 % près sur l'hiver dernier.",
        "La production et la demande ne sont pas publiées au même pas de temps.",
        "Envoyer les alertes par texto avec l'accord des ménages.",
        ("Python", "Streamlit", "scikit-learn"),
        (("streamlit", "1.39.0"), ("scikit-learn", "1.5.2")),
        (
            ("historique-de-la-demande-d-electricite-au-quebec", "Entraîne la prédiction."),
            ("production-d-electricite-au-quebec", "Compare la demande à la production."),
            ("pannes-et-interruptions-de-service", "Repère les pannes pendant les pointes."),
        ),
    ),
    "Air Pur": Project(
        "Souffle",
        "La qualité de l'air de son quartier, heure par heure, et les jours à éviter.",
        "Une application mobile qui traduit l'indice de la qualité de l'air en conseils "
        "concrets pour les personnes asthmatiques, avec les parcs les plus proches.",
        "Des notifications adaptées à la sensibilité de chaque personne.",
        "Les stations de mesure sont rares hors de Montréal : il a fallu interpoler.",
        "Valider les conseils avec une pneumologue.",
        ("Kotlin", "Android"),
        (("retrofit", "2.11.0"), ("osmdroid", "6.1.20")),
        (
            ("rsqa-indice-qualite-air", "L'indice par station à Montréal."),
            ("indice-de-la-qualite-de-l-air", "L'indice ailleurs au Québec."),
            ("grands-parcs-parcs-d-arrondissements-et-espaces-publics", "Les parcs où respirer."),
        ),
    ),
    "Patrimoine+": Project(
        "Balade patrimoniale",
        "Des circuits à pied entre les bâtiments patrimoniaux de la capitale.",
        "Des balades d'une heure générées selon ses intérêts (architecture, religion, "
        "industrie), qui passent par les parcs et finissent près d'un stationnement.",
        "Huit circuits prêts, audio compris, et un mode hors ligne.",
        "Les fiches du patrimoine bâti n'ont pas toutes des coordonnées précises.",
        "Traduire les circuits en anglais et en espagnol.",
        ("TypeScript", "Vue", "OpenStreetMap"),
        (("vue", "3.5.12"), ("maplibre-gl", "4.7.1")),
        (
            ("vque_3", "Les bâtiments et lieux patrimoniaux de chaque circuit."),
            ("vque_6", "Les pauses dans les parcs."),
            ("vque_4", "Le stationnement le plus proche de l'arrivée."),
        ),
    ),
    "Crue Alerte": Project(
        "Crue Alerte",
        "Savoir si sa rue est en zone inondable et être prévenu quand la rivière monte.",
        "Une carte des zones inondables croisée avec les niveaux d'eau en temps réel, qui "
        "envoie une alerte aux riverains inscrits dès qu'un seuil est dépassé.",
        "Des alertes testées avec les données de la crue printanière de l'an dernier.",
        "Les seuils d'alerte varient d'une station à l'autre et ne sont pas publiés.",
        "Proposer l'outil aux municipalités riveraines de la Chaudière.",
        ("Python", "FastAPI", "PostGIS"),
        (("fastapi", "0.115.0"), ("geopandas", "1.0.1")),
        (
            ("zones-inondables", "Le polygone inondable qui contient l'adresse."),
            ("niveaux-et-debits-d-eau", "Les niveaux mesurés toutes les 15 minutes."),
            ("evenements-de-securite-civile", "Les avis officiels en cours."),
        ),
    ),
    # The judged edition.
    "Canopée": Project(
        "Canopée",
        "Choisir où planter les prochains arbres pour rafraîchir les rues les plus chaudes.",
        "Une carte de l'ombre manquante : chaque tronçon de rue reçoit une note qui croise "
        "l'absence d'arbres, la densité de population et l'éloignement des parcs.",
        "Un classement des 200 rues à verdir en priorité, exportable pour les arrondissements.",
        "L'inventaire des arbres ne couvre pas les terrains privés.",
        "Ajouter les températures de surface mesurées par satellite.",
        ("Python", "GeoPandas", "Leaflet"),
        (("geopandas", "1.0.1"), ("Leaflet", "1.9.4")),
        (
            ("arbres", "Les arbres publics existants, rue par rue."),
            ("grands-parcs-parcs-d-arrondissements-et-espaces-publics", "La distance au parc."),
            ("estimations-de-la-population", "Le nombre de personnes touchées."),
        ),
    ),
    "Bac à bac": Project(
        "Bac à bac",
        "Ne plus jamais oublier la collecte et savoir dans quel bac va chaque objet.",
        "Un assistant qui donne le calendrier des collectes de son adresse et répond à « où "
        "va ce pot de yogourt ? », pour Sherbrooke et Québec.",
        "Un rappel la veille de chaque collecte et un moteur de tri de 600 objets.",
        "Les deux villes ne découpent pas leurs secteurs de collecte de la même façon.",
        "Mesurer avec la Ville la baisse des déchets mal triés.",
        ("JavaScript", "Svelte"),
        (("svelte", "5.1.9"), ("date-fns", "4.1.0")),
        (
            ("sherbrooke-collectes", "Le calendrier de Sherbrooke."),
            ("vque_5", "Le calendrier de Québec."),
            ("adresses-quebec", "Trouver le secteur de collecte d'une adresse."),
        ),
    ),
    "Branché·e·s": Project(
        "Prochaine borne",
        "La borne de recharge libre la plus proche, selon l'autonomie qui reste.",
        "Une application qui réunit les bornes du Circuit électrique et celles de la Ville, "
        "et propose un arrêt de recharge sur le trajet sans détour inutile.",
        "Un itinéraire avec recharge calculé en moins d'une seconde.",
        "Les deux répertoires de bornes décrivent différemment la puissance.",
        "Afficher la disponibilité en temps réel quand elle sera publiée.",
        ("TypeScript", "React Native"),
        (("react-native", "0.76.1"), ("turf", "7.1.0")),
        (
            ("bornes-du-circuit-electrique", "Les bornes sur les routes du Québec."),
            ("bornes-recharge-publiques", "Les bornes municipales de Montréal."),
            ("debits-de-circulation", "Éviter les tronçons congestionnés."),
        ),
    ),
    "Tempête de code": Project(
        "Après la tempête",
        "Savoir quand sa rue sera déneigée et quelles routes éviter ce matin.",
        "Un fil d'actualité de la tempête : opérations de déneigement en cours dans son "
        "quartier, conditions routières et chantiers sur le trajet habituel.",
        "Une alerte « déplacez votre voiture » envoyée avant le passage de la souffleuse.",
        "Les opérations de déneigement changent d'heure en heure ; il a fallu les mettre en cache.",
        "Étendre l'outil à Lévis et à Longueuil.",
        ("Python", "Django", "HTMX"),
        (("Django", "5.2"), ("django-htmx", "1.21.0")),
        (
            ("vque_7", "Les opérations de déneigement en cours."),
            ("conditions-routieres-quebec-511", "L'état des routes sur le trajet."),
            ("chantiers-routiers", "Les entraves à contourner."),
        ),
    ),
    "Fraîcheur urbaine": Project(
        "Oasis",
        "Les lieux frais et gratuits les plus proches pendant une canicule.",
        "Un guide des piscines, jeux d'eau, parcs ombragés et lieux culturels climatisés, "
        "pensé pour les personnes âgées et les familles sans climatiseur.",
        "Une version imprimable distribuée par deux organismes communautaires.",
        "Les horaires des piscines ne sont pas dans les données ouvertes.",
        "Ajouter les alertes de chaleur extrême de Santé Montréal.",
        ("PHP", "Laravel"),
        (("laravel/framework", "11.30.0"),),
        (
            ("piscines-municipales", "Les piscines et jeux d'eau."),
            ("lieux-culturels", "Les bibliothèques et lieux culturels climatisés."),
            ("arbres", "L'ombre des arbres autour de chaque lieu."),
        ),
    ),
    "Circuit court": Project(
        "Recharge partagée",
        "Partager sa borne de recharge résidentielle avec les voisins, aux heures creuses.",
        "Une plateforme de voisinage qui propose les heures de recharge où le réseau est le "
        "moins sollicité, à partir de l'historique de la demande.",
        "Un prototype de réservation testé dans une coopérative d'habitation.",
        "Les heures de pointe changent selon la météo ; le modèle reste simple.",
        "Étudier l'assurance et la facturation entre voisins.",
        ("Ruby", "Rails"),
        (("rails", "7.2.1"),),
        (
            ("historique-de-la-demande-d-electricite-au-quebec", "Les heures creuses."),
            ("bornes-recharge-publiques", "Les bornes publiques en dépannage."),
        ),
    ),
    # The current edition: drafts only (registration open).
    "Les Castors du code": Project(
        "Trajet d'école",
        "Des trajets plus sûrs vers l'école, tracés avec les parents.",
        "",
        "",
        "",
        "",
        (),
        (),
        (("laval-corridors-scolaires", "Les corridors existants."),),
    ),
    "Données en folie": Project(
        "Thermostat collectif",
        "Les bâtiments dont la conversion énergétique aurait le plus d'effet.",
        "",
        "",
        "",
        "",
        (),
        (),
        (),
    ),
    "Les Harfangs": Project(
        "Urgences à proximité",
        "Le temps d'attente réel jusqu'aux soins, trajet compris.",
        "",
        "",
        "",
        "",
        (),
        (),
        (("temps-d-attente-aux-urgences", "L'attente dans chaque urgence."),),
    ),
}


def seed(context):
    datasets = _datasets(context)
    submitted = {}
    for role in ("past", "judging"):
        teams = context.get(f"{role}_teams") or []
        submitted[role] = [
            _submitted_project(team, index, PROJECTS[team.name], datasets)
            for index, team in enumerate(teams)
            if team.name in PROJECTS
        ]
        for team in teams:
            if team.name not in PROJECTS:
                _draft(team, None, datasets)
    drafts = [
        _draft(team, PROJECTS.get(team.name), datasets)
        for team in context.get("current_teams") or []
    ]
    return {
        "submissions_past": submitted["past"],
        "submissions_judging": submitted["judging"],
        "submissions_current": drafts,
    }


def _datasets(context):
    """By name: the catalogue demo's datasets when it ran, else those in the database."""
    given = list(context.get("datasets") or []) or Dataset.objects.all()
    return {dataset.name: dataset for dataset in given}


def _link(submission, project, datasets):
    for position, (name, usage) in enumerate(project.datasets):
        if name in datasets:
            submission.dataset_links.get_or_create(
                dataset=datasets[name], defaults={"usage": french(usage), "position": position}
            )


@transaction.atomic
def _submitted_project(team, index, project, datasets):
    submission = services.create_submission(team)
    if submission.versions.exists():
        return submission
    edition = team.edition
    challenge = team.challenge or edition.challenges.order_by("number").first()
    Submission.objects.filter(pk=submission.pk).update(
        title=project.title,
        pitch=french(project.pitch),
        challenge=challenge,
        description=french(
            f"## {project.title}\n\n{project.description}\n\n"
            f"Défi {challenge.number} : {challenge.title}."
        ),
        achievements=french(project.achievements),
        difficulties=french(project.difficulties),
        lessons="Lire la documentation des jeux de données avant d'écrire la première ligne.",
        next_steps=french(project.next_steps),
        repository_url=f"https://github.com/hackqc-demo/{edition.slug}-{index + 1}",
        licence="MIT" if index % 2 == 0 else "AGPL-3.0-or-later",
        state=Submission.State.SUBMITTED,
    )
    submission.refresh_from_db()
    submission.technologies.set(
        Technology.objects.get_or_create(name=tech)[0] for tech in project.technologies
    )
    for position, (library, version) in enumerate(project.libraries):
        Library.objects.get_or_create(
            submission=submission,
            name=library,
            defaults={"version": version, "position": position},
        )
    _link(submission, project, datasets)
    captain = team.memberships.order_by("-is_captain", "pk").select_related("user").first()
    _versions(submission, captain.user if captain else None)
    return submission


def _versions(submission, by):
    """Two versions, two days and one day before the edition's deadline, at 20:00; kept as
    they are when the demo runs again."""
    if submission.versions.exists():
        return
    deadline = timezone.localtime(submission.edition.submissions_close, MONTREAL)
    times = [(deadline - dt.timedelta(days=days)).replace(hour=20, minute=0) for days in (2, 1)]
    services.store_versions(
        services.NewVersion(
            submission=submission,
            number=number,
            submitted_by=by,
            submitted_at=at,
            changes=changes,
        )
        for number, changes, at in (
            (1, {"pitch": "", "next_steps": ""}, times[0]),
            (2, {}, times[1]),
        )
    )
    # Last changed when last submitted: the sheet holds what version 2 holds.
    Submission.objects.filter(pk=submission.pk).update(
        created_at=submission.edition.hacking_starts, updated_at=times[1]
    )


def _draft(team, project, datasets):
    submission = services.create_submission(team)
    if not submission.title:
        Submission.objects.filter(pk=submission.pk).update(
            title=project.title if project else french(f"Projet de l'équipe « {team.name} »"),
            pitch=french(project.pitch) if project else "Une idée à préciser.",
            created_at=team.created_at,
            updated_at=team.created_at,
        )
        if project:
            _link(submission, project, datasets)
    return submission
