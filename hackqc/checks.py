"""System checks of the production settings (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


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
