"""Each consent given or withdrawn is a row of the person's history, with its version."""

from hackqc.privacy.consents import SHOW_PROFILE_VERSION, consents_in_force, history
from hackqc.privacy.models import ConsentChange
from teams import services
from tests.factories.core import UserFactory


def test_registering_records_both_consents_with_their_versions(edition):
    user = UserFactory()

    services.register(
        edition, user=user, by=user, role="participant", accept_rules=True, show_profile=True
    )

    changes = {(c.consent, c.given, c.version) for c in history(user)}
    rules_version = user.registrations.get().rules_version
    assert changes == {
        ("rules", True, rules_version),
        ("show_profile", True, SHOW_PROFILE_VERSION),
    }


def test_withdrawing_and_giving_again_is_a_history(edition):
    user = UserFactory()
    registration = services.register(
        edition, user=user, by=user, role="participant", accept_rules=True, show_profile=True
    )

    services.update_consent(registration, by=user, show_profile=False)
    services.update_consent(registration, by=user, show_profile=False)  # unchanged: no row
    services.update_consent(registration, by=user, show_profile=True)

    shown = [c.given for c in history(user) if c.consent == "show_profile"]
    assert shown == [True, False, True]  # newest first
    in_force = {c.consent: c.given for c in consents_in_force(user)}
    assert in_force == {"rules": True, "show_profile": True}


def test_withdrawing_the_registration_ends_both_consents(edition):
    user = UserFactory()
    registration = services.register(
        edition, user=user, by=user, role="participant", accept_rules=True, show_profile=True
    )

    services.withdraw_registration(registration, by=user)

    in_force = {c.consent: c.given for c in consents_in_force(user)}
    assert in_force == {"rules": False, "show_profile": False}
    assert ConsentChange.objects.filter(user=user).count() == 4
