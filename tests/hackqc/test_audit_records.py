"""Every organizer action on rounds, rubrics, assignments, conflicts, prizes, results, projects
and teams leaves an entry in the audit log, written by its service, with ids and facts but no
person's name or address (a person is a key, resolved when the log is shown)."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from hackqc import audit
from hackqc.models import AuditEntry, Phase
from hackqc.service import all_services
from tests.factories.core import EditionFactory, OrganizerRoleFactory
from tests.factories.teams import MembershipFactory, TeamFactory
from tests.hackqc import test_services_outside_transactions as outside

SCENARIOS = outside.SCENARIOS
world = outside.world  # the scenarios' fixture

# Each action code, and the scenario (tests/hackqc/test_services_outside_transactions.py)
# whose services record it.
RECORDED_BY = {
    "edition.cloned": "hackqc.cloning.clone_edition",
    "round.created": "judging.services.rounds.create_round",
    "round.changed": "judging.services.rounds.update_round",
    "round.rubric_changed": "judging.services.rounds.save_criterion",
    "round.closed": "judging.services.rounds.close_round",
    "round.reopened": "judging.services.rounds.reopen_round",
    "round.finalists_selected": "judging.services.rounds.select_finalists",
    "assignment.run": "judging.services.assignment.run_assignment",
    "assignment.pinned": "judging.services.assignment.pin_assignment",
    "assignment.removed": "judging.services.assignment.remove_assignment",
    "assignment.judge_withdrawn": "judging.services.assignment.withdraw_judge",
    "conflict.declared": "judging.services.judges.declare_conflict",
    "conflict.added": "judging.services.judges.add_conflict",
    "conflict.lifted": "judging.services.judges.lift_conflict",
    "conflict.waived": "judging.services.judges.waive_automatic_conflict",
    "prize.created": "judging.results.services.prizes.save_prize",
    "prize.deleted": "judging.results.services.prizes.delete_prize",
    "prize.conditions_changed": "judging.results.services.prizes.update_award_policy",
    "results.computed": "judging.results.services.computing.compute_results",
    "results.award_overridden": "judging.results.services.awards.override_award",
    "results.places_swapped": "judging.results.services.awards.swap_places",
    "results.approved": "judging.results.services.publishing.approve_results",
    "results.published": "judging.results.services.publishing.publish_results",
    "results.withdrawn": "judging.results.services.publishing.withdraw_results",
    "submission.reopened": "submissions.services.decisions.reopen_submission",
    "submission.disqualified": "submissions.services.decisions.disqualify_submission",
    "team.participant_moved": "teams.services.teams.move_participant",
    "team.dissolved_by_captain": "teams.services.teams.dissolve_team",
    "registration.corrected": "teams.services.corrections.correct_registration",
}
# Recorded by paths no scenario takes; tested below.
TESTED_BELOW = {"prize.changed", "team.dissolved", "team.captain_changed"}
AREAS = (
    "edition.cloned",
    "round.",
    "assignment.",
    "conflict.",
    "prize.",
    "results.",
    "submission.",
    "team.",
    "registration.",
)


def test_every_organizer_action_of_these_areas_is_tested():
    all_services()  # imports every services module, so every action is registered
    codes = {code for code in audit.ACTIONS if code.startswith(AREAS)}
    assert codes == set(RECORDED_BY) | TESTED_BELOW


def _names_and_addresses():
    people = get_user_model().objects.all()
    return {p.email for p in people} | {p.display_name for p in people if p.display_name}


def _assert_no_person_named(entries):
    names = _names_and_addresses()
    for entry in entries:
        text = json.dumps(entry.details, ensure_ascii=False) + entry.target_label
        assert not [n for n in names if n in text], (entry.action, text)


@pytest.mark.parametrize("code", sorted(RECORDED_BY))
def test_the_service_records_its_action(code, request):
    scenario = SCENARIOS[RECORDED_BY[code]]
    setting = request.getfixturevalue("world")
    extra = scenario.__code__.co_varnames[1 : scenario.__code__.co_argcount]

    scenario(setting, *(request.getfixturevalue(name) for name in extra))

    entries = list(AuditEntry.objects.filter(action=code))
    assert entries, code
    assert all(e.edition_id is not None for e in entries)
    assert all(e.actor_id is not None for e in entries)
    _assert_no_person_named(entries)


def test_a_judge_is_logged_as_a_person_key(request):
    SCENARIOS["judging.services.assignment.pin_assignment"](request.getfixturevalue("world"))

    entry = AuditEntry.objects.get(action="assignment.pinned")
    assert (entry.target_type, entry.target_label) == ("hackqc.user", "")
    assert audit.with_people([entry])[0].target_person is not None


def test_a_round_change_says_what_changed(request):
    SCENARIOS["judging.services.rounds.update_round"](request.getfixturevalue("world"))

    entry = AuditEntry.objects.get(action="round.changed")
    assert entry.details == {"number": 1, "name": "Ronde → Préliminaire"}


def test_copying_a_rubric_says_from_where(request):
    SCENARIOS["judging.services.rounds.copy_rubric"](request.getfixturevalue("world"))

    copied = AuditEntry.objects.filter(action="round.rubric_changed", details__change="copied")
    assert [(e.details["source_round"], e.details["criteria"]) for e in copied] == [(1, 1)]


def test_changing_a_prize_is_logged(request):
    from judging.results.services import save_prize
    from tests.factories.results import PrizeFactory

    setting = request.getfixturevalue("world")
    prize = PrizeFactory(edition=setting.edition, places=1)
    prize.places = 3

    save_prize(prize, by=setting.organizer)

    entry = AuditEntry.objects.get(action="prize.changed")
    assert (entry.target_label, entry.details["places"]) == (prize.name, 3)


@pytest.fixture
def team_world(db):
    edition = EditionFactory(phase=Phase.REGISTRATION)
    organizer = OrganizerRoleFactory(edition=edition).user
    team = TeamFactory(edition=edition, name="Les Castors")
    captain = MembershipFactory(team=team, is_captain=True).user
    member = MembershipFactory(team=team).user
    return team, organizer, captain, member


def test_an_organizer_dissolving_a_team_is_logged(team_world):
    from teams.services import dissolve_team

    team, organizer, _captain, _member = team_world
    team_id = team.pk

    dissolve_team(team, by=organizer, organizer=True)

    entry = AuditEntry.objects.get(action="team.dissolved")
    assert (entry.actor, entry.target_label, entry.details) == (
        organizer,
        "Les Castors",
        {"team": team_id, "members": 2},
    )


def test_a_captain_dissolving_their_team_is_logged_with_them_as_a_key(team_world):
    from teams.services import dissolve_team

    team, _organizer, captain, _member = team_world
    team_id = team.pk

    dissolve_team(team, by=captain)

    entry = audit.with_people([AuditEntry.objects.get(action="team.dissolved_by_captain")])[0]
    assert (entry.actor, entry.target_label, entry.details) == (
        captain,
        "Les Castors",
        {"team": team_id, "members": 2, "person": captain.pk},
    )
    assert entry.target_person == captain
    assert not AuditEntry.objects.filter(action="team.dissolved").exists()


def test_the_last_member_leaving_dissolves_the_team_and_is_logged(team_world):
    from teams.services import leave_team

    team, _organizer, captain, member = team_world
    leave_team(team.memberships.get(user=member), by=member)

    leave_team(team.memberships.get(user=captain), by=captain)

    entry = AuditEntry.objects.get(action="team.dissolved_by_captain")
    assert (entry.actor, entry.details) == (
        captain,
        {"team": team.pk, "members": 0, "person": captain.pk},
    )


def test_a_judge_declaring_a_conflict_is_logged_once_with_them_as_a_key(db):
    from judging.services import declare_conflict
    from tests.factories.judging import JudgeFactory

    judge = JudgeFactory()
    team = TeamFactory(edition=judge.edition)

    conflict = declare_conflict(judge, by=judge.user, team=team, reason="Ma sœur y est")
    declare_conflict(judge, by=judge.user, team=team, reason="Encore")

    entry = AuditEntry.objects.get(action="conflict.declared")
    assert (entry.actor, entry.edition, entry.target_type, entry.target_id) == (
        judge.user,
        judge.edition,
        "hackqc.user",
        str(judge.user.pk),
    )
    assert entry.details == {"conflict": conflict.pk, "team": team.pk, "organisation": ""}
    assert "sœur" not in json.dumps(entry.details, ensure_ascii=False)


def test_only_an_organizer_changing_the_captain_is_logged(team_world):
    from teams.services import transfer_captaincy

    team, organizer, captain, member = team_world

    transfer_captaincy(team, to=member, by=captain)
    assert not AuditEntry.objects.filter(action="team.captain_changed").exists()
    transfer_captaincy(team, to=captain, by=organizer, organizer=True)

    entry = AuditEntry.objects.get(action="team.captain_changed")
    assert (entry.target_type, entry.target_id, entry.details) == (
        "hackqc.user",
        str(captain.pk),
        {"team": team.pk},
    )


def test_the_log_page_shows_the_new_entries_with_their_labels(client, request):
    setting = request.getfixturevalue("world")
    SCENARIOS["judging.results.services.prizes.save_prize"](setting)
    client.force_login(setting.organizer)

    html = client.get(reverse("organize:audit_log", args=[setting.edition.slug])).content.decode()

    assert "A créé un prix" in html
    assert "A modifié les conditions d\u2019attribution" in html
