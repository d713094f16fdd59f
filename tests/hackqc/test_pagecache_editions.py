"""A write renews the cached pages of its own edition only (hackqc.pagecache): on a
hackathon day one edition's teams save their sheets every second while the public reads
another edition's gallery and results, which must not be computed again for that."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hackqc import pagecache
from hackqc.models import Phase
from hackqc.ownership import edition_of
from submissions import services
from teams.models import Team
from tests.factories.catalogue import DatasetFactory
from tests.factories.core import EditionFactory, UserFactory
from tests.factories.submissions import SubmissionFactory
from tests.factories.teams import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _local_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture
def two_editions():
    """Two editions whose galleries are public, each with a team and its sheet."""
    sheets = []
    for year in (2031, 2032):
        edition = EditionFactory(phase=Phase.HACKING, gallery_open_early=True, year=year)
        sheet = SubmissionFactory(team__edition=edition, complete=True, with_dataset=True)
        member = MembershipFactory(team=sheet.team).user
        services.submit_project(sheet, by=member)
        sheets.append((sheet, member))
    return sheets


def _url(edition):
    # The gallery's open-data file: cached like the gallery, and it says so with its ETag.
    return f"/open-data/{edition.slug}/submissions.json"


def _etag(edition):
    return Client().get(_url(edition))["ETag"]


def _unchanged(edition, etag):
    return Client().get(_url(edition), HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_a_sheet_saved_in_one_edition_keeps_the_other_editions_gallery(two_editions):
    (sheet, member), (other, _member) = two_editions
    mine, theirs = _etag(sheet.edition), _etag(other.edition)

    services.update_sheet(sheet, by=member, lock_version=sheet.lock_version, pitch="Nouveau")

    assert _unchanged(other.edition, theirs)
    assert not _unchanged(sheet.edition, mine)


def test_a_row_saved_outside_any_service_renews_its_own_edition_only(two_editions):
    (sheet, _member), (other, _member2) = two_editions
    mine, theirs = _etag(sheet.edition), _etag(other.edition)

    Team.objects.get(pk=sheet.team_id).save()  # as the admin would: a signal, no service

    assert _unchanged(other.edition, theirs)
    assert not _unchanged(sheet.edition, mine)


def test_a_write_of_no_known_edition_renews_every_editions_pages(two_editions):
    (sheet, _member), (other, _member2) = two_editions
    mine, theirs = _etag(sheet.edition), _etag(other.edition)

    DatasetFactory()  # the catalogue belongs to no edition: its pages show datasets

    assert not _unchanged(sheet.edition, mine)
    assert not _unchanged(other.edition, theirs)


def test_a_page_about_several_editions_sees_every_write(two_editions):
    (sheet, member), _other = two_editions
    several = pagecache.Page("several", areas=("submissions",))
    one = pagecache.Page("one", areas=("submissions",), edition=_other[0].edition_id)

    services.update_sheet(sheet, by=member, lock_version=sheet.lock_version, pitch="Nouveau")

    assert pagecache.Page("several", areas=("submissions",)).key != several.key
    assert pagecache.Page("one", areas=("submissions",), edition=_other[0].edition_id).key == (
        one.key
    )


def test_the_edition_of_a_row_is_read_from_what_is_loaded_or_in_one_query(two_editions):
    (sheet, _member), _other = two_editions
    loaded = type(sheet).objects.select_related("edition").get(pk=sheet.pk)
    bare = type(sheet).objects.get(pk=sheet.pk)
    expected = (sheet.edition.pk, sheet.edition.status)

    with CaptureQueriesContext(connection) as none:
        assert edition_of(loaded) == expected
    with CaptureQueriesContext(connection) as one:
        assert edition_of(bare) == expected

    assert len(none) == 0
    assert len(one) == 1
    assert edition_of(UserFactory()) is None  # a person belongs to no edition
    assert edition_of("not a row") is None
