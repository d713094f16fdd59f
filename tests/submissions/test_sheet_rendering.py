"""The sheet page renders its blank forms once per content (submissions.forms.rendering_key):
teammates reading an unchanged sheet get the same fields without rendering them again, and
whatever changes what the fields show (a value, a choice, the language) shows at once."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from submissions import services
from submissions.forms import SheetForm, rendering_key
from tests.factories.core import ChallengeFactory

pytestmark = pytest.mark.django_db

FIELD_TEMPLATE = "bootstrap5/field.html"


@pytest.fixture(autouse=True)
def _local_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def _page(user, sheet, language="en"):
    client = Client()
    client.force_login(user)
    url = reverse("submissions:team_sheet", args=[sheet.edition.slug, sheet.team_id])
    return client.get(url.replace("/en/", f"/{language}/", 1))


def _main(response):
    """The page's main content without its CSRF tokens (new on each request)."""
    html = response.content.decode()
    html = html[html.index("<main") : html.index("</main>")]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def _field_renders(response):
    return sum(t.name == FIELD_TEMPLATE for t in response.templates)


def test_a_teammate_gets_the_same_fields_without_rendering_them_again(
    complete_sheet, participant, teammate
):
    first = _page(participant, complete_sheet)
    second = _page(teammate, complete_sheet)

    assert _field_renders(first) > 20
    assert _field_renders(second) == 0
    assert _main(second) == _main(first)


def test_a_saved_change_shows_at_once_to_the_whole_team(complete_sheet, participant, teammate):
    _page(participant, complete_sheet)
    services.update_sheet(
        complete_sheet, by=participant, lock_version=complete_sheet.lock_version,
        pitch="Un pitch tout neuf",
    )  # fmt: skip

    page = _page(teammate, complete_sheet).content.decode()

    assert "Un pitch tout neuf" in page
    assert f'value="{complete_sheet.lock_version + 1}"' in page  # the new lock, not a stale one


def test_a_new_challenge_shows_in_the_list_at_once(complete_sheet, participant):
    _page(participant, complete_sheet)
    ChallengeFactory(edition=complete_sheet.edition, title="Défi de la dernière minute")

    assert "Défi de la dernière minute" in _page(participant, complete_sheet).content.decode()


def test_each_language_has_its_own_fields(complete_sheet, participant):
    english = _page(participant, complete_sheet, "en").content.decode()
    french = _page(participant, complete_sheet, "fr").content.decode()

    assert "How the project uses it" in english
    assert "How the project uses it" not in french


def test_a_refused_form_is_rendered_with_what_was_typed_and_never_cached(
    complete_sheet, participant
):
    form = SheetForm({"title": ""}, instance=complete_sheet, edition=complete_sheet.edition)
    with pytest.raises(ValueError, match="bound form"):
        rendering_key(form)
    client = Client()
    client.force_login(participant)
    url = reverse(
        "submissions:team_sheet", args=[complete_sheet.edition.slug, complete_sheet.team_id]
    )
    client.get(url)
    posted = client.post(url, {"title": "", "pitch": "Du texte tapé", "lock_version": 1})

    assert _field_renders(posted) > 0
    assert "Du texte tapé" in posted.content.decode()


def test_the_key_follows_every_value_and_choice(complete_sheet):
    edition = complete_sheet.edition

    def key():
        return rendering_key(SheetForm(instance=complete_sheet, edition=edition))

    before = key()
    assert key() == before
    complete_sheet.title = "Autre titre"
    assert key() != before
    complete_sheet.refresh_from_db()
    ChallengeFactory(edition=edition)
    assert key() != before


def test_the_sheet_page_asks_the_database_a_fixed_number_of_times(
    complete_sheet, participant, django_assert_num_queries
):
    """Membership is asked once per page, the sheet's rows once (the form's fingerprint
    reuses them), whatever the number of links and libraries."""
    client = Client()
    client.force_login(participant)
    url = reverse(
        "submissions:team_sheet", args=[complete_sheet.edition.slug, complete_sheet.team_id]
    )
    client.get(url)

    with django_assert_num_queries(18):
        client.get(url)
