"""Organizers see the failed mails of their edition and send them again."""

import pytest
from django.urls import reverse

from hackqc.models import OutgoingMail
from hackqc.outbox import queue_mail
from tests.factories.core import EditionFactory

pytestmark = pytest.mark.django_db

State = OutgoingMail.State


def _mail(edition, address, key, state=State.FAILED, attempts=3):
    mail = queue_mail(
        "teams/mail/dissolved",
        to=address,
        key=key,
        context={"team_name": "Les Castors", "edition": edition, "board_url": "/x/"},
    )
    OutgoingMail.objects.filter(pk=mail.pk).update(
        state=state, attempts=attempts, last_error="ConnectionRefusedError: refused",
        queued_at=None,
    )  # fmt: skip
    mail.refresh_from_db()
    return mail


def _list(edition):
    return reverse("organize:failed_mails", kwargs={"slug": edition.slug})


def test_list_shows_failed_and_failing_mails_of_the_edition_only(client, organizer, edition):
    _mail(edition, "failed@example.org", "k1")
    _mail(edition, "failing@example.org", "k2", state=State.PENDING, attempts=2)
    _mail(edition, "waiting@example.org", "k3", state=State.PENDING, attempts=0)
    _mail(EditionFactory(), "other@example.org", "k4")
    client.force_login(organizer)

    page = client.get(_list(edition)).content.decode()

    assert "failed@example.org" in page
    assert "failing@example.org" in page
    assert "waiting@example.org" not in page
    assert "other@example.org" not in page
    assert "Équipe dissoute" in page


def test_list_query_count_is_constant(client, organizer, edition, django_assert_num_queries):
    client.force_login(organizer)
    _mail(edition, "a@example.org", "k1")
    client.get(_list(edition))
    with django_assert_num_queries(7) as one:
        client.get(_list(edition))
    _mail(edition, "b@example.org", "k2")
    _mail(edition, "c@example.org", "k3")
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(_list(edition))


def test_resend_sends_the_failed_mail_once(
    client, organizer, edition, mailoutbox, django_capture_on_commit_callbacks
):
    mail = _mail(edition, "failed@example.org", "k1")
    client.force_login(organizer)
    url = reverse("organize:mail_resend", kwargs={"slug": edition.slug, "pk": mail.pk})

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)  # a double click

    assert response.url == _list(edition)
    mail.refresh_from_db()
    assert (mail.state, [m.to for m in mailoutbox]) == (State.SENT, [["failed@example.org"]])


@pytest.mark.parametrize(("persona", "status"), [("participant", 403), ("other_organizer", 403)])
def test_outsiders_neither_see_nor_resend(client, edition, persona, status, request, mailoutbox):
    mail = _mail(edition, "failed@example.org", "k1")
    client.force_login(request.getfixturevalue(persona))
    resend = reverse("organize:mail_resend", kwargs={"slug": edition.slug, "pk": mail.pk})

    assert client.get(_list(edition)).status_code == status
    assert client.post(resend).status_code == status
    mail.refresh_from_db()
    assert (mail.state, mailoutbox) == (State.FAILED, [])


def test_anonymous_is_sent_to_login(client, edition):
    response = client.get(_list(edition))

    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_resend_of_another_editions_mail_is_404(client, organizer, edition):
    mail = _mail(EditionFactory(), "other@example.org", "k1")
    client.force_login(organizer)

    url = reverse("organize:mail_resend", kwargs={"slug": edition.slug, "pk": mail.pk})

    assert client.post(url).status_code == 404


def test_every_mail_template_has_a_name_for_organizers():
    from django.conf import settings

    from hackqc.outbox import MAIL_KINDS

    templates = {
        str(path.relative_to(settings.BASE_DIR / "templates")).removesuffix("_subject.txt")
        for path in (settings.BASE_DIR / "templates").glob("*/mail/*_subject.txt")
    }

    assert templates - set(MAIL_KINDS) == set()
