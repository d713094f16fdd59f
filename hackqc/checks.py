"""System checks of the production settings (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def check_privacy_officer(app_configs, **kwargs):
    """Law 25: the privacy policy must give a way to reach the person in charge. The
    embedded default (privacy@localhost) reaches nobody."""
    domain = settings.PRIVACY_OFFICER_EMAIL.rpartition("@")[2].lower()
    if domain == "localhost":
        return [
            Warning(
                "The privacy policy names privacy@localhost as the contact of the person "
                "in charge of personal information.",
                hint="Set PRIVACY_OFFICER_EMAIL, or SITE_URL to the site's public address.",
                id="hackqc.W001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_catalogue_loopback(app_configs, **kwargs):
    """The tests' opening for the catalogue sync (a replay portal on 127.0.0.1) would let a
    portal reach the site's own services on a server (SSRF)."""
    if settings.CATALOGUE_ALLOW_LOOPBACK:
        return [
            Error(
                "CATALOGUE_ALLOW_LOOPBACK lets the catalogue sync read the server's own "
                "loopback services.",
                hint="It is for tests only: remove it from the production settings.",
                id="hackqc.E001",
            )
        ]
    return []
