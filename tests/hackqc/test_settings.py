"""Settings come from the environment: embedded by default, PostgreSQL/Redis when told."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONFIG_VARIABLES = {
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "CACHE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SITE_URL",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "DJANGO_DEBUG",
    "MEDIA_ROOT",
}
PROBE = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "db_name": str(settings.DATABASES["default"]["NAME"]),
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "cache": settings.CACHES["default"]["BACKEND"],
    "email": settings.EMAIL_BACKEND,
    "debug": settings.DEBUG,
    "media": str(settings.MEDIA_ROOT),
    "hosts": settings.ALLOWED_HOSTS,
    "health_checks": settings.DATABASES["default"].get("CONN_HEALTH_CHECKS", False),
    "cache_timeouts": settings.CACHES["default"].get("OPTIONS", {}),
    "broker_options": settings.CELERY_BROKER_TRANSPORT_OPTIONS,
    "task_time_limit": settings.CELERY_TASK_TIME_LIMIT,
}))
"""


def run_python(code, **env):
    clean = {k: v for k, v in os.environ.items() if k not in CONFIG_VARIABLES}
    clean.update(env, DJANGO_SETTINGS_MODULE="hackqc.settings")
    return subprocess.run(  # noqa: S603 — fixed interpreter and code
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True
    )


def probe(**env):
    result = run_python(PROBE, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_settings_without_environment_run_embedded():
    config = probe()
    assert config["engine"] == "hackqc.sqlite_backend"  # Django's, triggers kept
    assert config["db_name"].endswith("db.sqlite3")
    assert config["eager"] is True
    assert config["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert config["email"] == "django.core.mail.backends.console.EmailBackend"
    assert config["debug"] is True


def test_settings_with_environment_use_postgresql_and_redis():
    config = probe(
        DATABASE_URL="postgres://app:secret@db.internal:5432/hackqc",
        CELERY_BROKER_URL="redis://redis.internal:6379/0",
        REDIS_URL="redis://redis.internal:6379/1",
        EMAIL_HOST="smtp.example.org",
        MEDIA_ROOT="/srv/hackqc/media",
        ALLOWED_HOSTS="hackqc.example, www.hackqc.example",
    )
    assert config["engine"] == "django.db.backends.postgresql"
    assert config["db_name"] == "hackqc"
    assert config["eager"] is False
    assert config["cache"] == "hackqc.cache.ResilientRedisCache"
    assert config["email"] == "django.core.mail.backends.smtp.EmailBackend"
    # A restarted database, a frozen Redis and a lost task all cost minutes at most.
    assert config["health_checks"] is True
    assert config["cache_timeouts"] == {"socket_connect_timeout": 1, "socket_timeout": 1}
    broker = config["broker_options"]
    assert (broker["socket_connect_timeout"], broker["socket_timeout"]) == (1, 1)
    assert config["task_time_limit"] < broker["visibility_timeout"] <= 10 * 60
    assert config["media"] == "/srv/hackqc/media"
    assert config["hosts"] == ["hackqc.example", "www.hackqc.example"]


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"DJANGO_DEBUG": "maybe"}, "DJANGO_DEBUG"),
        ({"DATABASE_URL": "mysql://root@localhost/hackqc"}, "DATABASE_URL"),
        ({"DATABASE_URL": "not a url"}, "DATABASE_URL"),
        ({"CELERY_BROKER_URL": "amqp://guest@localhost//"}, "CELERY_BROKER_URL"),
        ({"REDIS_URL": "localhost:6379"}, "REDIS_URL"),
        ({"SITE_URL": "hackqc.example"}, "SITE_URL"),
        ({"EMAIL_HOST": "smtp.example.org", "EMAIL_PORT": "twenty-five"}, "EMAIL_PORT"),
        ({"DJANGO_DEBUG": "false"}, "SECRET_KEY"),
    ],
)
def test_malformed_setting_stops_startup_naming_the_variable(env, named):
    result = run_python("import django; django.setup()", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert named in result.stderr.strip().splitlines()[-1]


def test_production_settings_pass_the_deployment_check():
    result = run_python(
        "from django.core.management import execute_from_command_line as run;"
        "run(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])",
        DJANGO_DEBUG="false",
        SECRET_KEY="a-long-random-production-secret-" + "k7Qz" * 12,
        ALLOWED_HOSTS="hackqc.example",
        SITE_URL="https://hackqc.example",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_every_response_carries_a_content_security_policy(client, db):
    response = client.get("/fr/")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
