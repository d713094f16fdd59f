"""Demo registrations and teams in every state. Idempotent: fixed values, get_or_create,
dates from the demo's calendar (`hackqc.demo.Timeline`).

Current edition (registration open): a full team, a team at the minimum, teams under it, a
team closed to new members, a pending join request, pending and expired invitations,
participants looking for a team (with and without consent), a mentor, a volunteer and a
dissolved team (only its log entry remains). The judged and the past editions (submissions
closed): seven and six frozen teams.
"""

from hackqc.demo import french

from .models import Invitation, JoinRequest, Membership, Registration, Skill, Team, TeamLog

RULES_VERSION = "2026-1"
SKILLS = ["Python", "JavaScript", "Cartographie", "Design UX", "Science des données", "Django"]
ORGANISATIONS = ["Université Laval", "Cégep de Rimouski", "Polytechnique Montréal", "Desjardins"]

# (name, challenge number or None, open, join code, member numbers, wanted skills)
CURRENT_TEAMS = [
    ("Les Castors du code", 1, True, "CASTRS27", range(1, 7), ["Design UX"]),
    ("Données en folie", 2, True, "FQLYE2K7", range(7, 11), ["Cartographie"]),
    ("Les Harfangs", 3, True, "HRFNG3K7", range(11, 13), ["Python", "Django"]),
    ("Équipe fermée", 2, False, "FRMEE4K7", range(13, 16), []),
    ("Carto Québec", None, True, "CRTQC5K7", range(16, 19), ["Science des données"]),
]
# (name, challenge number, member numbers): the judged edition's teams.
JUDGING_TEAMS = [
    ("Canopée", 1, range(1, 5)),
    ("Bac à bac", 2, range(5, 10)),
    ("Branché·e·s", 3, range(10, 14)),
    ("Tempête de code", 4, range(14, 19)),
    ("Fraîcheur urbaine", 1, range(19, 23)),
    ("Circuit court", 3, range(23, 27)),
    ("Les Flocons", 4, range(27, 30)),
]
PAST_TEAMS = [
    ("Mobilité verte", 1, range(1, 6)),
    ("Watt Else", 2, range(6, 11)),
    ("Air Pur", 3, range(11, 16)),
    ("Patrimoine+", 4, range(16, 21)),
    ("Crue Alerte", 5, range(21, 26)),
    ("Les Riverains", 5, range(26, 31)),
]


def _skills(names):
    return [
        Skill.objects.get_or_create(slug=n.lower().replace(" ", "-"), defaults={"name": n})[0]
        for n in names
    ]


def _register(edition, user, number, *, role="participant", looking=False, consent=True):
    registration, created = Registration.objects.get_or_create(
        edition=edition,
        user=user,
        defaults={
            "role": role,
            "organisation": ORGANISATIONS[number % len(ORGANISATIONS)],
            "participant_type": ("student", "professional", "other")[number % 3],
            "bio": f"Participant·e de démonstration nº {number}.",
            "looking_for_team": looking,
            "show_profile": consent,
            "rules_version": RULES_VERSION,
            "rules_accepted_at": edition.registration_opens,
            "created_at": edition.registration_opens,
        },
    )
    if created:
        registration.skills.set(
            _skills([SKILLS[number % len(SKILLS)], SKILLS[(number * 5) % len(SKILLS)]])
        )
    return registration


def _team(edition, name, number, *, is_open=True, code=None, members=(), people=(), skills=()):
    challenge = edition.challenges.filter(number=number).first() if number else None
    team, created = Team.objects.get_or_create(
        edition=edition,
        name=name,
        defaults={
            "challenge": challenge,
            "description": french(f"Équipe de démonstration « {name} »."),
            "is_open": is_open,
            "join_code": code,
            "created_at": edition.registration_opens,
        },
    )
    if created:
        team.wanted_skills.set(_skills(skills))
    for position, member in enumerate(members):
        user = people[member - 1]
        _register(edition, user, member)
        Membership.objects.get_or_create(
            edition=edition,
            user=user,
            defaults={
                "team": team,
                "is_captain": position == 0,
                "joined_at": edition.registration_opens,
            },
        )
    return team


def _current(edition, people, organizer, calendar):
    teams = [
        _team(
            edition,
            name,
            number,
            is_open=is_open,
            code=code,
            members=members,
            people=people,
            skills=skills,
        )
        for name, number, is_open, code, members, skills in CURRENT_TEAMS
    ]
    for number in range(19, 25):
        _register(edition, people[number - 1], number, looking=number != 24, consent=number != 23)
    _register(edition, people[24], 25, role="mentor")
    _register(edition, people[25], 26, role="volunteer")
    harfangs, captain = teams[2], people[10]
    JoinRequest.objects.get_or_create(
        team=harfangs,
        user=people[18],
        status=JoinRequest.Status.PENDING,
        defaults={"message": french("Je connais bien Django !"), "created_at": calendar.at(-3, 14)},
    )
    JoinRequest.objects.get_or_create(
        team=teams[1],
        user=people[19],
        status=JoinRequest.Status.DECLINED,
        defaults={
            "created_at": calendar.at(-6, 10),
            "decided_at": calendar.at(-5, 11),
            "decided_by": people[6],
        },
    )
    for token, email, expires in [
        ("demo-invitation-pending", "invitee@example.org", calendar.at(10, 17)),
        ("demo-invitation-expired", "late@example.org", calendar.at(-2, 17)),
    ]:
        Invitation.objects.get_or_create(
            token=token,
            defaults={
                "team": harfangs,
                "email": email,
                "invited_by": captain,
                "created_at": calendar.at(-9, 20),
                "expires_at": expires,
                "sent_at": calendar.at(-9, 20),
            },
        )
    TeamLog.objects.get_or_create(
        edition=edition,
        team_name="Les Éphémères",
        action=TeamLog.Action.DISSOLVED,
        defaults={"actor": organizer, "by_organizer": True, "created_at": calendar.at(-1, 16)},
    )
    return teams


def _frozen(edition, teams, people):
    return [
        _team(edition, name, number, is_open=False, members=members, people=people)
        for name, number, members in teams
    ]


def seed(context):
    people, organizer = context["participants"], context["organizer"]
    current_teams = _current(context["current_edition"], people, organizer, context["timeline"])
    return {
        "current_teams": current_teams,
        "judging_teams": _frozen(context["judging_edition"], JUDGING_TEAMS, people),
        "past_teams": _frozen(context["past_edition"], PAST_TEAMS, people),
    }
