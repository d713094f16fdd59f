"""A judge scores and submits from the home page; an organizer computes, approves and
publishes the results. By clicking only, each page audited (axe-core, sideways scroll)."""

import re

import pytest

from hackqc.models import Phase
from judging.models import Review
from judging.results.models import ResultSnapshot
from submissions.models import Submission
from tests.factories.core import EditionFactory, OrganizerRoleFactory
from tests.factories.judging import AssignmentFactory, CriterionFactory, JudgeFactory, RoundFactory
from tests.factories.results import AwardPolicyFactory, PrizeFactory
from tests.factories.submissions import SubmissionFactory, record_submitted_version

from .audit import Audit
from .conftest import DESKTOP, PHONE, new_page
from .people import PASSWORD, person, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, audit, email):
    page.goto("/fr/")
    audit(page)
    page.get_by_role("navigation").get_by_role("link", name="Se connecter").click()
    audit(page)
    sign_in(page, email)
    audit(page)


def submitted_project(edition, title):
    sheet = SubmissionFactory(
        team__edition=edition,
        title=title,
        complete=True,
        with_dataset=True,
        state=Submission.State.SUBMITTED,
    )
    record_submitted_version(sheet)
    return sheet


WORDS = {
    "fr": {
        "log_in": "Se connecter",
        "email": "Courriel*",
        "password": "Mot de passe*",
        "sign_in": "Connexion",
        "space": "Mon espace",
        "left_2": "2 évaluations restantes",
        "left_1": "1 évaluation restante",
        "feedback": re.compile("Commentaires pour l.équipe"),
        "submit": re.compile("Soumettre l.évaluation"),
        "score": "7,5",
    },
    "en": {
        "log_in": "Log in",
        "email": "Email*",
        "password": "Password*",
        "sign_in": re.compile("Sign In", re.I),
        "space": "My space",
        "left_2": "2 reviews left",
        "left_1": "1 review left",
        "feedback": "Feedback for the team",
        "submit": "Submit the review",
        "score": "7.5",
    },
}


@pytest.mark.parametrize(("language", "viewport"), [("fr", DESKTOP), ("en", PHONE)])
def test_a_judge_scores_and_submits(browser, live_server, language, viewport):
    """In French on a desktop with the decimal comma, in English on a phone."""
    words = WORDS[language]
    edition = EditionFactory(phase=Phase.JUDGING, name="HackQC 2027")
    round = RoundFactory(edition=edition, number=1, name="Ronde préliminaire")
    CriterionFactory(round=round, name="Innovation", weight=2, order=1)
    CriterionFactory(round=round, name="Utilité", weight=1, order=2)
    judge = JudgeFactory(edition=edition, user=person("juge@example.org", "Juge Tremblay"))
    first = submitted_project(edition, "Vélo futé")
    AssignmentFactory(round=round, judge=judge, submission=first)
    AssignmentFactory(round=round, judge=judge, submission=submitted_project(edition, "Parc+"))
    audit = Audit()
    page = new_page(browser, live_server, viewport=viewport)

    def menu(name):
        if viewport == PHONE:
            page.get_by_role("button", name="Menu").click()
        page.get_by_role("navigation").get_by_role("link", name=name).click()

    page.goto(f"/{language}/")
    audit(page)
    menu(words["log_in"])
    audit(page)
    page.get_by_label(words["email"], exact=True).fill("juge@example.org")
    page.get_by_label(words["password"], exact=True).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name=words["sign_in"]).click()
    audit(page)
    menu(words["space"])
    audit(page)
    assert words["left_2"] in page.content()
    page.get_by_role("link", name="Ronde préliminaire").click()
    audit(page)
    page.get_by_role("link", name="Vélo futé").click()
    audit(page)
    page.get_by_label("Innovation", exact=True).fill(words["score"])
    page.get_by_label("Utilité", exact=True).fill("8")
    page.get_by_label(words["feedback"]).fill("Une idée claire, bien menée.")
    page.get_by_role("button", name=words["submit"]).click()
    audit(page)
    review = Review.objects.get(judge=judge, submission=first)
    assert review.state == Review.State.SUBMITTED
    assert sorted(float(s.value) for s in review.scores.all()) == [7.5, 8.0]

    menu(words["space"])
    assert words["left_1"] in page.content()
    page.context.close()
    audit.assert_clean()


def test_an_organizer_computes_approves_and_publishes_the_results(desktop):
    edition = EditionFactory(phase=Phase.DELIBERATION, name="HackQC 2026")
    AwardPolicyFactory(edition=edition, require_repository=False, require_licence=False)
    organizer = person("orga@example.org", "Organisation")
    OrganizerRoleFactory(edition=edition, user=organizer)
    round = RoundFactory(edition=edition, number=1, name="Finale", method="mean")
    criterion = CriterionFactory(round=round, name="Innovation", weight=1)
    judge = JudgeFactory(edition=edition)
    for title, value in [("Vélo futé", 9), ("Parc+", 6)]:
        sheet = submitted_project(edition, title)
        review = Review.objects.create(
            round=round, judge=judge, submission=sheet, state=Review.State.SUBMITTED
        )
        review.scores.create(criterion=criterion, value=value)
    PrizeFactory(edition=edition, round=round, name="Grand prix", places=1)
    audit = Audit()
    page = desktop

    log_in(page, audit, "orga@example.org")
    page.get_by_role("navigation").get_by_role("link", name="Mon espace").click()
    audit(page)
    page.get_by_role("link", name=re.compile("^Classements")).click()
    audit(page)
    page.get_by_role("navigation").get_by_role("link", name="Mon espace").click()
    page.get_by_role("link", name="Calculer et publier les résultats").click()
    audit(page)
    page.get_by_role("button", name="Calculer les résultats maintenant").click()
    audit(page)
    # Computing runs as an organizer job: its page links to the result when it is done.
    page.get_by_role("link", name="Voir le résultat").click()
    snapshot = ResultSnapshot.objects.get(edition=edition)  # its page opens at once
    page.get_by_role("button", name="Approuver ces prix").click()
    audit(page)
    page.get_by_role("button", name="Publier les résultats").click()
    audit(page)
    snapshot.refresh_from_db()
    assert snapshot.state == ResultSnapshot.State.PUBLISHED
    page.get_by_role("link", name="Voir le résultat").click()  # publishing runs as a job too
    page.get_by_role("link", name="Page publique des résultats").click()
    audit(page)
    assert "Vélo futé" in page.content()
    audit.assert_clean()
