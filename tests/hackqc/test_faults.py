"""Faults degrade, never 500: the broker, the cache, the SMTP server or the database down."""

import pytest
from django.urls import reverse
from kombu.exceptions import OperationalError

from hackqc.models import OutgoingMail
from hackqc.tasks import task_send_mail
from teams.models import Invitation

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(task_send_mail, "apply_async", refuse)


def test_invite_with_broker_down_succeeds_and_the_sweep_mails_later(
    client, team, participant, mailoutbox, broker_down, monkeypatch,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    client.force_login(participant)
    url = reverse("teams:invite", kwargs={"pk": team.pk})

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"email": "ami@example.org"})

    assert response.status_code == 302
    assert response.url == team.get_absolute_url()
    invitation = Invitation.objects.get(email="ami@example.org")
    assert mailoutbox == []
    monkeypatch.undo()
    from hackqc.tasks import task_sweep_outbox

    task_sweep_outbox()
    assert [m.to for m in mailoutbox] == [["ami@example.org"]]
    assert invitation.token in mailoutbox[0].body
    assert OutgoingMail.objects.get().state == OutgoingMail.State.SENT


def test_signup_with_smtp_down_creates_the_account(client, settings, mailoutbox):
    settings.EMAIL_BACKEND = "tests.mailbackends.DownBackend"

    response = client.post(
        reverse("account_signup"),
        {
            "email": "ada@example.org",
            "display_name": "Ada",
            "password1": "un-mot-de-passe-solide-42",
            "password2": "un-mot-de-passe-solide-42",
        },
    )

    assert response.status_code == 302
    from django.contrib.auth import get_user_model

    assert get_user_model().objects.filter(email="ada@example.org").exists()


# Cache down or frozen --------------------------------------------------------------------


@pytest.fixture
def frozen_port():
    """A TCP port that accepts connections and never answers: a frozen (SIGSTOPped) Redis."""
    import socket

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    yield server.getsockname()[1]
    server.close()


