import io

import pytest
from django.core.management import call_command

from hackqc import demo
from teams.models import Invitation, JoinRequest, Membership, Registration, Skill, Team, TeamLog

pytestmark = pytest.mark.django_db

MODELS = [Registration, Team, Membership, Invitation, JoinRequest, Skill, TeamLog]


def _snapshot():
    return {model.__name__: sorted(model.objects.values_list("pk", flat=True)) for model in MODELS}


def test_seed_demo_twice_changes_nothing_in_teams_tables():
    call_command("seed_demo", stdout=io.StringIO())
    first = _snapshot()
    call_command("seed_demo", stdout=io.StringIO())

    assert _snapshot() == first
    assert Team.objects.count() == 18


def test_seed_demo_has_teams_in_every_state():
    call_command("seed_demo", stdout=io.StringIO())
    editions = demo.editions()
    current = Team.objects.filter(edition=editions["current"])
    sizes = {team.name: team.memberships.count() for team in current}

    assert sizes["Les Castors du code"] == 6
    assert sizes["Données en folie"] == 4
    assert sizes["Les Harfangs"] == 2
    assert not current.get(name="Équipe fermée").is_open
    assert JoinRequest.objects.filter(status="pending").count() == 1
    assert Invitation.objects.count() == 2
    assert TeamLog.objects.filter(action="dissolved", team_name="Les Éphémères").exists()
    assert set(
        Registration.objects.filter(edition=editions["current"]).values_list("role", flat=True)
    ) == {
        "participant",
        "mentor",
        "volunteer",
    }
    assert Team.objects.filter(edition=editions["judging"]).count() == 7
    assert Team.objects.filter(edition=editions["past"]).count() == 6
