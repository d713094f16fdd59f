import copy

import pytest

from submissions.catalogue import portal_api
from tests.factories.catalogue import PortalFactory

from .replay import ReplayCKAN, recorded_packages

DQ_PAGES = ("donnees-quebec-package_search-1.json", "donnees-quebec-package_search-2.json")


@pytest.fixture(autouse=True)
def _quick_retries(monkeypatch):
    """Retries keep their count and doubling, in hundredths of the real pauses."""
    monkeypatch.setattr(portal_api, "BACKOFF", 0.02)


@pytest.fixture
def dq_packages():
    """The 12 recorded Données Québec-shaped packages (the last one has no title)."""
    return copy.deepcopy(recorded_packages(*DQ_PAGES))


@pytest.fixture
def loopback_portals(settings):
    """The sync may read the replay CKAN on 127.0.0.1: a private address it refuses otherwise."""
    settings.CATALOGUE_ALLOW_LOOPBACK = True


@pytest.fixture
def ckan_server(dq_packages, monkeypatch, loopback_portals):
    """A replay CKAN serving the Données Québec packages 5 per page, with short timeouts."""
    monkeypatch.setattr(portal_api, "PAGE_SIZE", 5)
    monkeypatch.setattr(portal_api, "TIMEOUT", (2, 0.5))
    server = ReplayCKAN(dq_packages).start()
    yield server
    server.stop()


@pytest.fixture
def portal(db, ckan_server):
    """The default portal, pointed at the replay server."""
    portal = PortalFactory()
    portal.api_url = ckan_server.api_url
    portal.save()
    return portal