def _redis_cache(settings, location):
    from hackqc import cache as resilient

    resilient.reset()
    settings.CACHES = {
        "default": {
            "BACKEND": "hackqc.cache.ResilientRedisCache",
            "LOCATION": location,
            "RETRY_AFTER": 30,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


@pytest.fixture
def cache_down(settings):
    _redis_cache(settings, "redis://127.0.0.1:1/0")  # nothing listens on port 1
    yield
    from hackqc import cache as resilient

    resilient.reset()


def _login(client, password):
    return client.post(reverse("account_login"), {"login": "ada@example.org", "password": password})


@pytest.fixture
def ada(db):
    from tests.factories.core import UserFactory

    user = UserFactory(email="ada@example.org")
    user.set_password("un-mot-de-passe-solide-42")
    user.save()
    return user


def test_login_works_with_the_cache_down(client, ada, cache_down):
    response = _login(client, "un-mot-de-passe-solide-42")

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(ada.pk)


def test_login_rate_limit_holds_with_the_cache_down(client, ada, cache_down):
    for _ in range(5):
        assert _login(client, "mauvais").status_code == 200  # form error, counted

    _login(client, "un-mot-de-passe-solide-42")  # right, but after 5 failures: refused

    assert "_auth_user_id" not in client.session


def test_frozen_redis_costs_one_timeout_not_one_per_call(settings, frozen_port):
    import time

    from django.core.cache import cache

    _redis_cache(settings, f"redis://127.0.0.1:{frozen_port}/0")
    started = time.monotonic()
    cache.set("k", "v")  # waits for the socket timeout once, then uses the local cache
    values = [cache.get("k") for _ in range(50)]
    elapsed = time.monotonic() - started

    assert values == ["v"] * 50
    assert elapsed < 2.5


# Broker frozen -----------------------------------------------------------------------------


def test_frozen_broker_fails_a_hand_over_in_seconds(frozen_port):
    """In a fresh process (the broker URL is read at start): delay() gives up quickly, so a
    request that commits a write is never held by a frozen Redis."""
    import os
    import subprocess
    import sys
    import time

    from tests.conftest import ROOT_DIR

    code = (
        "import django, time; django.setup()\n"
        "from hackqc.tasks import task_record_heartbeat\n"
        "start = time.monotonic()\n"
        "try:\n"
        "    task_record_heartbeat.delay(note='x')\n"
        "except Exception as exc:\n"
        "    print('refused', type(exc).__name__)\n"
        "print('seconds', round(time.monotonic() - start, 1))\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hackqc.settings",
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{frozen_port}/0",
    }
    env.pop("DATABASE_URL", None)
    started = time.monotonic()
    result = subprocess.run(  # noqa: S603 — fixed command line
        [sys.executable, "-c", code], cwd=ROOT_DIR, env=env, capture_output=True, timeout=60
    )
    elapsed = time.monotonic() - started

    assert b"refused" in result.stdout, result.stdout + result.stderr
    assert elapsed < 15  # interpreter and Django start included; the hand-over itself ~4 s


# Database down -----------------------------------------------------------------------------


@pytest.fixture
def take_database_down(monkeypatch):
    """From the call on, every query fails as with PostgreSQL stopped."""
    from django.db import OperationalError
    from django.db.backends import utils

    def refuse(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1:5432 failed: refused")

    def take_down():
        monkeypatch.setattr(utils.CursorWrapper, "execute", refuse)
        monkeypatch.setattr(utils.CursorWrapper, "executemany", refuse)

    return take_down


@pytest.mark.parametrize(
    ("path", "text", "lang"),
    [
        ("/fr/", "Nous revenons dans un instant", "fr"),
        ("/en/", "Back in a moment", "en"),
    ],
)
def test_database_down_gives_the_branded_503(client, edition, take_database_down, path, text, lang):
    take_database_down()

    response = client.get(path)

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert f'<html lang="{lang}">' in page
    assert text in page
    assert "Server Error" not in page


def test_database_down_on_a_form_post_is_a_503_too(client, participant, team, take_database_down):
    client.force_login(participant)  # the session was made before the outage
    take_database_down()

    response = client.post(
        reverse("teams:invite", kwargs={"pk": team.pk}), {"email": "ami@example.org"}
    )

    assert response.status_code == 503


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_restarted_database_costs_no_500(settings, edition):
    """A web process keeps its connection between requests; the database restarts (here:
    its server process for that connection is terminated). The next request must not fail."""
    import io

    import psycopg
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    settings.ALLOWED_HOSTS = ["testserver"]
    handler = WSGIHandler()

    def get(path):
        environ = {
            "REQUEST_METHOD": "GET", "PATH_INFO": path, "SERVER_NAME": "testserver",
            "SERVER_PORT": "80", "wsgi.input": io.BytesIO(), "wsgi.url_scheme": "http",
        }  # fmt: skip
        statuses = []
        body = b"".join(handler(environ, lambda status, headers: statuses.append(status)))
        return statuses[0], body

    assert get("/fr/")[0].startswith("200")
    pid = connection.connection.info.backend_pid  # kept open (CONN_MAX_AGE) for the next request
    db = connection.settings_dict
    with psycopg.connect(
        host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], dbname="postgres",
        autocommit=True,
    ) as admin:  # fmt: skip
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])

    status, _body = get("/fr/")

    assert status.startswith("200"), status


def test_after_one_refusal_the_broker_is_not_waited_for_again(
    edition, participant, team, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    """A frozen broker costs its socket timeout once per process and period, not on every
    write; the mails wait in the outbox and the sweep (on a worker) sends them."""
    from teams import services

    calls = []

    def refuse(*args, **kwargs):
        calls.append(kwargs)
        raise OperationalError("Timeout reading from socket")

    monkeypatch.setattr(task_send_mail, "apply_async", refuse)
    for address in ("a@example.org", "b@example.org"):
        with django_capture_on_commit_callbacks(execute=True):
            services.invite_member(team, email=address, by=participant)

    assert len(calls) == 1
    assert set(OutgoingMail.objects.values_list("queued_at", flat=True)) == {None}
    monkeypatch.undo()
    from hackqc.tasks import task_sweep_outbox

    task_sweep_outbox()
    assert sorted(m.to[0] for m in mailoutbox) == ["a@example.org", "b@example.org"]
