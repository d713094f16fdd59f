"""/admin/ logs in through allauth (issue 11): the admin's own password form had no rate
limit, so 40 wrong passwords then the right one logged an organizer (staff) in."""

import pytest
from django.urls import reverse

from tests.factories.core import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_member(db):
    return UserFactory(email="staff-login@example.org", is_staff=True, is_superuser=True)


def _signed_in(client):
    return "_auth_user_id" in client.session


def test_admin_login_page_is_allauths(client):
    response = client.get(reverse("admin:login") + "?next=/fr/admin/teams/team/")

    assert response.status_code == 302
    assert response["Location"] == (reverse("account_login") + "?next=/fr/admin/teams/team/")


def test_admin_index_sends_anonymous_to_allauth_and_back(client):
    response = client.get(reverse("admin:index"), follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("account_login") + "?next=")
    assert response.request["QUERY_STRING"] == "next=%2Ffr%2Fadmin%2F"


def test_admin_password_form_cannot_log_in(client, staff_member):
    response = client.post(
        reverse("admin:login"),
        {"username": staff_member.email, "password": PASSWORD, "next": "/fr/admin/"},
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not _signed_in(client)


def test_forty_wrong_passwords_lock_the_admin_out(client, staff_member):
    for _attempt in range(40):
        client.post(reverse("admin:login"), {"username": staff_member.email, "password": "wrong"})
        client.post(reverse("account_login"), {"login": staff_member.email, "password": "wrong"})

    client.post(reverse("admin:login"), {"username": staff_member.email, "password": PASSWORD})
    assert not _signed_in(client)
    response = client.post(
        reverse("account_login"), {"login": staff_member.email, "password": PASSWORD}
    )

    assert response.status_code in {200, 429}
    assert not _signed_in(client)
    assert client.get(reverse("admin:index")).status_code == 302


def test_staff_signed_in_through_allauth_reach_the_admin(client, staff_member):
    response = client.post(
        reverse("account_login") + "?next=/fr/admin/",
        {"login": staff_member.email, "password": PASSWORD, "next": "/fr/admin/"},
    )

    assert response["Location"] == "/fr/admin/"
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:login")).url == reverse("admin:index")


def test_signed_in_non_staff_get_403_not_a_redirect_loop(client):
    client.force_login(UserFactory())

    assert client.get(reverse("admin:login") + "?next=/fr/admin/").status_code == 403


def test_admin_login_ignores_an_outside_next(client):
    response = client.get(reverse("admin:login") + "?next=https://evil.example/")

    assert response["Location"] == reverse("account_login") + "?next=/fr/admin/"


def test_admin_login_for_staff_with_a_hostile_next_is_no_500(client, staff_member):
    client.force_login(staff_member)

    response = client.get(reverse("admin:login") + "?next=%FF%FEa%C3")

    assert response.status_code == 302
