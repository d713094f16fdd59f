"""Accounts the browser tests sign in with, and signing in as a person does."""

import re

from tests.factories.core import UserFactory

PASSWORD = "une phrase de passe solide 2027"


def person(email, name="", **extra):
    """An account with a verified address and a known password."""
    user = UserFactory(email=email, display_name=name or email.split("@")[0], **extra)
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(page, email, password=PASSWORD):
    """Fills allauth's French login form on the page it is shown on."""
    page.get_by_label("Courriel*", exact=True).fill(email)
    page.get_by_label("Mot de passe*", exact=True).fill(password)
    page.get_by_role("main").get_by_role("button", name=re.compile("^Connexion$")).click()
    page.wait_for_load_state("load")


def sign_in_from_home(page, email, *, menu=None, audit=None):
    """From the home page, as a person does: the nav's « Se connecter », the form, back signed
    in with the nav open (`menu`: the name of the button that opens it on a phone)."""
    page.goto("/fr/")
    if audit is not None:
        audit(page)
    if menu:
        page.get_by_role("button", name=menu).click()
    page.get_by_role("navigation").get_by_role("link", name="Se connecter").click()
    sign_in(page, email)
    if menu:
        page.get_by_role("button", name=menu).click()
