"""The person's consent history, their data exports and the record of erased accounts."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ConsentChange(models.Model):
    """One consent given or withdrawn, with the version of the text the person was shown.

    Written by the services that change a consent (registering, the consent form), never
    edited: the person's privacy page shows the history, the latest row per consent is the
    consent in force.
    """

    class Consent(models.TextChoices):
        RULES = "rules", _("Rules and code of conduct of the edition")
        SHOW_PROFILE = "show_profile", _("Name and profile shown to other participants")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="consent_changes",
        verbose_name=_("person"),
    )
    edition = models.ForeignKey(
        "hackqc.Edition",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("edition"),
    )
    consent = models.CharField(_("consent"), max_length=30, choices=Consent)
    given = models.BooleanField(_("given"))
    version = models.CharField(_("version of the text"), max_length=30, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
        help_text=_("The person themself, or the organizer who registered them."),
    )

    class Meta:
        verbose_name = _("consent change")
        verbose_name_plural = _("consent changes")
        ordering = ["user", "-at", "-pk"]
        indexes = [models.Index(fields=["user", "at"], name="consentchange_user_at")]

    def __str__(self):
        return f"{self.user_id} {self.consent} {self.given} {self.at:%Y-%m-%d}"


class DataExport(models.Model):
    """A person's request for a copy of their data; the task fills `data`, the mailed link
    (signed, expiring) shows it. Deleted once expired (beat) and on erasure."""

    class State(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="data_exports",
        verbose_name=_("person"),
    )
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.PENDING)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    built_at = models.DateTimeField(_("prepared at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("link valid until"))
    data = models.JSONField(_("data"), null=True, blank=True)

    class Meta:
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        ordering = ["-requested_at", "-pk"]

    def __str__(self):
        return f"{self.user_id} {self.requested_at:%Y-%m-%d %H:%M}"


class ErasedAccount(models.Model):
    """An account closed (or anonymised by retention): its number names it where its rows
    stay ("Judge withdrawn 3"), and nothing else about the person remains."""

    class Reason(models.TextChoices):
        REQUEST = "request", _("Closed by the person")
        ADMIN = "admin", _("Deleted by an administrator")
        RETENTION = "retention", _("Retention period over")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="erasure",
        verbose_name=_("account"),
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason)
    erased_at = models.DateTimeField(_("erased at"), default=timezone.now)

    class Meta:
        verbose_name = _("erased account")
        verbose_name_plural = _("erased accounts")
        ordering = ["-erased_at", "-pk"]

    def __str__(self):
        return f"#{self.pk} {self.erased_at:%Y-%m-%d}"

    @property
    def number(self):
        return self.pk


class RetiredEdition(models.Model):
    """An edition whose personal data was anonymised at the end of the retention period."""

    edition = models.OneToOneField(
        "hackqc.Edition",
        on_delete=models.CASCADE,
        related_name="retirement",
        verbose_name=_("edition"),
    )
    anonymised_at = models.DateTimeField(_("anonymised at"), default=timezone.now)

    class Meta:
        verbose_name = _("anonymised edition")
        verbose_name_plural = _("anonymised editions")

    def __str__(self):
        return f"{self.edition_id} {self.anonymised_at:%Y-%m-%d}"
