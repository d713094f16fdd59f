"""403, 404 and 500 pages in the site's look, in French and English; a favicon."""

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import path

from tests.factories.core import UserFactory

pytestmark = pytest.mark.django_db


def _boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", _boom)]


@pytest.mark.parametrize(
    ("language", "title"), [("fr", "Page introuvable"), ("en", "Page not found")]
)
def test_an_unknown_page_is_a_404_in_the_site_look(client, settings, language, title):
    settings.DEBUG = False
    response = client.get(f"/{language}/nothing-here/")
    assert response.status_code == 404
    page = response.content.decode()
    assert title in page
    assert 'class="navbar' in page  # the site's header and menu
    assert f'<html lang="{language}">' in page


def test_a_refused_page_is_a_403_that_says_who_is_signed_in(client, settings):
    settings.DEBUG = False
    client.force_login(UserFactory(email="someone@example.org"))
    response = client.get("/fr/organize/new/")  # creating an edition is for staff
    assert response.status_code == 403
    page = response.content.decode()
    assert "Accès refusé" in page
    assert "someone@example.org" in page


def test_a_server_error_is_a_500_page_that_reads_no_database(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Un problème est survenu" in page
    assert "votre texte y est encore" in page


def test_a_csrf_failure_says_nothing_was_saved_and_text_is_in_the_form(settings):
    settings.DEBUG = False
    client = Client(enforce_csrf_checks=True)
    response = client.post("/fr/accounts/login/", {"login": "x@example.org", "password": "x"})
    assert response.status_code == 403
    assert "Le formulaire a expiré" in response.content.decode()


def test_every_page_names_the_favicon(client):
    page = client.get("/fr/").content.decode()
    assert 'rel="icon"' in page
    assert finders.find("favicon.svg")


@pytest.mark.parametrize("status", [500, 503])
def test_the_standalone_error_pages_share_one_head_and_read_no_database(rf, status):
    """No `db` fixture: pytest-django refuses any query, so a page that read the database
    (a context processor, the user, the session) would fail here."""
    from django.template.loader import render_to_string

    from hackqc.middleware import database_unavailable

    if status == 503:
        page = database_unavailable(rf.get("/fr/")).content.decode()
    else:
        page = render_to_string("500.html")

    assert page.count("<head>") == 1
    assert 'rel="icon"' in page
    assert "css/site.css" in page
    title = page.split("<title>")[1].split(" · HackQC</title>")[0]
    assert title
    assert f"<h1>{title}</h1>" in page
