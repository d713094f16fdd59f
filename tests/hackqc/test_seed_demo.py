"""`seed_demo` builds the demo site and, run again, changes nothing."""

from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command

from hackqc.models import Edition


def row_counts():
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in {"sessions", "admin", "contenttypes"}
    }


def test_seed_demo_is_idempotent(db):
    call_command("seed_demo", verbosity=0)
    first = row_counts()
    snapshot = list(Edition.objects.order_by("slug").values())
    call_command("seed_demo", verbosity=0)
    assert row_counts() == first
    assert list(Edition.objects.order_by("slug").values()) == snapshot


def test_seed_demo_creates_the_documented_accounts(db):
    call_command("seed_demo", verbosity=0)
    emails = ["organizer@example.org", "judge1@example.org", "judge6@example.org"]
    emails += ["participant1@example.org", "participant36@example.org"]
    for email in emails:
        assert authenticate(email=email, password="hackqc-demo") is not None, email
    assert set(Edition.objects.values_list("slug", flat=True)) >= {"hackqc-2026", "hackqc-2027"}
    assert Edition.objects.get(slug="hackqc-2026").challenges.count() == 5
