"""The demo editions and accounts, dated relative to the day the demo is first built.

Three editions, so that every role has live work whatever the day:

- the *past* edition (about a year ago): judged in two closed rounds, results published, each
  team's feedback readable;
- the edition being *judged*: submissions closed eight days ago, its preliminary round open
  for ten more days, the demo judges halfway through their reviews;
- the *current* edition: registration open for 45 more days, teams forming, sheets in draft.

Every date is a fixed number of days from the *anchor* (the day the demo was first built, in
America/Montreal) at a fixed hour, and every row is found again by a fixed key
(get_or_create): a second run the same day changes nothing. A run on a later day finds the
editions the first run built (`built_anchor`) and keeps their anchor, so it changes nothing
either: the demo ages (its round closes ten days after the anchor). For a demo dated today,
start from an empty database.
"""

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import CommandError
from django.utils import timezone

from .models import AgendaItem, Announcement, Challenge, Edition, EditionOrganizer, HostSite

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

CHALLENGES_PAST = [
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
CHALLENGES_JUDGING = [
    (
        1,
        "Îlots de chaleur et verdissement",
        "Ville de Montréal",
        "Repérer les rues et les cours d'école où planter en priorité pour rafraîchir les "
        "quartiers pendant les canicules.",
    ),
    (
        2,
        "Moins de déchets, mieux triés",
        "Ville de Sherbrooke",
        "Aider les ménages à suivre les collectes et à réduire ce qui part à l'enfouissement.",
    ),
    (
        3,
        "Électrification des déplacements",
        "Hydro-Québec",
        "Faciliter la recharge des véhicules électriques, à la maison comme sur la route.",
    ),
    (
        4,
        "Se déplacer l'hiver",
        "Ville de Québec",
        "Rendre les déplacements d'hiver plus sûrs grâce aux données de déneigement et "
        "aux conditions routières.",
    ),
]
CHALLENGES_CURRENT = [
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


ORGANIZER_EMAIL = "organizer@example.org"

# Days from the anchor and hour (America/Montreal) of each timeline date, per edition.
TIMELINES = {
    "past": {
        "registration_opens": (-444, 9),
        "registration_closes": (-389, 17),
        "hacking_starts": (-382, 18),
        "submissions_close": (-372, 12),
        "judging_ends": (-350, 17),
    },
    "judging": {
        "registration_opens": (-80, 9),
        "registration_closes": (-25, 17),
        "hacking_starts": (-18, 18),
        "submissions_close": (-8, 12),
        "judging_ends": (14, 17),
    },
    "current": {
        "registration_opens": (-20, 9),
        "registration_closes": (45, 17),
        "hacking_starts": (52, 18),
        "submissions_close": (62, 12),
        "judging_ends": (76, 17),
    },
}


@dataclass(frozen=True)
class Timeline:
    """The demo's calendar: `at(days, hour)` is that many days from the anchor, local time."""

    anchor: dt.date

    def at(self, days, hour=9, minute=0):
        day = self.anchor + dt.timedelta(days=days)
        return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=MONTREAL)

    @property
    def year(self):
        """The judged edition's year: the year its hacking started."""
        return self.dates("judging")["hacking_starts"].year

    def edition_year(self, role):
        return self.year + {"past": -1, "judging": 0, "current": 1}[role]

    def slug(self, role):
        return f"hackqc-{self.edition_year(role)}"

    def dates(self, role):
        return {name: self.at(*when) for name, when in TIMELINES[role].items()}


def _built(calendar):
    """Whether the database holds the three demo editions of this calendar."""
    return all(
        Edition.objects.filter(
            slug=calendar.slug(role),
            registration_opens=calendar.dates(role)["registration_opens"],
        ).exists()
        for role in TIMELINES
    )


def built_anchor():
    """The anchor of the demo already in the database, or None: the one whose three editions
    (slugs and opening dates) are there, found from the demo organizer's editions."""
    candidates = Edition.objects.filter(
        organizer_roles__user__email=ORGANIZER_EMAIL, slug__startswith="hackqc-"
    ).order_by("-registration_opens")
    days, _hour = TIMELINES["current"]["registration_opens"]
    for edition in candidates:
        opened = timezone.localtime(edition.registration_opens, MONTREAL)
        calendar = Timeline(opened.date() - dt.timedelta(days=days))
        if edition.slug == calendar.slug("current") and _built(calendar):
            return calendar.anchor
    return None


def timeline():
    """The demo's calendar: the one it was built with, else anchored today."""
    return Timeline(built_anchor() or timezone.localdate(timezone=MONTREAL))


def editions():
    """The demo editions in the database, by role ("past", "judging", "current"), for tests
    and tools; empty when the demo was never built."""
    anchor = built_anchor()
    if anchor is None:
        return {}
    calendar = Timeline(anchor)
    slugs = {role: calendar.slug(role) for role in TIMELINES}
    found = {e.slug: e for e in Edition.objects.filter(slug__in=slugs.values())}
    return {role: found[slug] for role, slug in slugs.items() if slug in found}


def french(text):
    """Québec typography for the demo's French: a no-break space before « : ; ! ? » and
    inside the guillemets."""
    text = re.sub(r" ([:;!?»])", "\u00a0\\1", text)
    return text.replace("« ", "«\u00a0")


def demo_user(email, display_name, password_hash=None, **extra):
    """A demo account with a verified address, so it can log in at once. `password_hash`
    (the demo password's, computed once for all the accounts) saves a slow hash per account."""
    from allauth.account.models import EmailAddress

    User = get_user_model()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, display_name=display_name, **extra)
        user.password = password_hash or make_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def seed_accounts():
    hashed = make_password(DEMO_PASSWORD)
    organizer = demo_user(ORGANIZER_EMAIL, "Organisation HackQC", hashed, is_staff=True)
    judges = [
        demo_user(f"judge{i}@example.org", f"Juge {FIRST_NAMES[-i]} {LAST_NAMES[-i]}", hashed)
        for i in range(1, JUDGES + 1)
    ]
    participants = [
        demo_user(
            f"participant{i}@example.org",
            f"{FIRST_NAMES[(i - 1) % len(FIRST_NAMES)]} {LAST_NAMES[(i - 1) % len(LAST_NAMES)]}",
            hashed,
        )
        for i in range(1, PARTICIPANTS + 1)
    ]
    return organizer, judges, participants


