"""An organizer goes from the home page to the edition dashboard, finds a participant among
the registrations, tries to move them to a full site (a clear error, the reason kept), then
to a site with room, and sees the result; at desktop width and on a phone, axe-core clean."""

import re

import pytest

from hackqc.models import OutgoingMail, Phase
from teams.models import Registration, RegistrationCorrection
from tests.factories.core import EditionFactory, HostSiteFactory, OrganizerRoleFactory
from tests.factories.teams import RegistrationFactory

from .audit import Audit
from .people import person, sign_in_from_home

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "Marie a demandé au téléphone d\u2019être à Lévis."


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_an_organizer_corrects_a_participants_site_with_a_reason(request, width):
    edition = EditionFactory(phase=Phase.REGISTRATION, name="HackQC 2027")
    quebec = HostSiteFactory(edition=edition, name="Pôle Québec", capacity=10)
    levis = HostSiteFactory(edition=edition, name="Pôle Lévis", capacity=10)
    rimouski = HostSiteFactory(edition=edition, name="Pôle Rimouski", capacity=1)
    RegistrationFactory(edition=edition, host_site=rimouski, user__display_name="Déjà Là")
    marie = RegistrationFactory(
        edition=edition, host_site=quebec, user__display_name="Marie Tremblay"
    )
    RegistrationFactory(edition=edition, user__display_name="Paul Gagnon")
    OrganizerRoleFactory(edition=edition, user=person("orga@example.org", "Organisation"))
    page = request.getfixturevalue(width)
    page.context.clear_cookies()
    menu = "Menu" if width == "phone" else None
    audit = Audit()

    sign_in_from_home(page, "orga@example.org", menu=menu, audit=audit)
    page.get_by_role("navigation").get_by_role("link", name="Mon espace").click()
    audit(page)
    page.get_by_role("link", name="Tableau de bord de l\u2019édition").first.click()
    audit(page)
    tools = page.get_by_role("navigation", name="Outils d'organisation")
    tools.get_by_role("link", name="Inscriptions", exact=True).click()
    audit(page)
    page.get_by_label("Trouver une personne par son nom ou son adresse courriel").fill("tremblay")
    page.get_by_role("button", name="Rechercher").click()
    rows = page.get_by_role("main").get_by_role("row")
    assert rows.count() == 2  # the header and Marie
    audit(page)
    page.get_by_role("link", name="Corriger Marie Tremblay").click()
    audit(page)

    # A full site: a clear error, and what was typed is kept.
    page.get_by_label("Pôle", exact=True).select_option(str(rimouski.pk))
    page.get_by_label("Raison de la correction*", exact=True).fill(REASON)
    page.get_by_role("button", name="Enregistrer la correction").click()
    page.get_by_text("Pôle Rimouski est complet").first.wait_for()
    assert page.get_by_label("Raison de la correction*", exact=True).input_value() == REASON
    audit(page)
    assert Registration.objects.get(pk=marie.pk).host_site == quebec

    # A site with room: saved, and the list shows it.
    page.get_by_label("Pôle", exact=True).select_option(str(levis.pk))
    page.get_by_role("button", name="Enregistrer la correction").click()
    page.get_by_text("L\u2019inscription de Marie Tremblay est corrigée").wait_for()
    row = page.get_by_role("main").get_by_role("row", name=re.compile("Marie Tremblay"))
    assert "Pôle Lévis" in row.inner_text()
    audit(page)

    assert Registration.objects.get(pk=marie.pk).host_site == levis
    correction = RegistrationCorrection.objects.get()
    assert (correction.reason, correction.changes) == (
        REASON,
        {"host_site": [quebec.pk, levis.pk]},
    )
    mails = OutgoingMail.objects.filter(user=marie.user, template="teams/mail/corrected")
    assert mails.count() == 1
    assert page.js_errors == []
    audit.assert_clean()
