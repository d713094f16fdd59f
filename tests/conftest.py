"""Personas and fixtures shared by every app's tests.

The personas all relate to one `edition` (in its registration phase unless a test builds
another): `organizer` organizes it, `participant` captains `team` with `teammate`,
`outsider` is registered but in `other_team`, `judge` judges the edition.
"""

from pathlib import Path

import pytest

from hackqc.models import Phase
from tests.factories.core import EditionFactory, OrganizerRoleFactory, UserFactory
from tests.factories.teams import MembershipFactory, RegistrationFactory, TeamFactory

ROOT_DIR = Path(__file__).resolve().parent.parent


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
def _broker_answers():
    """A test that takes the broker down must not leave the next one's hand-overs skipped."""
    from hackqc.service import reset_broker_breaker

    reset_broker_breaker()
    yield
    reset_broker_breaker()


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


def database_url_of_test_database():
    from django.db import connection

    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    port = db.get("PORT") or 5432
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{port}/{db['NAME']}"


def start_celery_worker(settings, queue, **extra_env):
    """A `celery worker` process on the test database and media folder, consuming `queue`
    and the default one; `extra_env` adds settings (an SMTP server, say)."""
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "DATABASE_URL": database_url_of_test_database(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        **extra_env,
    }
    return subprocess.Popen(  # noqa: S603 — fixed command line
        [
            sys.executable, "-m", "celery", "-A", "hackqc", "worker", "--pool=solo",
            "--concurrency=1", "--without-heartbeat", "--without-gossip", "--without-mingle",
            "-Q", f"{queue},celery", "-n", f"{queue}@%h", "--loglevel=WARNING",
        ],
        cwd=ROOT_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )  # fmt: skip


@pytest.fixture
def celery_worker_process(settings):
    """Starts `celery worker` pointed at the test database and media folder, consuming a
    queue of its own and the default one (emptied first), for tests marked `worker`."""
    import subprocess
    import uuid

    from django.db import connection

    from hackqc.celery import app

    if connection.vendor == "sqlite":
        pytest.skip("a worker process cannot share the in-memory SQLite test database")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge("celery")
    process = start_celery_worker(settings, queue)
    yield queue, process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    process.stdout.close()
