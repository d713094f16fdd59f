"""Sign-up costs the same for a known address and a new one (issue 11: 34 ms against
546 ms told which addresses have an account): both hash one password."""

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.urls import reverse

from hackqc.models import User
from tests.factories.core import UserFactory

pytestmark = pytest.mark.django_db

ENCODED = []


class CountingHasher(MD5PasswordHasher):
    algorithm = "counting_md5"

    def encode(self, password, salt):
        ENCODED.append(password)
        return super().encode(password, salt)


def _sign_up(client, email):
    ENCODED.clear()
    response = client.post(
        reverse("account_signup"),
        {
            "email": email,
            "password1": "Une-phrase-de-passe-longue",
            "password2": "Une-phrase-de-passe-longue",
            "display_name": "Quelqu'un",
        },
    )
    return response, len(ENCODED)


def test_known_and_new_addresses_hash_one_password_each_and_answer_alike(client, settings):
    settings.PASSWORD_HASHERS = ["tests.hackqc.test_signup_timing.CountingHasher"]
    UserFactory(email="known@example.org")

    known, known_hashes = _sign_up(client, "known@example.org")
    new, new_hashes = _sign_up(client, "new@example.org")

    assert (known_hashes, new_hashes) == (1, 1)
    assert known.status_code == new.status_code == 302
    assert known["Location"] == new["Location"] == reverse("account_email_verification_sent")
    assert User.objects.filter(email="new@example.org").exists()
