"""Each privacy task run twice (a redelivery) has one effect."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from hackqc.privacy.models import DataExport
from hackqc.privacy.tasks import (
    task_anonymise_old_editions,
    task_build_export,
    task_delete_expired_exports,
)
from tests.factories.core import UserFactory

pytestmark = pytest.mark.django_db


def test_an_export_built_twice_is_mailed_once(client, django_capture_on_commit_callbacks):
    person = UserFactory(email="twice@example.org")
    client.force_login(person)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("privacy:export"))
    export = DataExport.objects.get(user=person)
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        task_build_export.run(export_id=export.pk)
    assert len(mail.outbox) == sent
    assert DataExport.objects.filter(user=person).count() == 1


def test_deleting_expired_exports_twice_deletes_once(client, django_capture_on_commit_callbacks):
    person = UserFactory()
    client.force_login(person)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("privacy:export"))
    DataExport.objects.filter(user=person).update(
        expires_at=timezone.now() - datetime.timedelta(hours=1)
    )
    task_delete_expired_exports.run()
    task_delete_expired_exports.run()
    assert not DataExport.objects.filter(user=person, expires_at__gt=timezone.now()).exists()


def test_anonymising_old_editions_twice_is_one_run(edition):
    from hackqc.privacy.models import RetiredEdition

    task_anonymise_old_editions.run()
    before = RetiredEdition.objects.count()
    task_anonymise_old_editions.run()
    assert RetiredEdition.objects.count() == before
