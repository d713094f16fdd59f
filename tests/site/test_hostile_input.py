"""Hostile values at every door of the site: never a server error.

Every URL pattern of the resolver is requested as each persona with NUL bytes, invalid UTF-8
(percent-encoded), 10,000 characters and huge numbers in each GET parameter its view reads,
in each path argument, and in each field of each form its pages show (POST). Each POST runs
in a rolled-back savepoint, so a form that accepts the value cannot change what the next
request finds. Runs on SQLite and PostgreSQL (which refuses NUL in text, hence most bugs).
"""

import contextlib
from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.http import QueryDict
from django.urls import resolve

from tests.site.urlwalk import all_routes, demo_objects, demo_values

# Already URL-encoded, as they travel in a path, a query string or a form body.
HOSTILE = {
    "nul": "a%00b",
    "invalid utf-8": "%FF%FEa%C3",
    "10k characters": "x" * 10_000,
    "huge number": "9" * 40,
}
PERSONAS = ("organizer", "captain", "judge", "anonymous")
# Patterns that are not the site's pages: Django's static-file view in DEBUG.
SKIPPED = {"^media/(?P<path>.*)$"}
# Signing out would walk the rest of the site as anonymous: its form is only fetched.
NOT_POSTED = {"account_logout", "admin:logout"}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("seed_demo", verbosity=0)
        yield
        call_command("flush", verbosity=0, interactive=False)


@pytest.fixture
def world(demo, db):
    from judging.models import Review

    objects = demo_objects()
    user = get_user_model().objects
    review = Review.objects.filter(pk=objects["review_pk"]).select_related("judge__user").first()
    submission = objects["submission"]
    captain = submission.team.memberships.filter(is_captain=True).first() or (
        submission.team.memberships.first()
    )
    objects["personas"] = {
        "organizer": user.get(email="organizer@example.org"),
        "captain": captain.user,
        "judge": review.judge.user if review else user.get(email="judge1@example.org"),
        "anonymous": None,
    }
    return objects


class FormParser(HTMLParser):
    """The POST forms of a page: action and (name, value) of each field."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self._current = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._current = {"action": attrs.get("action") or "", "fields": []}
            self.forms.append(self._current)
        elif self._current is not None and tag in {"input", "textarea", "select"}:
            name = attrs.get("name")
            if tag == "textarea":
                self._textarea = name
            elif name and attrs.get("type") not in {"submit", "button", "file", "image"}:
                self._current["fields"].append((name, attrs.get("value") or ""))

    def handle_data(self, data):
        if self._current is not None and self._textarea is not None:
            self._current["fields"].append((self._textarea, data.strip()))
            self._textarea = None

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None
        if tag == "textarea":
            self._textarea = None


@contextlib.contextmanager
def reading_parameters():
    """Records the names that views read from a QueryDict (GET parameters, form fields)."""
    names = set()
    original_get, original_getitem = QueryDict.get, QueryDict.__getitem__
    original_getlist = QueryDict.getlist

    def get(self, key, default=None):
        names.add(key)
        return original_get(self, key, default)

    def getitem(self, key):
        names.add(key)
        return original_getitem(self, key)

    def getlist(self, key, default=None):
        names.add(key)
        return original_getlist(self, key, default)

    QueryDict.get, QueryDict.__getitem__, QueryDict.getlist = get, getitem, getlist
    try:
        yield names
    finally:
        QueryDict.get, QueryDict.__getitem__ = original_get, original_getitem
        QueryDict.getlist = original_getlist


class Walker:
    def __init__(self, client, failures):
        self.client = client
        self.failures = failures
        self.seen_forms = set()

    def request(self, method, url, body=None, persona=""):
        try:
            with transaction.atomic():
                if method == "GET":
                    response = self.client.get(url)
                else:
                    response = self.client.generic(
                        "POST", url, body or "", content_type="application/x-www-form-urlencoded"
                    )
                transaction.set_rollback(True)
        except Exception as exc:  # every error is a finding
            self.failures.append(f"{persona} {method} {url[:150]}: {type(exc).__name__}: {exc}")
            return None
        if response.status_code >= 500:
            self.failures.append(f"{persona} {method} {url[:150]}: {response.status_code}")
        return response

    def walk_get(self, path, persona):
        with reading_parameters() as names:
            response = self.request("GET", path, persona=persona)
        for name in sorted(names - {"csrfmiddlewaretoken"}):
            for value in HOSTILE.values():
                self.request("GET", f"{path}?{quote(name)}={value}", persona=persona)
        return response

    def walk_forms(self, page_path, response, persona):
        if response is None or response.status_code != 200:
            return
        if not response.headers.get("Content-Type", "").startswith("text/html"):
            return
        parser = FormParser()
        parser.feed(response.content.decode(errors="replace"))
        for form in parser.forms:
            action = urlsplit(form["action"]).path or page_path
            if resolve(action).view_name in NOT_POSTED:
                continue
            key = (persona, action, tuple(sorted(name for name, _ in form["fields"])))
            if key in self.seen_forms:
                continue
            self.seen_forms.add(key)
            self.fuzz_form(action, form["fields"], persona)

    def fuzz_form(self, action, fields, persona):
        defaults = [(name, quote(value)) for name, value in fields]
        names = [name for name, _ in fields if name != "csrfmiddlewaretoken"]
        for value in HOSTILE.values():
            body = "&".join(f"{quote(name)}={value}" for name in names)
            self.request("POST", action, body, persona)
        for target in names:
            for value in (HOSTILE["nul"], HOSTILE["huge number"]):
                body = "&".join(
                    f"{quote(name)}={value if name == target else default}"
                    for name, default in defaults
                )
                self.request("POST", action, body, persona)

    def walk_path_arguments(self, route, values, persona):
        for argument in route.arguments:
            for value in HOSTILE.values():
                self.request("GET", route.path({**values, argument: value}), persona=persona)


def walk_site(walker, objects, persona):
    for route in all_routes():
        if route.pattern in SKIPPED:
            continue
        values = demo_values(route, objects)
        path = route.path(values)
        response = walker.walk_get(path, persona)
        walker.walk_forms(path, response, persona)
        if route.name not in NOT_POSTED:
            walker.request("POST", path, "", persona)
        walker.walk_path_arguments(route, values, persona)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_hostile_values_never_cause_a_server_error(client, world, persona):
    user = world["personas"][persona]
    if user is not None:
        client.force_login(user)
    failures = []

    walk_site(Walker(client, failures), world, persona)

    assert failures == []
