"""Personas and fixtures shared by every app's tests.

The personas all relate to one `edition` (in its registration phase unless a test builds
another): `organizer` organizes it, `participant` captains `team` with `teammate`,
`outsider` is registered but in `other_team`, `judge` judges the edition.
"""

import pytest

from hackqc.models import Phase
from tests.factories.core import EditionFactory, OrganizerRoleFactory, UserFactory
from tests.factories.teams import MembershipFactory, RegistrationFactory, TeamFactory


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _eager_tasks(request):
    """Tasks run in the test's process, even with a broker configured (CI), so their effects
    can be asserted; only tests marked `worker` send them to a real worker."""
    from hackqc.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = request.node.get_closest_marker("worker") is None
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _empty_cache():
    """allauth's rate limits live in the cache: one test must not throttle the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _french_by_default():
    """A request leaves its language active in the thread; each test starts in French."""
    from django.utils import translation

    translation.activate("fr")
    yield
    translation.activate("fr")


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def edition(db):
    return EditionFactory(phase=Phase.REGISTRATION)


@pytest.fixture
def organizer(edition):
    return OrganizerRoleFactory(edition=edition, user__email="organizer@example.org").user


@pytest.fixture
def team(edition):
    return TeamFactory(edition=edition, name="Les Castors")


@pytest.fixture
def participant(team):
    """The captain of `team`."""
    return MembershipFactory(team=team, is_captain=True, user__email="captain@example.org").user


@pytest.fixture
def teammate(team):
    return MembershipFactory(team=team, user__email="teammate@example.org").user


@pytest.fixture
def other_team(edition):
    return TeamFactory(edition=edition, name="Les Harfangs")


@pytest.fixture
def outsider(other_team):
    """A registered participant of the same edition, captain of another team."""
    return MembershipFactory(
        team=other_team, is_captain=True, user__email="outsider@example.org"
    ).user


@pytest.fixture
def registered(edition):
    """A registered participant with no team."""
    return RegistrationFactory(edition=edition, user__email="solo@example.org").user


@pytest.fixture
def judge(edition):
    """A judge of `edition` (the jury app gives the role; here a plain account)."""
    return UserFactory(email="judge@example.org")


@pytest.fixture
def other_organizer(db):
    """An organizer of another edition only."""
    return OrganizerRoleFactory(user__email="elsewhere@example.org").user


@pytest.fixture
def staff(db):
    return UserFactory(email="staff@example.org", is_staff=True)
