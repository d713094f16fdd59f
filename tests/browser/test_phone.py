"""At 390 px: the menu collapses behind a button, the header takes at most a fifth of the
screen, and no page a participant reaches scrolls sideways (English this time)."""

import re

import pytest

from hackqc.models import Phase
from tests.factories.catalogue import DatasetFactory
from tests.factories.core import EditionFactory, UserFactory
from tests.factories.submissions import DatasetLinkFactory, SubmissionFactory
from tests.factories.teams import MembershipFactory

from .audit import Audit, axe_violations
from .conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long enough passphrase 2027"


def open_menu(page):
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("navigation").get_by_role("link", name="My space").wait_for()


def test_a_member_walks_the_site_on_a_phone(phone):
    edition = EditionFactory(phase=Phase.REGISTRATION, name="HackQC 2027")
    user = UserFactory(email="alice@example.org", display_name="Alice")
    user.set_password(PASSWORD)
    user.save()
    team = MembershipFactory(team__edition=edition, team__name="Les Castors", user=user).team
    sheet = SubmissionFactory(team=team, complete=True, title="Vélo futé")
    DatasetLinkFactory(
        submission=sheet,
        dataset=DatasetFactory(title="Stations de vélopartage " + "BIXI" * 20),
    )
    audit = Audit()
    page = phone

    page.goto("/en/")
    audit(page)
    header = page.locator("header").bounding_box()
    assert header["height"] <= PHONE["height"] / 5
    # The collapsed menu hides its links until the button opens it.
    assert not page.get_by_role("navigation").get_by_role("link", name="Projects").is_visible()
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("navigation").get_by_role("link", name="Log in").click()
    audit(page)
    page.get_by_label("Email*", exact=True).fill("alice@example.org")
    page.get_by_label("Password*", exact=True).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name=re.compile("Sign In|Log in")).click()
    audit(page)

    for name in ("Team board", "Projects", "Results", "Open data", "My space"):
        open_menu(page)
        page.get_by_role("navigation").get_by_role("link", name=name).click()
        audit(page)
    page.get_by_role("link", name="Open the project sheet").click()
    audit(page)
    page.get_by_role("link", name="Project page").click()
    audit(page)
    audit.assert_clean()


def test_the_audit_catches_what_it_claims_to(phone):
    """The checks above are not vacuous: a page with a wide table and an unlabelled image
    fails them."""
    phone.set_content(
        '<html lang="en"><body><main><h1>x</h1><img src="data:,">'
        '<div style="width:900px">wide</div></main></body></html>'
    )
    assert any(v.startswith("image-alt") for v in axe_violations(phone))
    audit = Audit()
    audit(phone)
    assert any("scrolls sideways" in problem for problem in audit.problems)