def _edition(slug, defaults, challenges, sites, organizer):
    defaults = {**defaults, "description": french(defaults["description"])}
    edition, _created = Edition.objects.get_or_create(slug=slug, defaults=defaults)
    for number, title, partner, description in challenges:
        Challenge.objects.get_or_create(
            edition=edition,
            number=number,
            defaults={"title": title, "partner": partner, "description": french(description)},
        )
    for name, city in sites:
        HostSite.objects.get_or_create(edition=edition, name=name, defaults={"city": city})
    EditionOrganizer.objects.get_or_create(
        edition=edition, user=organizer, defaults={"granted_at": defaults["registration_opens"]}
    )
    return edition


EDITIONS = {
    "past": (
        "Les données au service de la transition écologique",
        "Dix jours pour créer des applications utiles à partir des données ouvertes de "
        "Données Québec, puis une finale sur place à Rimouski. Les résultats sont publiés.",
        CHALLENGES_PAST,
        [
            ("Pôle de Montréal", "Montréal"),
            ("Pôle de Québec", "Québec"),
            ("Pôle de Rimouski", "Rimouski"),
        ],
    ),
    "judging": (
        "Des villes plus fraîches, plus propres et mieux branchées",
        "Les projets sont remis : le jury les évalue en ce moment, les résultats suivront.",
        CHALLENGES_JUDGING,
        [("Pôle de Québec", "Québec"), ("Pôle de Sherbrooke", "Sherbrooke")],
    ),
    "current": (
        "Des données ouvertes pour des milieux de vie sains et sécuritaires",
        "Inscriptions ouvertes : formez votre équipe et choisissez un défi.",
        CHALLENGES_CURRENT,
        [("Pôle de Sherbrooke", "Sherbrooke")],
    ),
}


def seed_editions(organizer, calendar):
    """The past, judged and current editions, dated from the calendar's anchor."""
    built = {}
    for role, (theme, description, challenges, sites) in EDITIONS.items():
        year = calendar.edition_year(role)
        built[role] = _edition(
            calendar.slug(role),
            {
                "year": year,
                "name": f"HackQC {year}",
                "theme": theme,
                "description": description,
                "status": Edition.Status.PUBLISHED,  # public at once, like a real edition
                **calendar.dates(role),
            },
            challenges,
            sites,
            organizer,
        )
        _agenda(built[role])
        _announcement(built[role], organizer)
    return built


def _announcement(edition, organizer):
    """A welcome sent to every participant and pinned on the edition page (the mails are
    not written: the demo's people were never mailed)."""
    Announcement.objects.get_or_create(
        edition=edition,
        subject_fr="Bienvenue au hackathon",
        defaults={
            "segment": "teams.participants",
            "body_fr": "Apportez votre portable et votre chargeur. **Le café est offert.**",
            "subject_en": "Welcome to the hackathon",
            "body_en": "Bring your laptop and its charger. **Coffee is on us.**",
            "author": organizer,
            "status": Announcement.Status.SENT,
            "created_at": edition.hacking_starts - dt.timedelta(days=2),
            "sent_at": edition.hacking_starts - dt.timedelta(days=2),
            "pinned": True,
            "pinned_at": edition.hacking_starts - dt.timedelta(days=2),
        },
    )


# (hours after hacking starts, length in hours, kind, title, at the first site only, room)
AGENDA = (
    (0, 1, "ceremony", "Ouverture et présentation des défis", False, ""),
    (2, 1.5, "workshop", "Atelier : l'API de Données Québec", True, "Salle B-204"),
    (4, 1, "meal", "Dîner", False, ""),
    (5, 2, "mentoring", "Mentorat : cartographie et géomatique", True, "Salle B-210"),
    (26, 3, "pitch", "Ordre de passage des pitchs", False, "Grand amphithéâtre"),
)


def _agenda(edition):
    site = edition.host_sites.order_by("name").first()
    for hours, length, kind, title, local, room in AGENDA:
        starts = edition.hacking_starts + dt.timedelta(hours=hours)
        AgendaItem.objects.get_or_create(
            edition=edition,
            title=title,
            defaults={
                "kind": kind,
                "starts_at": starts,
                "ends_at": starts + dt.timedelta(hours=length),
                "host_site": site if local else None,
                "location": room,
            },
        )


def seed():
    calendar = timeline()
    taken = [
        calendar.slug(role)
        for role in TIMELINES
        if Edition.objects.filter(slug=calendar.slug(role)).exists()
    ]
    if taken and not _built(calendar):
        # An older demo (fixed dates) or an organizer's own edition holds a demo slug.
        raise CommandError(
            f"Editions {', '.join(taken)} exist but are not this demo's: seed the demo into an "
            "empty database (rm db.sqlite3, or a new PostgreSQL database)."
        )
    organizer, judges, participants = seed_accounts()
    built = seed_editions(organizer, calendar)
    return {
        "timeline": calendar,
        "organizer": organizer,
        "judges": judges,
        "participants": participants,
        "past_edition": built["past"],
        "judging_edition": built["judging"],
        "current_edition": built["current"],
    }
