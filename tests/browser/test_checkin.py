"""On the day, at 390 px: a volunteer goes from the home page to the check-in page through
Mon espace, types a participant's code and sees who was checked in; no axe violation."""

import pytest

from hackqc.models import Phase
from teams.checkin import display_code
from teams.models import Registration
from tests.factories.core import EditionFactory, HostSiteFactory
from tests.factories.teams import RegistrationFactory

from .audit import Audit
from .people import person, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_volunteer_checks_a_participant_in_by_typed_code(phone):
    edition = EditionFactory(phase=Phase.HACKING, name="HackQC 2027")
    site = HostSiteFactory(edition=edition, name="Pôle Rimouski", capacity=80)
    volunteer = person("benevole@example.org", "Béa Bénévole")
    RegistrationFactory(edition=edition, user=volunteer, role="volunteer", host_site=site)
    arriving = RegistrationFactory(
        edition=edition, user__display_name="Marie Tremblay", host_site=site
    )
    audit = Audit()
    page = phone

    page.goto("/fr/")
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("navigation").get_by_role("link", name="Se connecter").click()
    sign_in(page, "benevole@example.org")
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("navigation").get_by_role("link", name="Mon espace").click()
    audit(page)
    page.get_by_role("link", name="Accueillir les participants").click()
    audit(page)
    page.get_by_label("Code d'accueil").fill(display_code(arriving.checkin_code).lower())
    page.get_by_role("button", name="Enregistrer l'arrivée", exact=True).click()

    page.get_by_text("Arrivée de Marie Tremblay enregistrée.").wait_for()
    assert "Marie Tremblay" in page.get_by_role("list").last.inner_text()
    audit(page)
    arriving.refresh_from_db()
    assert (arriving.checked_in_by, arriving.checked_in_at is not None) == (volunteer, True)
    assert Registration.objects.filter(checked_in_at__isnull=False).count() == 1
    assert page.js_errors == []
    audit.assert_clean()
