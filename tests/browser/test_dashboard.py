"""An organizer reaches the edition dashboard from the home page and reads its numbers and
charts, at desktop width and on a phone: axe-core clean, nothing scrolls sideways."""

import pytest

from tests.factories.core import OrganizerRoleFactory
from tests.hackqc.test_dashboard import build_edition

from .audit import Audit
from .conftest import PHONE
from .people import person, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _reach_the_dashboard(page, audit, menu_button=None):
    page.goto("/fr/")
    audit(page)
    if menu_button:
        page.get_by_role("button", name=menu_button).click()
    page.get_by_role("navigation").get_by_role("link", name="Se connecter").click()
    audit(page)
    sign_in(page, "orga@example.org")
    audit(page)
    if menu_button:
        page.get_by_role("button", name=menu_button).click()
    page.get_by_role("navigation").get_by_role("link", name="Mon espace").click()
    audit(page)
    page.get_by_role("link", name="Tableau de bord de l\u2019édition").first.click()
    audit(page)


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_an_organizer_reads_the_numbers_at_a_glance(request, width):
    edition = build_edition(extra_teams=2)
    OrganizerRoleFactory(edition=edition, user=person("orga@example.org", "Organisation"))
    page = request.getfixturevalue(width)
    page.context.clear_cookies()
    audit = Audit()

    _reach_the_dashboard(page, audit, menu_button="Menu" if width == "phone" else None)

    numbers = page.get_by_role("region", name="Les chiffres en un coup d\u2019œil")
    numbers.wait_for()
    charts = page.locator("figure.chart svg[role=img]")
    assert charts.count() == 5
    assert page.get_by_role("img", name="Inscriptions au fil du temps").is_visible()
    if width == "phone":
        box = charts.first.bounding_box()
        assert box["width"] <= PHONE["width"]
    audit.assert_clean()
