"""An organizer publishes a draft edition from its dashboard, reached from the home page, at
desktop width and on a phone: until then the public does not see it; afterwards the home
page lists it. axe-core clean."""

import pytest

from hackqc.models import Edition, Phase
from tests.factories.core import EditionFactory, OrganizerRoleFactory

from .audit import Audit
from .people import person, sign_in_from_home

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_an_organizer_publishes_a_draft_edition(request, width, browser, live_server):
    EditionFactory(year=2026, slug="hackqc-2026", name="HackQC 2026", phase=Phase.RESULTS)
    draft = EditionFactory(
        year=2027,
        slug="hackqc-2027",
        name="HackQC 2027 en préparation",
        phase=Phase.REGISTRATION,
        status=Edition.Status.DRAFT,
    )
    OrganizerRoleFactory(edition=draft, user=person("orga@example.org", "Organisation"))
    page = request.getfixturevalue(width)
    page.context.clear_cookies()
    audit = Audit()
    menu = "Menu" if width == "phone" else None

    page.goto("/fr/")
    assert page.get_by_text("HackQC 2027 en préparation").count() == 0
    sign_in_from_home(page, "orga@example.org", menu=menu, audit=audit)
    page.get_by_role("navigation").get_by_role("link", name="Mon espace").click()
    audit(page)
    page.get_by_role("link", name="Tableau de bord de l\u2019édition").first.click()
    audit(page)

    cycle = page.get_by_role("region", name="Cycle de vie")
    assert "Brouillon" in cycle.inner_text()
    cycle.get_by_role("button", name="Publier l\u2019édition").click()
    page.wait_for_load_state("load")
    audit(page)
    draft.refresh_from_db()
    assert draft.status == Edition.Status.PUBLISHED

    # Seen by the public at once (the home page's cache follows the publication).
    visitor = browser.new_context(base_url=live_server.url)
    public = visitor.new_page()
    public.goto("/fr/")
    assert public.get_by_text("HackQC 2027 en préparation").count() >= 1
    visitor.close()
    audit.assert_clean()
