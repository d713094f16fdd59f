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
