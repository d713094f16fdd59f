"""A participant's journey, by clicking only from the home page: sign up, verify the
address, register, create a team, invite a teammate who joins, fill the project sheet, link
a dataset by typing, upload a logo, preview, submit, edit and see the difference."""

import io
import re

import pytest
from django.core import mail
from django.utils import translation
from django.utils.text import capfirst
from PIL import Image

from hackqc.models import Phase
from submissions.models import Submission
from tests.factories.catalogue import DatasetFactory
from tests.factories.core import ChallengeFactory, EditionFactory

from .audit import Audit
from .conftest import new_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "une phrase de passe solide 2027"


def link_in_last_mail(to: str) -> str:
    message = next(m for m in reversed(mail.outbox) if to in m.to)
    url = re.search(r"https?://\S+", message.body).group(0)
    return "/" + url.split("/", 3)[3]  # the path: the live server's host replaces the site's


def sign_up(page, audit, email, name):
    page.goto("/fr/")
    audit(page)
    page.get_by_role("navigation").get_by_role("link", name="Créer un compte").click()
    audit(page)
    page.get_by_label("Courriel*", exact=True).fill(email)
    page.get_by_label("Mot de passe*", exact=True).fill(PASSWORD)
    page.get_by_label("Mot de passe (confirmation)*", exact=True).fill(PASSWORD)
    page.get_by_label("Nom affiché*", exact=True).fill(name)
    page.get_by_role("main").get_by_role("button", name=re.compile("compte")).click()
    audit(page)
    # The person opens the verification mail and follows its link.
    page.goto(link_in_last_mail(email))
    audit(page)
    page.get_by_role("button", name="Confirmer").click()
    audit(page)


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (11, 61, 145)).save(buffer, "PNG")
    return buffer.getvalue()


def test_a_participant_signs_up_forms_a_team_and_submits_the_project(
    browser, live_server, desktop, mailoutbox
):
    edition = EditionFactory(phase=Phase.REGISTRATION, name="HackQC 2027")
    challenge = ChallengeFactory(edition=edition, title="Mobilité durable")
    DatasetFactory(title="Stations de vélopartage BIXI")
    audit = Audit()
    page = desktop

    sign_up(page, audit, "alice@example.org", "Alice")
    page.get_by_role("link", name="HackQC").first.click()
    page.get_by_role("link", name=re.compile("S.inscrire à HackQC 2027")).click()
    audit(page)
    page.get_by_label(re.compile("accepte le règlement")).check()
    page.get_by_role("main").get_by_role("button", name="S'inscrire").click()
    audit(page)
    page.get_by_role("link", name="Créer une équipe").click()
    audit(page)
    page.get_by_label("Nom*", exact=True).fill("Les Castors")
    page.get_by_role("button", name="Enregistrer l'équipe").click()
    audit(page)
    page.get_by_role("link", name="Inviter par courriel").click()
    audit(page)
    page.get_by_label(re.compile("[Cc]ourriel")).fill("bob@example.org")
    page.get_by_role("button", name="Envoyer l'invitation").click()
    audit(page)

    # Bob follows the invitation mail, signs up with the invited address, joins.
    bob_page = new_page(browser, live_server)
    bob_page.goto(link_in_last_mail("bob@example.org"))
    audit(bob_page)
    sign_up(bob_page, audit, "bob@example.org", "Bob")
    bob_page.get_by_role("link", name="Mon espace").click()
    audit(bob_page)
    bob_page.get_by_role("link", name=re.compile("Voir l.invitation")).click()
    audit(bob_page)
    bob_page.get_by_role("link", name=re.compile("S.inscrire à l.édition")).click()
    bob_page.get_by_label(re.compile("accepte le règlement")).check()
    bob_page.get_by_role("main").get_by_role("button", name="S'inscrire").click()
    audit(bob_page)  # registering brings Bob back to the invitation
    bob_page.get_by_role("button", name="Rejoindre Les Castors").click()
    audit(bob_page)
    assert "Les Castors" in bob_page.content()
    bob_page.context.close()

    # Alice fills the sheet from her space.
    page.get_by_role("link", name="Mon espace").click()
    audit(page)
    page.get_by_role("link", name="Ouvrir la fiche de projet").click()
    audit(page)
    page.get_by_label("Titre", exact=True).fill("Vélo futé")
    page.get_by_label(re.compile("Présentation en une phrase")).fill(
        "Trouver un vélo libre en deux clics."
    )
    page.get_by_label("Description", exact=True).fill("Une **carte** des stations.")
    page.get_by_role("button", name="Enregistrer la fiche").first.click()
    audit(page)
    sheet = Submission.objects.get(team__name="Les Castors")
    assert sheet.title == "Vélo futé"

    # A dataset by typing part of its name, picked from the combobox.
    picker = page.get_by_role("combobox", name="Jeu de données*")
    picker.fill("vélopartage")
    page.get_by_role("option", name=re.compile("BIXI")).click()
    page.get_by_label(re.compile("Utilisation par le projet")).fill("Les stations sur la carte.")
    page.get_by_role("button", name="Lier le jeu de données").click()
    audit(page)
    assert sheet.dataset_links.count() == 1

    page.get_by_label("Logo*", exact=True).set_input_files(
        files=[{"name": "logo.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    page.get_by_role("button", name="Téléverser le logo").click()
    audit(page)
    sheet.refresh_from_db()
    assert sheet.logo

    # The rest of the sheet, then a preview and the submit.
    page.get_by_label(label_of("challenge")).select_option(value=str(challenge.pk))
    page.get_by_label("Technologies", exact=True).fill("Python, Django")
    for name in ("achievements", "difficulties", "lessons", "next_steps"):
        page.get_by_label(label_of(name), exact=True).fill(f"Texte de {name}.")
    page.get_by_label(label_of("repository_url"), exact=True).fill(
        "https://github.com/castors/velo"
    )
    page.get_by_label(label_of("licence")).select_option("MIT")
    page.get_by_role("button", name="Enregistrer la fiche").first.click()
    audit(page)
    assert "La fiche contient tout ce qu" in page.content()
    page.get_by_role("link", name="Prévisualiser et soumettre le projet").click()
    audit(page)
    assert "Vélo futé" in page.content()
    page.get_by_role("button", name="Soumettre le projet").click()
    audit(page)
    assert sheet.versions.count() == 1
    page.get_by_role("link", name="Retour à la fiche").click()

    # An edit, a second submit, and the difference between the two versions.
    page.get_by_label("Titre", exact=True).fill("Vélo futé 2")
    page.get_by_role("button", name="Enregistrer la fiche").first.click()
    page.get_by_role("link", name=re.compile("Prévisualiser et soumettre")).click()
    page.get_by_role("button", name="Soumettre une nouvelle version").click()
    audit(page)  # the submit shows the versions
    page.get_by_role("link", name=re.compile("Voir les changements depuis la version 1")).click()
    audit(page)
    assert sheet.versions.count() == 2
    assert page.get_by_role("main").locator("ins").first.inner_text().split()[-2:] == ["2", "]"]
    audit.assert_clean()


def label_of(field: str) -> str:
    """The French label the sheet shows for a field of the model."""
    with translation.override("fr"):
        return capfirst(str(Submission._meta.get_field(field).verbose_name))
