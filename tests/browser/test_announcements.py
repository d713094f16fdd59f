"""An organizer writes an announcement from the home page, previews it, sends herself a test,
sends it to the participants and pins it; a participant then reads it on the edition page.
At desktop width and on a phone: axe-core clean, nothing scrolls sideways."""

import pytest
from django.core import mail

from hackqc.models import Announcement, Phase
from tests.factories.core import EditionFactory, OrganizerRoleFactory
from tests.factories.teams import MembershipFactory, TeamFactory

from .audit import Audit
from .conftest import new_page
from .people import person, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _open_menu(page, width):
    if width == "phone":
        page.get_by_role("button", name="Menu").click()


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_an_organizer_announces_and_a_participant_reads_it(request, width, browser, live_server):
    edition = EditionFactory(phase=Phase.HACKING, name="HackQC Annonces")
    OrganizerRoleFactory(edition=edition, user=person("orga@example.org", "Organisation"))
    team = TeamFactory(edition=edition)
    MembershipFactory(team=team, is_captain=True, user=person("lea@example.org", "Léa"))
    MembershipFactory(team=team, user=person("sam@example.org", "Sam", preferred_language="en"))
    page = request.getfixturevalue(width)
    page.context.clear_cookies()
    audit = Audit()

    page.goto("/fr/")
    audit(page)
    _open_menu(page, width)
    page.get_by_role("navigation").get_by_role("link", name="Se connecter").click()
    sign_in(page, "orga@example.org")
    _open_menu(page, width)
    page.get_by_role("navigation").get_by_role("link", name="Mon espace").click()
    page.get_by_role("link", name="Tableau de bord de l\u2019édition").first.click()
    audit(page)
    page.get_by_role("link", name="Annonces", exact=True).first.click()
    audit(page)
    page.get_by_role("link", name="Rédiger une annonce").click()
    audit(page)

    page.get_by_label("Envoyer à").select_option(label="Tous les participants (2\u00a0personnes)")
    page.get_by_label("Objet en français").fill("Salle changée")
    page.get_by_label("Message en français").fill("Rendez-vous au **local B-204**.")
    page.get_by_label("Objet en anglais").fill("Room changed")
    page.get_by_role("button", name="Enregistrer et prévisualiser").click()
    audit(page)
    # The English message was left empty: refused, with everything typed kept.
    assert page.get_by_text("Rédigez à la fois l'objet et le message").is_visible()
    assert page.get_by_label("Objet en anglais").input_value() == "Room changed"
    assert page.get_by_label("Message en français").input_value() == (
        "Rendez-vous au **local B-204**."
    )

    page.get_by_label("Message en anglais").fill("Meet in **room B-204**.")
    page.get_by_role("button", name="Enregistrer et prévisualiser").click()
    audit(page)
    assert page.get_by_role("heading", name="Room changed").is_visible()
    assert page.locator("section[lang=fr] strong").inner_text() == "local B-204"
    assert page.locator("section[lang=en] strong").inner_text() == "room B-204"

    page.get_by_role("button", name="M'envoyer un essai").click()
    audit(page)
    assert sorted(m.subject.rsplit("] ", 1)[-1] for m in mail.outbox) == [
        "Room changed",
        "Salle changée",
    ]
    assert {m.to[0] for m in mail.outbox} == {"orga@example.org"}
    mail.outbox.clear()

    page.get_by_label("Je l'ai vérifiée\u00a0: l'envoyer maintenant à 2\u00a0personnes.").check()
    page.get_by_role("button", name="Envoyer à 2\u00a0personnes").click()
    audit(page)
    page.get_by_role("button", name="Épingler Salle changée").click()
    audit(page)

    announcement = Announcement.objects.get()
    assert (announcement.status, announcement.recipient_count) == ("sent", 2)
    assert announcement.pinned
    assert {(m.to[0], m.subject.rsplit("] ", 1)[-1]) for m in mail.outbox} == {
        ("lea@example.org", "Salle changée"),
        ("sam@example.org", "Room changed"),
    }

    reader = new_page(browser, live_server, viewport=page.viewport_size)
    try:
        reader.goto("/fr/")
        _open_menu(reader, width)
        reader.get_by_role("navigation").get_by_role("link", name="Se connecter").click()
        sign_in(reader, "lea@example.org")
        reader.goto("/fr/")
        reader.get_by_role("link", name="Tout sur HackQC Annonces").click()
        audit(reader)
        pinned = reader.get_by_role("region", name="Annonces")
        assert pinned.get_by_role("heading", name="Salle changée").is_visible()
        assert pinned.locator("article[lang=fr] strong").inner_text() == "local B-204"
    finally:
        reader.context.close()
    audit.assert_clean()
