"""An organizer clones the edition for next year from its dashboard, reached from the home
page, at desktop width and on a phone: a taken address is explained with the text kept, then
the new edition's dashboard opens. axe-core clean, nothing scrolls sideways."""

import pytest

from hackqc.models import Edition, Phase
from tests.factories.core import ChallengeFactory, EditionFactory, OrganizerRoleFactory
from tests.factories.judging import CriterionFactory, RoundFactory

from .audit import Audit
from .conftest import PHONE
from .people import person, sign_in_from_home

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _edition():
    edition = EditionFactory(year=2026, slug="hackqc-2026", name="HackQC 2026", phase=Phase.RESULTS)
    ChallengeFactory(edition=edition, number=1, title="Mobilité durable")
    CriterionFactory(round=RoundFactory(edition=edition, number=1), name="Utilité", weight=2)
    EditionFactory(year=2025, slug="hackqc-2025", name="HackQC 2025", phase=Phase.RESULTS)
    OrganizerRoleFactory(edition=edition, user=person("orga@example.org", "Organisation"))
    return edition


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_an_organizer_clones_the_edition_for_next_year(request, width):
    _edition()
    page = request.getfixturevalue(width)
    page.context.clear_cookies()
    audit = Audit()
    menu = "Menu" if width == "phone" else None

    sign_in_from_home(page, "orga@example.org", menu=menu, audit=audit)
    page.get_by_role("navigation").get_by_role("link", name="Mon espace").click()
    page.get_by_role("link", name="Tableau de bord de l\u2019édition").first.click()
    audit(page)

    section = page.get_by_role("region", name="Cloner pour l\u2019an prochain")
    assert section.get_by_label("Année*").input_value() == "2027"
    section.get_by_label("Adresse web (identifiant)*").fill("hackqc-2025")
    section.get_by_label("Nom*").fill("HackQC 2027 : la relève")
    section.get_by_role("button", name="Cloner l\u2019édition").click()
    page.wait_for_load_state("load")
    audit(page)
    assert page.get_by_text("Une autre édition utilise déjà cette adresse").is_visible()
    assert page.get_by_label("Nom*").input_value() == "HackQC 2027 : la relève"

    page.get_by_label("Adresse web (identifiant)*").fill("hackqc-2027")
    page.get_by_role("button", name="Cloner l\u2019édition").click()
    page.wait_for_load_state("load")
    audit(page)

    assert page.get_by_role("heading", level=1).inner_text() == "Organiser HackQC 2027 : la relève"
    assert page.get_by_role("cell", name="Mobilité durable", exact=True).is_visible()
    new = Edition.objects.get(slug="hackqc-2027")
    assert list(new.rounds.values_list("criteria__name", flat=True)) == ["Utilité"]
    if width == "phone":
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    audit.assert_clean()
