"""Every page each demo persona reaches by following links, at phone width: no serious or
critical WCAG 2.1 A/AA violation (axe-core), nothing scrolls sideways, no script error; and
at 1280 px the menu of a person with every role stays on one line."""

import re
from collections import deque
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from hackqc.demo import DEMO_PASSWORD
from tests.factories.core import EditionFactory
from tests.factories.judging import JudgeFactory

from .audit import Audit
from .conftest import DESKTOP, PHONE, new_page
from .people import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Files, actions and other people's sessions are not pages to audit.
SKIP = re.compile(
    r"(\.json|\.csv|\.xlsx|\.pdf|\.ics|\.txt|/export|/logout|/admin/|/media/|/static/|/i18n/|"
    r"/live/screen|/state\.json|/accounts/(password|email|confirm|3rdparty|reauthenticate))"
)
PAGES_PER_PERSONA = 200


def log_in(page, email):
    page.goto("/fr/accounts/login/")
    sign_in(page, email, DEMO_PASSWORD)


def crawl(page, audit, limit=PAGES_PER_PERSONA):
    """Breadth-first from the home page, following the links people see; one page per
    path pattern (digits folded), so a list of 30 teams costs one visit, not 30."""
    queue = deque(["/fr/"])
    patterns = set()
    visited = 0
    while queue and visited < limit:
        path = queue.popleft()
        pattern = re.sub(r"\d+", "N", path)
        if pattern in patterns:
            continue
        patterns.add(pattern)
        response = page.goto(path)
        visited += 1
        assert response.status < 500, f"{path}: {response.status}"
        if response.status != 200 or "text/html" not in response.headers.get("content-type", ""):
            continue
        audit(page)
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            parts = urlsplit(href)
            if parts.netloc != urlsplit(page.url).netloc or SKIP.search(parts.path):
                continue
            if parts.path.startswith("/fr/"):
                queue.append(parts.path)
    return visited


PERSONAS = [
    None,  # a visitor
    "participant1@example.org",
    "judge1@example.org",
    "organizer@example.org",
]


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=None)


@pytest.mark.parametrize("email", PERSONAS, ids=lambda e: (e or "visitor").split("@")[0])
def test_every_page_a_persona_reaches_is_accessible_on_a_phone(demo, browser, live_server, email):
    page = new_page(browser, live_server, viewport=PHONE)
    if email:
        log_in(page, email)
    audit = Audit()
    visited = crawl(page, audit)
    page.context.close()
    print(f"{email or 'visitor'}: {visited} pages")
    assert 8 <= visited < PAGES_PER_PERSONA  # every page reached, not a sample
    audit.assert_clean()


def test_the_menu_of_a_person_with_every_role_stays_on_one_line(demo, browser, live_server):
    # participant1 is in a team (the "project sheet" entry); made staff (organizer) and a
    # judge of another edition, they have every entry of the menu at once.
    person = get_user_model().objects.get(email="participant1@example.org")
    person.is_staff = True
    person.save(update_fields=["is_staff"])
    JudgeFactory(edition=EditionFactory(is_synthetic=True), user=person)
    page = new_page(browser, live_server, viewport=DESKTOP)
    log_in(page, person.email)
    for language in ("fr", "en"):
        page.goto(f"/{language}/")
        boxes = page.eval_on_selector_all(
            "header nav .nav-item",
            "items => items.map(i => [i.getBoundingClientRect().top, i.getBoundingClientRect()"
            ".bottom])",
        )
        assert len(boxes) >= 10  # four public entries, jury, space, sheet, organize, account…
        # One line: every entry overlaps every other vertically.
        assert max(t for t, _b in boxes) < min(b for _t, b in boxes), f"{language}: {boxes}"
    page.context.close()
