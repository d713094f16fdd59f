"""Staff add a CKAN portal from the home page, without the admin, at desktop width and on a
phone: a private address is refused with the typed text kept, then the portal is listed and
can be disabled. axe-core clean, nothing scrolls sideways."""

import pytest

from submissions.catalogue.models import Portal

from .audit import Audit
from .conftest import PHONE
from .people import person, sign_in_from_home

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_staff_add_a_portal_then_disable_it(request, width):
    person("staff@example.org", "Équipe technique", is_staff=True)
    page = request.getfixturevalue(width)
    page.context.clear_cookies()
    audit = Audit()
    menu = "Menu" if width == "phone" else None

    sign_in_from_home(page, "staff@example.org", menu=menu, audit=audit)
    page.get_by_role("navigation").get_by_role("link", name="Organiser").click()
    page.get_by_role("link", name="Personnel", exact=True).click()
    audit(page)
    page.get_by_role("link", name="Portails CKAN").first.click()
    audit(page)
    page.get_by_role("link", name="Ajouter un portail").click()
    audit(page)

    page.get_by_label("Titre*").fill("Ville de Gatineau : données")
    page.get_by_label("Nom*").fill("gatineau")
    page.get_by_label("URL de base de l'API Action*").fill("https://127.0.0.1/api/3/action/")
    page.get_by_label("Modèle d'URL de la page d'un jeu de données*").fill(
        "https://8.8.8.8/dataset/{name}"
    )
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_load_state("load")
    audit(page)
    assert page.get_by_text("est une adresse privée ou locale").is_visible()
    assert page.get_by_label("Titre*").input_value() == "Ville de Gatineau : données"

    page.get_by_label("URL de base de l'API Action*").fill("https://8.8.8.8/api/3/action/")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_load_state("load")
    audit(page)
    assert page.get_by_text("Portail ajouté.").is_visible()
    row = page.locator("tr", has_text="Ville de Gatineau")
    assert row.get_by_text("Jamais synchronisé.").is_visible()

    row.get_by_role("button", name="Désactiver").click()
    page.wait_for_load_state("load")
    audit(page)
    assert Portal.objects.get(name="gatineau").is_enabled is False
    if width == "phone":
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    audit.assert_clean()
