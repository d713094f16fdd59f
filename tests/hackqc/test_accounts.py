"""Sign-up by e-mail with mandatory verification, login, logout by POST only."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

User = get_user_model()


def confirmation_link(mail):
    match = re.search(r"https?://[^/\s]+(/\S*/confirm-email/\S+/)", mail.body)
    assert match, mail.body
    return match.group(1)


def signup(client, language="fr", email="ada@example.org"):
    with translation.override(language):
        url = reverse("account_signup")
    return client.post(
        url,
        {
            "email": email,
            "display_name": "Ada Tremblay",
            "password1": "un-mot-de-passe-solide-42",
            "password2": "un-mot-de-passe-solide-42",
        },
    )


@pytest.mark.django_db
def test_signup_verification_login_logout(client, mailoutbox):
    response = signup(client)
    assert response.status_code == 302
    user = User.objects.get(email="ada@example.org")
    assert user.display_name == "Ada Tremblay"
    assert user.preferred_language == "fr"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["ada@example.org"]

    # Unverified: logging in only re-sends to the verification page.
    client.post(
        reverse("account_login"),
        {"login": "ada@example.org", "password": "un-mot-de-passe-solide-42"},
    )
    assert "_auth_user_id" not in client.session

    link = confirmation_link(mailoutbox[-1])
    assert client.get(link).status_code == 200
    response = client.post(link)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)

    # Logout by GET only asks for confirmation.
    client.get(reverse("account_logout"))
    assert client.session.get("_auth_user_id") == str(user.pk)
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session

    response = client.post(
        reverse("account_login"),
        {"login": "ada@example.org", "password": "un-mot-de-passe-solide-42"},
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"), [("fr", "Confirmez votre adresse"), ("en", "Confirm Your Email")]
)
def test_verification_mail_is_in_the_signup_language(client, mailoutbox, language, expected):
    signup(client, language=language)
    assert User.objects.get().preferred_language == language
    assert expected.lower() in mailoutbox[0].subject.lower()
    assert mailoutbox[0].subject.startswith("[HackQC]")


@pytest.mark.django_db
def test_signup_refuses_a_taken_address(client, mailoutbox):
    signup(client)
    mailoutbox.clear()
    signup(client, email="ADA@example.org")
    assert User.objects.count() == 1


def test_profile_changes_display_name_and_language(client, participant):
    client.force_login(participant)
    response = client.post(
        reverse("profile"), {"display_name": "Capitaine", "preferred_language": "en"}
    )
    assert response.status_code == 302
    participant.refresh_from_db()
    assert (participant.display_name, participant.preferred_language) == ("Capitaine", "en")


def test_profile_requires_login(client, db):
    response = client.get(reverse("profile"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
