"""Cloning an edition for next year: the setup comes along, people and projects do not."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from hackqc import cloning
from hackqc.cloning import EDITION_CLONED, clone_edition, register_copier, shift_for
from hackqc.models import AgendaItem, AuditEntry, Challenge, Edition, EditionPage, HostSite
from judging.models import Assignment, Conflict, Criterion, Judge, Review, Round
from judging.public_vote.models import VoteWindow
from judging.results.models import AwardPolicy, Prize
from submissions.models import Submission
from teams.models import Registration, Team
from tests.factories.core import (
    ChallengeFactory,
    EditionFactory,
    HostSiteFactory,
    OrganizerRoleFactory,
)
from tests.factories.judging import AssignmentFactory, CriterionFactory, RoundFactory
from tests.factories.results import AwardPolicyFactory, PrizeFactory
from tests.factories.teams import MembershipFactory

MONTREAL = ZoneInfo("America/Montreal")


def _local(*args):
    return dt.datetime(*args, tzinfo=MONTREAL)


@pytest.fixture
def past(db):
    """HackQC 2026 fully set up and judged: what a clone must copy, and what it must not."""
    edition = EditionFactory(
        year=2026,
        slug="hackqc-2026",
        name="HackQC 2026",
        description="**Données** ouvertes",
        registration_opens=_local(2026, 1, 10, 9, 0),  # a Saturday, before the DST change
        registration_closes=_local(2026, 3, 6, 17, 0),
        hacking_starts=_local(2026, 3, 13, 18, 0),  # a Friday, after the DST change
        submissions_close=_local(2026, 3, 15, 12, 0),
        judging_ends=_local(2026, 3, 28, 17, 0),
        team_size_max=5,
    )
    challenge = ChallengeFactory(edition=edition, number=2, title="Mobilité", description="_x_")
    site = HostSiteFactory(edition=edition, name="Pôle Québec", capacity=120)
    AgendaItem.objects.create(
        edition=edition,
        title="Atelier CKAN",
        starts_at=_local(2026, 3, 14, 10, 0),
        ends_at=_local(2026, 3, 14, 11, 0),
        host_site=site,
        location="B-204",
    )
    EditionPage.objects.create(edition=edition, kind="rules", version=1, body="v1")
    EditionPage.objects.create(edition=edition, kind="rules", version=2, body="Règlement v2")
    preliminary = RoundFactory(
        edition=edition,
        number=1,
        name="Préliminaire",
        scope=Round.Scope.CHALLENGE,
        scope_challenge=challenge,
        judges_per_submission=4,
        opens_at=_local(2026, 3, 16, 9, 0),
        closes_at=_local(2026, 3, 20, 17, 0),
        closed_at=_local(2026, 3, 20, 17, 0),
    )
    final = RoundFactory(
        edition=edition,
        number=2,
        name="Finale",
        scope=Round.Scope.FINALISTS,
        source_round=preliminary,
        opens_at=_local(2026, 3, 27, 9, 0),
        closes_at=_local(2026, 3, 27, 17, 0),
    )
    CriterionFactory(round=preliminary, name="Utilité", weight=3, order=1, is_tiebreak=True)
    CriterionFactory(round=preliminary, name="Originalité", weight=0, order=2, max_value=5)
    CriterionFactory(round=final, name="Pitch", weight=2, order=1)
    PrizeFactory(
        edition=edition,
        name="Prix Mobilité",
        eligibility=Prize.Eligibility.CHALLENGE,
        challenge=challenge,
        round=final,
        places=2,
    )
    people = PrizeFactory(
        edition=edition, name="Prix du site", eligibility="host_site", host_site=site
    )
    AwardPolicyFactory(edition=edition, require_licence=False, ranking_round=final)
    VoteWindow.objects.create(
        edition=edition,
        prize=people,
        opens_at=_local(2026, 3, 27, 9, 0),
        closes_at=_local(2026, 3, 27, 12, 0),
    )
    # People and projects.
    OrganizerRoleFactory(edition=edition)
    assignment = AssignmentFactory(round=preliminary, submission__challenge=challenge)
    MembershipFactory(team=assignment.submission.team, is_captain=True)
    Conflict.objects.create(judge=assignment.judge, team=assignment.submission.team)
    return edition


@pytest.fixture
def actor(past):
    return OrganizerRoleFactory(edition=past).user


def _clone(past, actor, **kwargs):
    return clone_edition(
        past,
        by=actor,
        **{"year": 2027, "slug": "hackqc-2027", "name": "HackQC 2027", **kwargs},
    )


def test_clone_edition_copies_the_settings_under_the_new_name(past, actor):
    new = _clone(past, actor)

    assert (new.year, new.slug, new.name) == (2027, "hackqc-2027", "HackQC 2027")
    assert (new.description, new.team_size_max) == ("**Données** ouvertes", 5)
    assert new.results_published is None


def test_clone_edition_moves_the_timeline_by_whole_weeks_keeping_weekday_and_local_time(
    past, actor
):
    new = _clone(past, actor)

    for name in cloning.TIMELINE:
        before = getattr(past, name).astimezone(MONTREAL)
        after = getattr(new, name).astimezone(MONTREAL)
        assert after.date() - before.date() == dt.timedelta(days=364), name
        assert (after.weekday(), after.time()) == (before.weekday(), before.time()), name


def test_shift_for_the_next_years_is_52_weeks_a_year(past):
    assert shift_for(past, 2027) == dt.timedelta(weeks=52)
    assert shift_for(past, 2026) == dt.timedelta(0)
    # Six years of 52 weeks drift 8 days: a 313th week brings the date back.
    assert shift_for(past, 2032) == dt.timedelta(weeks=313)


def test_clone_edition_copies_challenges_sites_agenda_and_current_rules(past, actor):
    new = _clone(past, actor)

    assert list(new.challenges.values_list("number", "title", "description")) == [
        (2, "Mobilité", "_x_")
    ]
    assert list(new.host_sites.values_list("name", "capacity")) == [("Pôle Québec", 120)]
    item = new.agenda_items.get()
    assert (item.title, item.location, item.host_site.edition) == ("Atelier CKAN", "B-204", new)
    assert item.starts_at.astimezone(MONTREAL) == _local(2027, 3, 13, 10, 0)
    assert list(new.pages.values_list("kind", "version", "body")) == [("rules", 1, "Règlement v2")]


def test_clone_edition_copies_rounds_and_rubrics_open_and_linked_to_the_copies(past, actor):
    new = _clone(past, actor)

    preliminary, final = new.rounds.order_by("number")
    assert (preliminary.name, preliminary.judges_per_submission) == ("Préliminaire", 4)
    assert preliminary.closed_at is None
    assert preliminary.scope_challenge == new.challenges.get()
    assert final.source_round == preliminary
    assert final.opens_at.astimezone(MONTREAL) == _local(2027, 3, 26, 9, 0)
    rubric = Criterion.objects.filter(round__edition=new).order_by("round__number", "order")
    assert [(c.round.number, c.name, c.weight, c.max_value, c.is_tiebreak) for c in rubric] == [
        (1, "Utilité", 3.0, 10, True),
        (1, "Originalité", 0.0, 5, False),
        (2, "Pitch", 2.0, 10, False),
    ]


def test_clone_edition_copies_prizes_award_conditions_and_the_vote(past, actor):
    new = _clone(past, actor)

    prizes = {p.name: p for p in Prize.objects.filter(edition=new)}
    assert set(prizes) == {"Prix Mobilité", "Prix du site"}
    mobility = prizes["Prix Mobilité"]
    assert (mobility.challenge, mobility.round, mobility.places) == (
        new.challenges.get(),
        new.rounds.get(number=2),
        2,
    )
    assert prizes["Prix du site"].host_site == new.host_sites.get()
    policy = AwardPolicy.objects.get(edition=new)
    assert (policy.require_licence, policy.ranking_round) == (False, new.rounds.get(number=2))
    window = VoteWindow.objects.get(edition=new)
    assert (window.prize, window.updated_by) == (prizes["Prix du site"], actor)


def test_clone_edition_brings_no_people_and_no_projects(past, actor):
    new = _clone(past, actor)

    assert list(new.organizer_roles.values_list("user", flat=True)) == [actor.pk]
    for model in (Judge, Registration, Team, Submission):
        assert not model.objects.filter(edition=new).exists(), model
    for model in (Assignment, Review):
        assert not model.objects.filter(round__edition=new).exists(), model
    assert not Conflict.objects.filter(judge__edition=new).exists()
    assert not new.result_snapshots.exists()


def test_clone_edition_records_the_copy_in_the_audit_log(past, actor):
    new = _clone(past, actor)

    entry = AuditEntry.objects.get(action=EDITION_CLONED)
    assert (entry.actor, entry.edition, entry.target_id) == (actor, new, str(new.pk))
    assert entry.details["source"] == "hackqc-2026"
    assert entry.details["shift_days"] == 364
    assert entry.details["copied"] == {
        "hackqc.agendaitem": 1,
        "hackqc.challenge": 1,
        "hackqc.editionpage": 1,
        "hackqc.hostsite": 1,
        "judging.criterion": 3,
        "judging.round": 2,
        "public_vote.votewindow": 1,
        "results.awardpolicy": 1,
        "results.prize": 2,
    }


def test_clone_edition_refuses_a_taken_slug(past, actor):
    with pytest.raises(ValidationError) as refused:
        _clone(past, actor, slug="hackqc-2026")

    assert "slug" in refused.value.message_dict
    assert Edition.objects.count() == 1


def test_clone_edition_losing_a_race_for_the_slug_is_refused_not_a_crash(past, actor, monkeypatch):
    # The form and create_edition check the slug; a clone committed in between is only
    # caught by the database's unique constraint.
    monkeypatch.setattr(Edition, "validate_unique", lambda self, exclude=None: None)

    with pytest.raises(ValidationError) as refused:
        _clone(past, actor, slug="hackqc-2026")

    assert refused.value.message_dict == {"slug": ["Une autre édition utilise déjà cette adresse."]}
    assert Edition.objects.count() == 1


def test_clone_edition_leaves_the_source_untouched(past, actor):
    before = Challenge.objects.filter(edition=past).count(), Round.objects.filter(edition=past)
    _clone(past, actor)

    assert Challenge.objects.filter(edition=past).count() == before[0]
    assert Round.objects.get(edition=past, number=1).closed_at is not None
    assert HostSite.objects.filter(edition=past).count() == 1


@pytest.fixture
def failing_copier():
    def fail(clone):
        raise RuntimeError("copier failed")

    register_copier("tests.fail", fail, order=99)
    yield
    cloning.COPIERS[:] = [entry for entry in cloning.COPIERS if entry[1] != "tests.fail"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_clone_edition_that_fails_half_way_leaves_nothing_behind(past, actor, failing_copier):
    assert not transaction.get_connection().in_atomic_block
    counts = {m: m.objects.count() for m in (Edition, Challenge, Round, Criterion, Prize)}

    with pytest.raises(RuntimeError):
        _clone(past, actor)

    assert not Edition.objects.filter(slug="hackqc-2027").exists()
    assert {m: m.objects.count() for m in counts} == counts
    assert not AuditEntry.objects.filter(action__startswith="edition.c").exists()


# The organizer's page --------------------------------------------------------------------


def test_dashboard_offers_to_clone_with_next_year_filled_in(client, past, actor):
    client.force_login(actor)

    page = client.get(reverse("organize:dashboard", args=[past.slug]))

    form = page.context["clone_form"]
    assert (form["year"].value(), form["slug"].value(), form["name"].value()) == (
        2027,
        "hackqc-2027",
        "HackQC 2027",
    )
    assert reverse("organize:edition_clone", args=[past.slug]) in page.content.decode()


def test_cloning_from_the_page_leads_to_the_new_edition(client, past, actor):
    client.force_login(actor)

    response = client.post(
        reverse("organize:edition_clone", args=[past.slug]),
        {"year": "2027", "slug": "hackqc-2027", "name": "HackQC 2027"},
    )

    new = Edition.objects.get(slug="hackqc-2027")
    assert response.url == reverse("organize:dashboard", args=["hackqc-2027"])
    assert list(new.organizer_roles.values_list("user", flat=True)) == [actor.pk]
    assert new.rounds.count() == 2


def test_cloning_to_a_taken_slug_explains_and_keeps_what_was_typed(client, past, actor):
    client.force_login(actor)

    page = client.post(
        reverse("organize:edition_clone", args=[past.slug]),
        {"year": "2028", "slug": "hackqc-2026", "name": "HackQC deux mille vingt-huit"},
    )

    html = page.content.decode()
    assert page.status_code == 200
    assert "Une autre édition utilise déjà cette adresse" in html
    assert 'value="HackQC deux mille vingt-huit"' in html
    assert 'value="2028"' in html
    assert Edition.objects.count() == 1


def test_another_editions_organizer_cannot_clone(client, past):
    stranger = OrganizerRoleFactory().user
    client.force_login(stranger)

    response = client.post(
        reverse("organize:edition_clone", args=[past.slug]),
        {"year": "2027", "slug": "copie", "name": "Copie"},
    )

    assert response.status_code == 403
    assert not Edition.objects.filter(slug="copie").exists()


@pytest.mark.parametrize("who", ["anonymous", "participant", "unassigned judge"])
def test_only_the_editions_organizers_reach_the_clone_page(client, past, who):
    from tests.factories.judging import JudgeFactory

    url = reverse("organize:edition_clone", args=[past.slug])
    if who == "participant":
        client.force_login(MembershipFactory(team__edition=past).user)
    elif who == "unassigned judge":
        client.force_login(JudgeFactory(edition=past).user)

    answers = [client.get(url), client.post(url, {"year": "2027", "slug": "x", "name": "X"})]

    if who == "anonymous":
        assert all(a.status_code == 302 and "/login/" in a.url for a in answers)
    else:
        assert [a.status_code for a in answers] == [403, 403]
    assert Edition.objects.count() == 1


@pytest.mark.parametrize(
    "typed",
    [
        {"year": "9" * 40, "slug": "ok-2027", "name": "Nom"},
        {"year": "2027", "slug": "a\x00b", "name": "Nom"},
        {"year": "2027", "slug": "ok-2027", "name": "a\x00b"},
        {"year": "2027", "slug": "x" * 10_000, "name": "x" * 10_000},
        {"year": "-1", "slug": "ok-2027", "name": "Nom"},
    ],
)
def test_hostile_values_in_the_clone_form_are_refused_on_the_form(client, past, actor, typed):
    client.force_login(actor)

    page = client.post(reverse("organize:edition_clone", args=[past.slug]), typed)

    assert page.status_code == 200
    assert page.context["form"].errors
    assert Edition.objects.count() == 1
