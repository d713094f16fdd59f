"""Times the team board and the organizers' team list on a big edition.

Generates, in a throwaway test database, one edition with 2,000 participants and 500 teams
(1 to 6 members, wanted skills, the rest looking for a team), then requests each page several
times and prints the median time and the query count.

    .venv/bin/python bench/teams_board.py            # SQLite (in memory)
    DATABASE_URL=postgres://... .venv/bin/python bench/teams_board.py
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hackqc.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

PARTICIPANTS = 2000
TEAMS = 500
RUNS = 7


def build():
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from hackqc.models import Challenge, EditionOrganizer, User
    from teams.models import Membership, Registration, Skill, Team
    from tests.factories.core import EditionFactory

    edition = EditionFactory(slug="bench", name="HackQC bench")
    challenges = Challenge.objects.bulk_create(
        Challenge(edition=edition, number=n, title=f"Défi {n}", partner="Partenaire")
        for n in range(1, 6)
    )
    skills = Skill.objects.bulk_create(
        Skill(name=f"Compétence {n}", slug=f"competence-{n}") for n in range(30)
    )
    password = make_password("bench")
    users = User.objects.bulk_create(
        User(email=f"p{n}@bench.example", display_name=f"Personne {n}", password=password)
        for n in range(PARTICIPANTS)
    )
    organizer = User.objects.create(email="org@bench.example", display_name="Org", is_staff=False)
    EditionOrganizer.objects.create(edition=edition, user=organizer)
    teams = Team.objects.bulk_create(
        Team(
            edition=edition,
            name=f"Équipe {n:03d}",
            challenge=challenges[n % len(challenges)],
            join_code=f"B{n:07d}".replace("0", "A").replace("1", "C"),
            is_open=n % 4 != 0,
        )
        for n in range(TEAMS)
    )
    Team.wanted_skills.through.objects.bulk_create(
        Team.wanted_skills.through(team=team, skill=skills[(n + k) % len(skills)])
        for n, team in enumerate(teams)
        for k in range(3)
    )
    memberships, position = [], 0
    for n, team in enumerate(teams):
        for seat in range(1 + n % 6):
            memberships.append(
                Membership(team=team, edition=edition, user=users[position], is_captain=seat == 0)
            )
            position += 1
    now = timezone.now()
    registrations = Registration.objects.bulk_create(
        Registration(
            edition=edition,
            user=user,
            organisation="Université",
            looking_for_team=n >= position,
            show_profile=n % 3 != 0,
            rules_version="bench",
            rules_accepted_at=now,
        )
        for n, user in enumerate(users)
    )
    Registration.skills.through.objects.bulk_create(
        Registration.skills.through(registration=r, skill=skills[n % len(skills)])
        for n, r in enumerate(registrations)
    )
    # After the registrations: the database accepts only registered participants as members.
    Membership.objects.bulk_create(memberships)
    return edition, users[-1], organizer, position


def measure(client, url):
    timings = []
    for _run in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
    return statistics.median(timings) * 1000, len(queries)


def main():
    setup_test_environment()
    settings.DEBUG = False
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        start = time.perf_counter()
        edition, participant, organizer, in_teams = build()
        print(
            f"Built {PARTICIPANTS} participants ({in_teams} in teams) and {TEAMS} teams "
            f"in {time.perf_counter() - start:.1f} s on {connection.vendor}."
        )
        pages = [
            ("team board", participant, reverse("teams:board", kwargs={"slug": edition.slug})),
            (
                "team board, filtered",
                participant,
                reverse("teams:board", kwargs={"slug": edition.slug})
                + "?challenge=2&skill=competence-3&page=2",
            ),
            (
                "organizers' team list",
                organizer,
                reverse("teams:organize_teams", kwargs={"slug": edition.slug}),
            ),
            (
                "organizers' teams CSV",
                organizer,
                reverse("teams:organize_teams_csv", kwargs={"slug": edition.slug}),
            ),
        ]
        for label, user, url in pages:
            client = Client()
            client.force_login(user)
            median, count = measure(client, url)
            print(f"{label:<24} median {median:7.1f} ms over {RUNS} requests, {count} queries")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


README_SECTION = "team-board-speed"  # written with --readme (bench/readme.py)

if __name__ == "__main__":
    from readme import printed_into  # bench/readme.py, beside this script

    with printed_into(README_SECTION):
        main()
