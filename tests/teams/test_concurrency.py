"""Two people take the last seat of a team at the same moment: only one gets it."""

import threading

import pytest
from django.db import connection, connections

from teams import services
from teams.exceptions import TeamFullError
from teams.models import Membership
from tests.factories.teams import (
    InvitationFactory,
    MembershipFactory,
    RegistrationFactory,
    TeamFactory,
)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_last_seat_goes_to_one_of_two_concurrent_joiners(edition):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    team = TeamFactory(edition=edition)
    MembershipFactory(team=team, is_captain=True)
    for _seat in range(edition.team_size_max - 2):
        MembershipFactory(team=team)
    people = [RegistrationFactory(edition=edition).user for _i in range(2)]
    tokens = [InvitationFactory(team=team, email=person.email).token for person in people]
    barrier = threading.Barrier(2)
    outcomes = []

    def accept(token, user):
        try:
            barrier.wait(timeout=10)
            services.accept_invitation(token, user=user)
            outcomes.append("joined")
        except TeamFullError:
            outcomes.append("full")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=accept, args=(token, user))
        for token, user in zip(tokens, people, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["full", "joined"]
    assert Membership.objects.filter(team=team).count() == edition.team_size_max
