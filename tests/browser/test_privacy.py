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


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_anyone_reads_the_privacy_policy_from_the_home_page(request, width, settings):
    settings.PRIVACY_OFFICER_NAME = "Geneviève Lapointe"
    EditionFactory(phase=Phase.REGISTRATION, name="HackQC 2027")
    page = request.getfixturevalue(width)
    page.context.clear_cookies()
    audit = Audit()

    page.goto("/fr/")
    page.get_by_role("contentinfo").get_by_role("link", name="Politique de confidentialité").click()
    page.get_by_role("heading", level=1, name="Politique de confidentialité").wait_for()
    audit(page)
    officer = page.get_by_role("region", name="Responsable des renseignements personnels")
    assert "Geneviève Lapointe" in officer.locator("address").inner_text()
    assert page.get_by_role("heading", name=re.compile("Vos droits")).is_visible()
    if width == "phone":
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    audit.assert_clean()


def test_an_organizer_records_an_incident_from_the_home_page(desktop):
    from hackqc.incidents.models import Incident
    from tests.factories.core import OrganizerRoleFactory

    edition = EditionFactory(phase=Phase.REGISTRATION, name="HackQC 2027")
    OrganizerRoleFactory(edition=edition, user=person("orga@example.org", "Organisation"))
    page = desktop
    page.context.clear_cookies()
    audit = Audit()

    page.goto("/fr/")
    page.get_by_role("navigation").get_by_role("link", name="Se connecter").click()
    sign_in(page, "orga@example.org")
    page.get_by_role("navigation").get_by_role("link", name="Mon espace").click()
    page.get_by_role("link", name="Tableau de bord de l\u2019édition").first.click()
    page.get_by_role("link", name="Incidents de confidentialité").click()
    audit(page)
    page.get_by_role("link", name="Consigner un incident").click()
    audit(page)

    page.get_by_label("Ce qui s'est passé").fill("Liste d'inscriptions envoyée au mauvais courriel")
    page.get_by_label("Circonstances").fill("Un envoi manuel à la mauvaise adresse.")
    page.get_by_label("Renseignements personnels visés").fill("Noms et courriels")
    page.get_by_label("Survenu le").fill("2026-11-30T10:00")
    page.get_by_label("Connu depuis").fill("2026-11-29T10:00")  # before it occurred: refused
    page.get_by_role("textbox", name=re.compile("^Personnes touchées")).fill(
        "Les 40 inscrits du site de Québec"
    )
    page.get_by_label("Mesures prises").fill("Demande de suppression au destinataire.")
    page.locator("main form button[type=submit]").click()
    page.get_by_text("L'incident ne peut pas être connu avant").wait_for()
    audit(page)
    # Nothing typed is lost on the refusal.
    assert (
        page.get_by_label("Circonstances").input_value() == "Un envoi manuel à la mauvaise adresse."
    )

    page.get_by_label("Connu depuis").fill("2026-11-30T12:00")
    page.locator("main form button[type=submit]").click()
    page.get_by_role("heading", name=re.compile("Liste d'inscriptions envoyée")).wait_for()
    audit(page)
    incident = Incident.objects.get()
    assert incident.edition == edition
    assert incident.people_affected == "Les 40 inscrits du site de Québec"
    audit.assert_clean()
