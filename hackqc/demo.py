"""The demo edition and accounts. Every function here is idempotent (get_or_create)."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from .models import Challenge, Edition, EditionOrganizer, HostSite

DEMO_PASSWORD = "hackqc-demo"  # noqa: S105 — local demo accounts, documented in the README
MONTREAL = ZoneInfo("America/Montreal")

FIRST_NAMES = [
    "Camille",
    "Léa",
    "Gabriel",
    "Olivier",
    "Emma",
    "Noah",
    "Alice",
    "William",
    "Chloé",
    "Thomas",
    "Florence",
    "Félix",
    "Rosalie",
    "Samuel",
    "Béatrice",
    "Jacob",
    "Zoé",
    "Liam",
    "Juliette",
    "Nathan",
    "Mia",
    "Arnaud",
    "Océane",
    "Mathis",
    "Maëlle",
    "Antoine",
    "Élodie",
    "Xavier",
    "Laurence",
    "Hugo",
    "Sofia",
    "Raphaël",
    "Maya",
    "Édouard",
    "Clara",
    "Louis",
]
LAST_NAMES = [
    "Tremblay",
    "Gagnon",
    "Roy",
    "Côté",
    "Bouchard",
    "Gauthier",
    "Morin",
    "Lavoie",
    "Fortin",
    "Gagné",
    "Ouellet",
    "Pelletier",
    "Bélanger",
    "Lévesque",
    "Bergeron",
    "Leblanc",
    "Paquette",
    "Girard",
    "Simard",
    "Boucher",
    "Caron",
    "Beaulieu",
    "Cloutier",
    "Dubé",
    "Poirier",
    "Fournier",
    "Lapointe",
    "Leclerc",
    "Lefebvre",
    "Poulin",
    "Thibault",
    "St-Pierre",
    "Nadeau",
    "Martin",
    "Landry",
    "Martel",
]
PARTICIPANTS = 36
JUDGES = 6

CHALLENGES_2026 = [
    (
        1,
        "Mobilité durable à Montréal",
        "Ville de Montréal",
        "Aider les citoyens à choisir le mode de transport le plus sobre grâce aux données "
        "ouvertes de circulation, de vélo en libre-service et de transport collectif.",
    ),
    (
        2,
        "Consommation d'électricité et pointes hivernales",
        "Hydro-Québec",
        "Visualiser et anticiper les pointes de consommation pour encourager l'effacement "
        "volontaire pendant les grands froids.",
    ),
    (
        3,
        "Qualité de l'air et santé",
        "Ministère de l'Environnement, de la Lutte contre les "
        "changements climatiques, de la Faune et des Parcs",
        "Rendre compréhensibles les indices de qualité de l'air et leurs liens avec la santé.",
    ),
    (
        4,
        "Patrimoine et tourisme à Québec",
        "Ville de Québec",
        "Faire découvrir le patrimoine bâti et les lieux culturels de la capitale à partir des "
        "répertoires ouverts.",
    ),
    (
        5,
        "Inondations et résilience des territoires",
        "Ministère de la Sécurité publique",
        "Informer les riverains des zones inondables et des niveaux d'eau en temps réel.",
    ),
]
CHALLENGES_2027 = [
    (
        1,
        "Sécurité routière près des écoles",
        "Ville de Laval",
        "Croiser collisions, débits et corridors scolaires pour proposer des aménagements.",
    ),
    (
        2,
        "Transition énergétique des bâtiments",
        "Hydro-Québec",
        "Repérer les bâtiments où la conversion énergétique aurait le plus d'effet.",
    ),
    (
        3,
        "Accès aux services de santé en région",
        "Ministère de la Santé et des Services sociaux",
        "Cartographier l'accès aux services de première ligne selon le territoire.",
    ),
]


def local(year, month, day, hour=9, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=MONTREAL)


def demo_user(email, display_name, **extra):
    """A demo account with a verified address, so it can log in at once."""
    from allauth.account.models import EmailAddress

    User = get_user_model()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=DEMO_PASSWORD, display_name=display_name, **extra
        )
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def seed_accounts():
    organizer = demo_user("organizer@example.org", "Organisation HackQC", is_staff=True)
    judges = [
        demo_user(f"judge{i}@example.org", f"Juge {FIRST_NAMES[-i]} {LAST_NAMES[-i]}")
        for i in range(1, JUDGES + 1)
    ]
    participants = [
        demo_user(
            f"participant{i}@example.org",
            f"{FIRST_NAMES[(i - 1) % len(FIRST_NAMES)]} {LAST_NAMES[(i - 1) % len(LAST_NAMES)]}",
        )
        for i in range(1, PARTICIPANTS + 1)
    ]
    return organizer, judges, participants


def _edition(slug, defaults, challenges, sites, organizer):
    edition, _created = Edition.objects.get_or_create(slug=slug, defaults=defaults)
    for number, title, partner, description in challenges:
        Challenge.objects.get_or_create(
            edition=edition,
            number=number,
            defaults={"title": title, "partner": partner, "description": description},
        )
    for name, city in sites:
        HostSite.objects.get_or_create(edition=edition, name=name, defaults={"city": city})
    EditionOrganizer.objects.get_or_create(edition=edition, user=organizer)
    return edition


def seed_editions(organizer):
    """HackQC 2026 (held this autumn, judged) and HackQC 2027 (registration open)."""
    past = _edition(
        "hackqc-2026",
        {
            "year": 2026,
            "name": "HackQC 2026",
            "theme": "Les données au service de la transition écologique",
            "description": (
                "Dix jours pour créer des applications utiles à partir des données ouvertes "
                "de Données Québec, puis une finale sur place à Rimouski."
            ),
            "registration_opens": local(2026, 8, 25),
            "registration_closes": local(2026, 10, 9, 17),
            "hacking_starts": local(2026, 10, 16, 18),
            "submissions_close": local(2026, 10, 26, 12),
            "judging_ends": local(2026, 11, 9, 17),
        },
        CHALLENGES_2026,
        [
            ("Pôle de Montréal", "Montréal"),
            ("Pôle de Québec", "Québec"),
            ("Pôle de Rimouski", "Rimouski"),
        ],
        organizer,
    )
    upcoming = _edition(
        "hackqc-2027",
        {
            "year": 2027,
            "name": "HackQC 2027",
            "theme": "Des données ouvertes pour des milieux de vie sains et sécuritaires",
            "description": "Inscriptions ouvertes : formez votre équipe et choisissez un défi.",
            "registration_opens": local(2026, 11, 16),
            "registration_closes": local(2027, 2, 12, 17),
            "hacking_starts": local(2027, 2, 19, 18),
            "submissions_close": local(2027, 2, 28, 12),
            "judging_ends": local(2027, 3, 14, 17),
        },
        CHALLENGES_2027,
        [("Pôle de Sherbrooke", "Sherbrooke")],
        organizer,
    )
    return past, upcoming


def seed():
    organizer, judges, participants = seed_accounts()
    past, upcoming = seed_editions(organizer)
    return {
        "organizer": organizer,
        "judges": judges,
        "participants": participants,
        "past_edition": past,
        "current_edition": upcoming,
    }
