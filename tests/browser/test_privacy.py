"""A participant, from the home page: reads what the site holds about them, asks for a copy
of their data (opened from the mailed link), then closes their account; every page passes
axe-core, at desktop and phone widths."""

import re

import pytest
from django.core import mail

from hackqc.models import Phase
from tests.factories.core import EditionFactory
from tests.factories.teams import MembershipFactory

from .audit import Audit
from .conftest import PHONE
from .people import PASSWORD, person, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_privacy_page_copy_and_closing_the_account(desktop):
    edition = EditionFactory(phase=Phase.REGISTRATION, name="HackQC 2027")
    user = person("camille@example.org", "Camille Tremblay")
    captain = MembershipFactory(team__edition=edition, team__name="Les Castors", user=user)
    MembershipFactory(team=captain.team)
    captain.is_captain = True
    captain.save()
    audit = Audit()
    page = desktop

    page.goto("/fr/")
    page.get_by_role("navigation").get_by_role("link", name="Se connecter").click()
    sign_in(page, "camille@example.org")
    page.get_by_role("button", name=re.compile("^Compte")).click()
    page.get_by_role("link", name="Mes données et ma vie privée").click()
    audit(page)
    assert page.get_by_role("heading", name="Qui voit quoi").is_visible()

    page.get_by_role("button", name="Demander une copie de mes données").click()
    page.get_by_text("Votre copie est en préparation").wait_for()
    link = re.search(r"https?://\S+/privacy/export/\S+/", mail.outbox[-1].body).group(0)
    page.goto("/" + link.split("://", 1)[1].partition("/")[2])
    page.get_by_role("heading", name="Une copie de mes données").wait_for()
    assert page.get_by_text("camille@example.org").first.is_visible()
    audit(page)

    page.set_viewport_size(PHONE)
    page.get_by_role("link", name="Mes données et ma vie privée").first.click()
    audit.seen.clear()
    audit(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("link", name="Fermer mon compte…").click()
    audit(page)
    page.get_by_label("Votre mot de passe").fill(PASSWORD)
    page.get_by_role("checkbox", name=re.compile("Je comprends")).check()
    page.get_by_role("button", name="Fermer mon compte pour de bon").click()
    page.get_by_text("Votre compte est fermé").wait_for()
    audit(page)
    assert page.get_by_role("navigation").get_by_role("link", name="Se connecter").is_visible()
    user.refresh_from_db()
    assert user.is_erased
    audit.assert_clean()
