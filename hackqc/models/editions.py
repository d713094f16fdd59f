from itertools import pairwise

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Q, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Phase(models.TextChoices):
    """Where an edition stands; derived from its timeline, never stored."""

    UPCOMING = "upcoming", _("Upcoming")
    REGISTRATION = "registration", _("Registration open")
    PREPARATION = "preparation", _("Registration closed, hacking soon")
    HACKING = "hacking", _("Hacking")
    JUDGING = "judging", _("Judging")
    DELIBERATION = "deliberation", _("Deliberation")
    RESULTS = "results", _("Results published")


# Each timeline date, in order: a date may not come before the one it follows.
TIMELINE_FIELDS = (
    "registration_opens",
    "registration_closes",
    "hacking_starts",
    "submissions_close",
    "judging_ends",
)


class EditionStatus(models.TextChoices):
    """Where an edition stands in its life, set by its organizers (`hackqc.lifecycle`)."""

    DRAFT = "draft", pgettext_lazy("edition status", "Draft")
    PUBLISHED = "published", pgettext_lazy("edition status", "Published")
    ARCHIVED = "archived", pgettext_lazy("edition status", "Archived")


class EditionQuerySet(models.QuerySet):
    def listed(self):
        """Editions the public may see (`hackqc.visibility.public_editions`): published or
        archived, never a draft nor a synthetic one (generated test data)."""
        from hackqc.visibility import public_editions

        return self.filter(public_editions())

    def in_home_order(self):
        """The featured edition first; then published editions before archived ones, the
        one whose registration opened last first."""
        return self.order_by(
            F("featured").desc(),
            Case(When(status=EditionStatus.PUBLISHED, then=0), default=1),
            "-registration_opens",
            "-year",
        )

    def current(self):
        """The edition the home page features: the one its organizers chose, else the
        published one whose registration opened last."""
        return self.listed().in_home_order().first()

    def organized_by(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self.all()
        return self.filter(organizer_roles__user=user)


class Edition(models.Model):
    Status = EditionStatus

    year = models.PositiveSmallIntegerField(_("year"))
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=150)
    theme = models.CharField(_("theme"), max_length=200, blank=True)
    description = models.TextField(_("description"), max_length=10_000, blank=True)
    registration_opens = models.DateTimeField(_("registration opens"))
    registration_closes = models.DateTimeField(_("registration closes"))
    hacking_starts = models.DateTimeField(_("hacking starts"))
    submissions_close = models.DateTimeField(_("submissions close"))
    judging_ends = models.DateTimeField(_("judging ends"))
    results_published = models.DateTimeField(
        _("results published"),
        null=True,
        blank=True,
        help_text=_("Set when the results are published; empty until then."),
    )
    team_size_min = models.PositiveSmallIntegerField(
        _("recommended minimum team size"),
        default=4,
        help_text=_("A soft rule: smaller teams are allowed but flagged."),
    )
    team_size_max = models.PositiveSmallIntegerField(_("maximum team size"), default=6)
    min_datasets = models.PositiveSmallIntegerField(_("minimum datasets per submission"), default=1)
    gallery_open_early = models.BooleanField(
        _("open the gallery before submissions close"),
        default=False,
        help_text=_("Otherwise the gallery of submitted projects opens when submissions close."),
    )
    one_prize_per_team = models.BooleanField(
        _("a team may win only one prize"),
        default=True,
        help_text=_("Prizes are then awarded in priority order, skipping teams that already won."),
    )
    show_full_ranking = models.BooleanField(
        _("publish the full ranking"),
        default=False,
        help_text=_("Otherwise only the winners are published; teams still see their own rank."),
    )

    is_synthetic = models.BooleanField(
        _("synthetic (test data)"),
        default=False,
        editable=False,
        help_text=_(
            "Generated for tests and benchmarks: never shown on public pages, in lists or in "
            "open data; deleted with `manage.py delete_synthetic_edition`."
        ),
    )

    status = models.CharField(
        _("status"),
        max_length=10,
        choices=EditionStatus.choices,
        default=EditionStatus.DRAFT,
        editable=False,
        help_text=_("A draft is seen by its organizers only; an archive is public and read-only."),
    )
    featured = models.BooleanField(
        _("featured on the home page"),
        default=False,
        editable=False,
        help_text=_("At most one edition, published or archived."),
    )

    objects = EditionQuerySet.as_manager()

    class Meta:
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        ordering = ["-year", "-registration_opens"]
        constraints = [
            models.CheckConstraint(
                condition=Q(registration_closes__gte=F("registration_opens"))
                & Q(hacking_starts__gte=F("registration_closes"))
                & Q(submissions_close__gte=F("hacking_starts"))
                & Q(judging_ends__gte=F("submissions_close")),
                name="edition_timeline_in_order",
            ),
            models.CheckConstraint(
                condition=Q(results_published__isnull=True)
                | Q(results_published__gte=F("submissions_close")),
                name="edition_results_after_submissions",
            ),
            models.CheckConstraint(
                condition=Q(team_size_min__gte=1) & Q(team_size_max__gte=F("team_size_min")),
                name="edition_team_size_range",
            ),
            models.CheckConstraint(
                condition=Q(status__in=EditionStatus.values), name="edition_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(featured=False)
                | Q(status__in=[EditionStatus.PUBLISHED, EditionStatus.ARCHIVED]),
                name="edition_featured_is_public",
            ),
            models.UniqueConstraint(
                fields=["featured"], condition=Q(featured=True), name="edition_one_featured"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("edition_detail", kwargs={"slug": self.slug})

    def clean(self):
        errors = {}
        dates = [(name, getattr(self, name)) for name in TIMELINE_FIELDS]
        for (previous, before), (name, value) in pairwise(dates):
            if before and value and value < before:
                errors[name] = _("This date cannot come before “%(previous)s”.") % {
                    "previous": self._meta.get_field(previous).verbose_name
                }
        published, closed = self.results_published, self.submissions_close
        if published and closed and published < closed:
            # Reported on the deadline: the publication date is no field of the edition form.
            errors.setdefault(
                "submissions_close",
                _("Submissions cannot close after the results were published."),
            )
        if self.team_size_min and self.team_size_max and self.team_size_max < self.team_size_min:
            errors["team_size_max"] = _("The maximum cannot be below the minimum.")
        if errors:
            raise ValidationError(errors)

    def phase(self, now=None) -> Phase:
        from hackqc.phases import current_phase

        return current_phase(self, now)


class HostSite(models.Model):
    """A place ("pôle") where an edition is held; an edition may have several."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="host_sites", verbose_name=_("edition")
    )
    name = models.CharField(_("name"), max_length=150)
    city = models.CharField(_("city"), max_length=100)
    address = models.CharField(_("address"), max_length=250, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        help_text=_(
            "How many people the site can host (participants, mentors and volunteers); "
            "empty for no limit."
        ),
    )

    class Meta:
        verbose_name = _("host site")
        verbose_name_plural = _("host sites")
        ordering = ["edition", "name"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "name"], name="hostsite_unique_name")
        ]

    def __str__(self):
        return f"{self.name} ({self.city})"


class Challenge(models.Model):
    """A numbered challenge ("défi") proposed by a partner organisation."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="challenges", verbose_name=_("edition")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5_000, blank=True)
    partner = models.CharField(_("partner organisation"), max_length=200)

    class Meta:
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")
        ordering = ["edition", "number"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "number"], name="challenge_unique_number")
        ]

    def __str__(self):
        return _("Challenge %(number)s: %(title)s") % {"number": self.number, "title": self.title}


class EditionOrganizer(models.Model):
    """The organizer role, per edition: an organizer of 2026 is not one of 2027."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="organizer_roles", verbose_name=_("edition")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="organizer_roles",
        verbose_name=_("user"),
    )
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)

    class Meta:
        verbose_name = _("organizer")
        verbose_name_plural = _("organizers")
        constraints = [
            models.UniqueConstraint(fields=["edition", "user"], name="organizer_unique_role")
        ]

    def __str__(self):
        return f"{self.user} — {self.edition}"
