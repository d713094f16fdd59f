"""The open-data catalogue synced from CKAN portals (Données Québec by default).

The fields here are the ones other apps rely on: extend, never rename.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Portal(models.Model):
    name = models.SlugField(_("name"), max_length=50, unique=True)
    title = models.CharField(_("title"), max_length=150)
    api_url = models.URLField(_("Action API base URL"))
    dataset_url_pattern = models.CharField(
        _("dataset page URL pattern"),
        max_length=300,
        help_text=_("With {name} standing for the dataset's name."),
    )
    is_enabled = models.BooleanField(
        _("enabled"),
        default=True,
        help_text=_("A disabled portal is not synced, nightly or on request; its datasets stay."),
    )
    is_synthetic = models.BooleanField(
        _("synthetic (test data)"),
        default=False,
        editable=False,
        help_text=_("A generated edition's throwaway portal: its datasets are never listed."),
    )

    class Meta:
        verbose_name = _("portal")
        verbose_name_plural = _("portals")

    def __str__(self):
        return self.title

    def dataset_url(self, name):
        return self.dataset_url_pattern.replace("{name}", name)


class Organization(models.Model):
    portal = models.ForeignKey(
        Portal, on_delete=models.CASCADE, related_name="organizations", verbose_name=_("portal")
    )
    ckan_id = models.CharField(_("CKAN id"), max_length=100)
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=300)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["portal", "ckan_id"], name="organization_unique_id")
        ]

    def __str__(self):
        return self.title


class Licence(models.Model):
    """A licence as the portal names it (`license_id`), with the attribution it requires."""

    portal = models.ForeignKey(
        Portal, on_delete=models.CASCADE, related_name="licences", verbose_name=_("portal")
    )
    ckan_id = models.CharField(_("CKAN id"), max_length=100)
    title = models.CharField(_("title"), max_length=300, blank=True)
    url = models.URLField(_("URL"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("licence")
        verbose_name_plural = _("licences")
        ordering = ["title", "ckan_id"]
        constraints = [
            models.UniqueConstraint(fields=["portal", "ckan_id"], name="licence_unique_id")
        ]

    def __str__(self):
        return self.title or self.ckan_id

    @property
    def requires_attribution(self):
        """Every licence on the portals except public-domain dedications asks for credit."""
        return self.ckan_id.lower() not in {"cc0-1.0", "cc-zero", "odc-pddl", "other-pd"}


class Group(models.Model):
    """A portal category (transport, santé, environnement…)."""

    portal = models.ForeignKey(
        Portal, on_delete=models.CASCADE, related_name="groups", verbose_name=_("portal")
    )
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["title", "name"]
        constraints = [models.UniqueConstraint(fields=["portal", "name"], name="group_unique_name")]

    def __str__(self):
        return self.title or self.name


class Format(models.Model):
    """A resource format, upper-cased (CSV, GEOJSON…), so that filters are joins."""

    name = models.CharField(_("name"), max_length=50, unique=True)

    class Meta:
        verbose_name = _("format")
        verbose_name_plural = _("formats")
        ordering = ["name"]

    def __str__(self):
        return self.name


class DatasetDetails(models.Model):
    """Abstract: the synced fields of a dataset beyond the skeleton's, kept apart for reading."""

    description = models.TextField(_("description"), blank=True)
    licence = models.ForeignKey(
        Licence,
        on_delete=models.PROTECT,
        related_name="datasets",
        null=True,
        blank=True,
        verbose_name=_("licence"),
    )
    tags = models.JSONField(_("tags"), default=list, blank=True)
    groups = models.ManyToManyField(
        Group, related_name="datasets", blank=True, verbose_name=_("groups")
    )
    formats = models.ManyToManyField(
        Format, related_name="datasets", blank=True, verbose_name=_("formats")
    )
    resources = models.JSONField(
        _("resources"),
        default=list,
        blank=True,
        help_text=_("id, name, format, url and type of each resource."),
    )
    metadata_modified = models.DateTimeField(_("modified on the portal"), null=True, blank=True)
    last_synced_at = models.DateTimeField(_("last seen by a sync"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    checksum = models.CharField(
        _("checksum"), max_length=64, blank=True, help_text=_("Of the synced fields.")
    )
    search_text = models.TextField(
        _("search text"), blank=True, help_text=_("Lower-case, accents removed.")
    )
    search_vector = SearchVectorField(_("search vector"), null=True, blank=True, editable=False)

    class Meta:
        abstract = True


class Dataset(DatasetDetails):
    class State(models.TextChoices):
        ACTIVE = "active", _("Active")
        WITHDRAWN = "withdrawn", _("Withdrawn from the portal")

    portal = models.ForeignKey(
        Portal, on_delete=models.PROTECT, related_name="datasets", verbose_name=_("portal")
    )
    ckan_id = models.UUIDField(_("CKAN id"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=500)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="datasets",
        null=True,
        blank=True,
        verbose_name=_("organisation"),
    )
    state = models.CharField(_("state"), max_length=20, choices=State, default=State.ACTIVE)

    class Meta:
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["portal", "name"], name="dataset_unique_name")
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("catalogue:detail", kwargs={"portal": self.portal.name, "name": self.name})

    @property
    def portal_url(self):
        """The dataset's page on its portal."""
        return self.portal.dataset_url(self.name)

    @property
    def is_withdrawn(self):
        return self.state == self.State.WITHDRAWN


class SyncRun(models.Model):
    """One sync of a portal's catalogue: its progress while it runs, then its result."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a worker")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", _("Nightly schedule")
        SITE = "site", _("Started from the site")
        COMMAND = "command", _("Management command")

    portal = models.ForeignKey(
        Portal, on_delete=models.CASCADE, related_name="sync_runs", verbose_name=_("portal")
    )
    source = models.CharField(
        _("source"), max_length=500, blank=True, help_text=_("API URL or file read.")
    )
    trigger = models.CharField(_("trigger"), max_length=20, choices=Trigger)
    full = models.BooleanField(_("full sync"), default=False)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PENDING)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Written with each page fetched: a run silent for minutes lost its worker.
    heartbeat_at = models.DateTimeField(_("last progress"), null=True, blank=True)
    fetched = models.PositiveIntegerField(_("packages fetched"), default=0)
    total = models.PositiveIntegerField(_("packages announced"), null=True, blank=True)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    withdrawn = models.PositiveIntegerField(_("withdrawn"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    errors = models.JSONField(
        _("errors"), default=list, blank=True, help_text=_("Skipped packages and failures.")
    )

    class Meta:
        verbose_name = _("catalogue sync")
        verbose_name_plural = _("catalogue syncs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One sync per portal at a time, whoever starts it (site, schedule, command).
            models.UniqueConstraint(
                fields=["portal"],
                condition=models.Q(status__in=["pending", "running"]),
                name="syncrun_one_active_per_portal",
            )
        ]

    def __str__(self):
        return f"{self.portal} {self.created_at:%Y-%m-%d %H:%M} {self.status}"

    @property
    def is_active(self):
        return self.status in {self.Status.PENDING, self.Status.RUNNING}

    @property
    def duration(self):
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None

    @property
    def percent(self):
        if not self.total:
            return None
        return min(100, round(100 * self.fetched / self.total))
