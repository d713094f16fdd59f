"""The live final and the people's choice as people meet them, by clicking, at 390 px: the
organizer runs the final from a phone, the presenter screen shows the team on stage, a
judge's phone opens that team's score sheet; a visitor finds the ballot from the gallery,
signs in and votes. Every page axe-clean, nothing scrolls sideways."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from hackqc.models import Phase
from judging.models import Assignment, Round
from judging.public_vote.models import PublicVote, VoteWindow
from submissions.models import Submission
from tests.factories.core import EditionFactory, OrganizerRoleFactory
from tests.factories.judging import CriterionFactory, JudgeFactory, RoundFactory
from tests.factories.results import PrizeFactory
from tests.factories.submissions import SubmissionFactory, record_submitted_version

from .audit import Audit
from .conftest import PHONE, new_page
from .people import person, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def projects(edition, count):
    made = []
    for i in range(count):
        sheet = SubmissionFactory(
            team__edition=edition, title=f"Projet {i}", state=Submission.State.SUBMITTED
        )
        record_submitted_version(sheet)
        made.append(sheet)
    return made


def log_in_from_menu(page, audit, email):
    page.goto("/fr/")
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("navigation").get_by_role("link", name="Se connecter").click()
    audit(page)
    sign_in(page, email)
    audit(page)


def menu(page, name):
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("navigation").get_by_role("link", name=name).click()


def test_a_live_final_run_from_phones(browser, live_server):
    edition = EditionFactory(phase=Phase.JUDGING)
    organizer = person("orga@example.org")
    OrganizerRoleFactory(edition=edition, user=organizer)
    final = RoundFactory(edition=edition, number=1, mode=Round.Mode.LIVE, name="Grande finale")
    CriterionFactory(round=final, name="Impact", weight=1)
    finalists = projects(edition, 3)
    judge = JudgeFactory(edition=edition, user=person("juge@example.org"))
    for project in finalists:
        Assignment.objects.create(round=final, judge=judge, submission=project)
    audit = Audit()

    remote = new_page(browser, live_server, viewport=PHONE)
    log_in_from_menu(remote, audit, "orga@example.org")
    menu(remote, "Mon espace")
    audit(remote)
    remote.get_by_role("link", name=re.compile("^Progression")).click()
    audit(remote)
    remote.get_by_role("link", name="Finale en direct").click()
    audit(remote)
    remote.get_by_role("button", name=re.compile("Fixer l.ordre de passage")).click()
    audit(remote)
    remote.get_by_role("button", name=re.compile("Commencer")).click()
    audit(remote)
    on_stage = remote.locator("[aria-current=step]").inner_text()

    remote.get_by_role("link", name="Écran de la salle").click()
    audit(remote)
    assert on_stage.split(" — ")[0] in remote.get_by_role("main").inner_text()

    phone = new_page(browser, live_server, viewport=PHONE)
    log_in_from_menu(phone, audit, "juge@example.org")
    menu(phone, "Mon espace")
    phone.get_by_role("link", name="Grande finale").click()
    audit(phone)
    phone.get_by_role("link", name=re.compile("Noter l.équipe sur scène")).click()
    audit(phone)  # the score sheet of the team on stage, opened by itself
    assert on_stage.split(" — ")[0] in phone.get_by_role("main").inner_text()
    assert phone.get_by_label("Impact", exact=True).is_visible()
    remote.context.close()
    phone.context.close()
    audit.assert_clean()


def test_a_visitor_finds_the_ballot_from_the_gallery_and_votes(browser, live_server):
    edition = EditionFactory(phase=Phase.JUDGING, name="HackQC 2027")
    made = projects(edition, 3)
    prize = PrizeFactory(edition=edition, name="Coup de cœur du public", round=None)
    now = timezone.now()
    VoteWindow.objects.create(
        edition=edition,
        prize=prize,
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=7),
    )
    voter = person("public@example.org")
    from allauth.account.models import EmailAddress

    EmailAddress.objects.get_or_create(user=voter, email=voter.email, verified=True)
    audit = Audit()
    page = new_page(browser, live_server, viewport=PHONE)

    page.goto("/fr/")
    audit(page)
    menu(page, "Projets")
    audit(page)
    page.get_by_role("link", name="Projets de HackQC 2027").click()
    audit(page)
    page.get_by_role("link", name="Votez pour votre projet préféré").click()
    audit(page)
    page.get_by_role("link", name="Connectez-vous pour voter").click()
    sign_in(page, "public@example.org")  # back on the ballot
    audit(page)
    page.get_by_role("button", name="Voter pour Projet 1").click()
    audit(page)
    assert PublicVote.objects.get(user=voter).submission == made[1]
    page.context.close()
    audit.assert_clean()
