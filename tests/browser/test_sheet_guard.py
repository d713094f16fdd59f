"""Typed text in the project sheet is never lost silently: using another form of the page
(link a dataset) with unsaved changes asks first, and declining keeps the text."""

import re

import pytest

from hackqc.models import Phase
from submissions.models import Submission
from tests.factories.catalogue import DatasetFactory
from tests.factories.core import EditionFactory
from tests.factories.submissions import SubmissionFactory
from tests.factories.teams import MembershipFactory

from .people import person, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_another_form_asks_before_losing_typed_text(desktop):
    edition = EditionFactory(phase=Phase.REGISTRATION)
    user = person("alice@example.org")
    team = MembershipFactory(team__edition=edition, user=user, is_captain=True).team
    SubmissionFactory(team=team, title="Vélo futé")
    DatasetFactory(title="Stations de vélopartage BIXI")
    page = desktop
    page.goto("/fr/accounts/login/")
    sign_in(page, "alice@example.org")
    page.get_by_role("navigation").get_by_role("link", name="Fiche de projet").click()

    page.get_by_label("Description", exact=True).fill("Un long texte pas encore enregistré.")
    page.get_by_role("combobox", name="Jeu de données*").fill("BIXI")
    page.get_by_label(re.compile("Utilisation par le projet")).fill("La carte.")
    dialogs = []

    def decline(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", decline)
    page.get_by_role("button", name="Lier le jeu de données").click()
    assert len(dialogs) == 1
    assert "non enregistrées" in dialogs[0]
    # Nothing was sent: the text is still in the field, the dataset not linked.
    assert page.get_by_label("Description", exact=True).input_value().startswith("Un long")
    assert Submission.objects.get(team=team).dataset_links.count() == 0

    page.get_by_role("button", name="Enregistrer la fiche").first.click()
    page.wait_for_load_state("load")
    assert Submission.objects.get(team=team).description.startswith("Un long texte")
