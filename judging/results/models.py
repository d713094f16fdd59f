"""Prizes, frozen result snapshots, their awards, and the announcements sent.

A snapshot is never edited after it is computed, except for its review state
(approved, published, withdrawn) and organizer overrides, which are recorded with a reason.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class AwardPolicy(models.Model):
    """What a winner must show before the prize is awarded (one per edition)."""

    edition = models.OneToOneField(
        "hackqc.Edition",
        on_delete=models.CASCADE,
        related_name="award_policy",
        verbose_name=_("edition"),
    )
    require_repository = models.BooleanField(_("a public repository URL is required"), default=True)
    require_licence = models.BooleanField(_("a licence is required"), default=True)
    ranking_round = models.ForeignKey(
        "judging.Round",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published ranking"),
        help_text=_(
            "The round whose ranking is the edition's ranking. Empty: the main jury round (the "
            "last round of the general jury), never a sponsor's round."
        ),
    )

    class Meta:
        verbose_name = _("award conditions")
        verbose_name_plural = _("award conditions")

    def __str__(self):
        return str(self.edition)


class Prize(models.Model):
    class Eligibility(models.TextChoices):
        ALL = "all", _("All submissions")
        CHALLENGE = "challenge", _("One challenge")
        HOST_SITE = "host_site", _("One host site")

    edition = models.ForeignKey(
        "hackqc.Edition", on_delete=models.CASCADE, related_name="prizes", verbose_name=_("edition")
    )
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), max_length=5_000, blank=True)
    sponsor = models.CharField(_("sponsor"), max_length=200, blank=True)
    reward = models.CharField(
        _("amount or nature"),
        max_length=200,
        blank=True,
        help_text=_("E.g. “2 000 $” or “A mentoring programme”."),
    )
    places = models.PositiveSmallIntegerField(
        _("number of places"),
        default=1,
        validators=[MinValueValidator(1, message=_("A prize has at least one place."))],
    )
    eligibility = models.CharField(
        _("eligible submissions"), max_length=20, choices=Eligibility, default=Eligibility.ALL
    )
    challenge = models.ForeignKey(
        "hackqc.Challenge",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="prizes",
        verbose_name=_("challenge"),
    )
    host_site = models.ForeignKey(
        "hackqc.HostSite",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="prizes",
        verbose_name=_("host site"),
    )
    round = models.ForeignKey(
        "judging.Round",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="prizes",
        verbose_name=_("deciding round"),
        help_text=_("Leave empty when the sponsor's own judges choose the winners."),
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), default=1, help_text=_("Prizes are resolved from the lowest number up.")
    )

    class Meta:
        verbose_name = _("prize")
        verbose_name_plural = _("prizes")
        ordering = ["edition", "priority", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "name"], name="prize_unique_name"),
            models.CheckConstraint(
                condition=Q(places__gte=1),
                name="prize_at_least_one_place",
                violation_error_message=_("A prize has at least one place."),
            ),
            models.CheckConstraint(
                condition=(Q(eligibility="challenge") & Q(challenge__isnull=False))
                | (~Q(eligibility="challenge") & Q(challenge__isnull=True)),
                name="prize_challenge_iff_challenge_eligibility",
            ),
            models.CheckConstraint(
                condition=(Q(eligibility="host_site") & Q(host_site__isnull=False))
                | (~Q(eligibility="host_site") & Q(host_site__isnull=True)),
                name="prize_site_iff_site_eligibility",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def decided_by_sponsor(self) -> bool:
        return self.round_id is None


class ResultSnapshot(models.Model):
    """Each prize's winners and the rankings behind them, frozen when computed."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn for a correction")
        SUPERSEDED = "superseded", _("Superseded")

    edition = models.ForeignKey(
        "hackqc.Edition",
        on_delete=models.CASCADE,
        related_name="result_snapshots",
        verbose_name=_("edition"),
    )
    state = models.CharField(_("state"), max_length=20, choices=State, default=State.PROPOSED)
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("computed by"),
    )
    main_round = models.ForeignKey(
        "judging.Round",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("main round"),
    )
    parameters = models.JSONField(
        _("method and parameters"), default=dict, help_text=_("Per round: method and options.")
    )
    rankings = models.JSONField(_("full rankings"), default=dict)
    digests = models.JSONField(_("raw score digests per round"), default=dict)
    public_votes = models.JSONField(
        _("people's choice counts"),
        default=dict,
        blank=True,
        help_text=_("The prize decided by the public and each project's votes, frozen."),
    )
    scores_hash = models.CharField(_("hash of the raw scores"), max_length=64)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    published_at = models.DateTimeField(_("public from"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    announced_at = models.DateTimeField(_("announcements sent at"), null=True, blank=True)
    announcing_since = models.DateTimeField(
        _("announcements being sent since"),
        null=True,
        blank=True,
        help_text=_("Set while a worker sends the announcements: one run at a time."),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_reason = models.TextField(
        _("reason for the correction"), max_length=2_000, blank=True
    )
    carried_overrides = models.JSONField(
        _("overrides carried from the previous computation"),
        default=list,
        blank=True,
        help_text=_("Each earlier override: carried over, or dropped and why."),
    )

    class Meta:
        verbose_name = _("result snapshot")
        verbose_name_plural = _("result snapshots")
        ordering = ["edition", "-computed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition"],
                condition=Q(state="published"),
                name="snapshot_one_published_per_edition",
            ),
            models.CheckConstraint(
                condition=~Q(state="withdrawn") | ~Q(withdrawal_reason=""),
                name="snapshot_withdrawal_has_reason",
            ),
        ]

    def __str__(self):
        return _("Results of %(edition)s computed %(when)s") % {
            "edition": self.edition,
            "when": self.computed_at.isoformat(timespec="minutes"),
        }

    @property
    def is_scheduled(self) -> bool:
        """Published with an embargo that has not passed yet: not public until then."""
        return (
            self.state == self.State.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    def state_label(self) -> str:
        """The state as organizers read it: "scheduled for …" until the embargo passes."""
        if self.is_scheduled:
            when = date_format(timezone.localtime(self.published_at), "DATETIME_FORMAT")
            return gettext("Scheduled for %(when)s") % {"when": when}
        return self.get_state_display()


class Award(models.Model):
    """One place of one prize in a snapshot, or a submission passed over and why."""

    snapshot = models.ForeignKey(
        ResultSnapshot, on_delete=models.CASCADE, related_name="awards", verbose_name=_("snapshot")
    )
    prize = models.ForeignKey(
        Prize, on_delete=models.CASCADE, related_name="awards", verbose_name=_("prize")
    )
    place = models.PositiveSmallIntegerField(
        _("place"), null=True, blank=True, help_text=_("Empty for a submission passed over.")
    )
    submission = models.ForeignKey(
        "submissions.Submission",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="awards",
        verbose_name=_("submission"),
    )
    proposed_submission = models.ForeignKey(
        "submissions.Submission",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("computed submission"),
    )
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    score = models.FloatField(_("score"), null=True, blank=True)
    missing = models.JSONField(_("missing award conditions"), default=list, blank=True)
    tied = models.BooleanField(_("tied at a prize boundary"), default=False)
    tied_with = models.JSONField(_("tied with"), default=list, blank=True)
    too_close_to_call = models.BooleanField(_("too close to call"), default=False)
    needs_decision = models.BooleanField(_("needs an organizer decision"), default=False)
    override_reason = models.TextField(_("reason for the override"), max_length=2_000, blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("overridden by"),
    )
    overridden_at = models.DateTimeField(_("overridden at"), null=True, blank=True)

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["snapshot", "prize__priority", "prize", "place", "rank", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "prize", "place"],
                condition=Q(place__isnull=False),
                name="award_one_per_place",
            ),
        ]

    def __str__(self):
        return f"{self.prize} #{self.place}: {self.submission}"

    @property
    def is_place(self) -> bool:
        return self.place is not None

    @property
    def overridden(self) -> bool:
        return bool(self.override_reason)


class Announcement(models.Model):
    """A results mail sent to one person: the unique constraint makes a second run a no-op."""

    class Kind(models.TextChoices):
        RESULTS = "results", _("Results are published")
        WINNER = "winner", _("Your team won a prize")
        CORRECTION = "correction", _("Corrected results are published")

    edition = models.ForeignKey(
        "hackqc.Edition", on_delete=models.CASCADE, related_name="+", verbose_name=_("edition")
    )
    snapshot = models.ForeignKey(
        ResultSnapshot,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("results"),
        help_text=_("For a correction: the corrected results it announces."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("announcement sent")
        verbose_name_plural = _("announcements sent")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "user", "kind"],
                condition=~Q(kind="correction"),
                name="announcement_once_per_person",
            ),
            models.UniqueConstraint(
                fields=["snapshot", "user"],
                condition=Q(kind="correction"),
                name="announcement_one_correction_per_person",
            ),
            models.CheckConstraint(
                condition=Q(kind="correction", snapshot__isnull=False) | ~Q(kind="correction"),
                name="announcement_correction_names_results",
            ),
        ]

    def __str__(self):
        return f"{self.kind} → {self.user}"


def _certificate_token():
    import secrets

    return secrets.token_urlsafe(24)


class Certificate(models.Model):
    """A PDF certificate issued to one person for one published snapshot: participation, or
    one place of one prize. Issued once (`key`), in the person's language at that moment,
    and kept as issued; its token names the public verification page.

    A deleted account takes its certificates with it (Law 25); the verification page shows
    the name only if the person chose to (`name_is_public`, off by default).
    """

    class Kind(models.TextChoices):
        PARTICIPATION = "participation", _("Participation")
        PRIZE = "prize", _("Prize")

    key = models.CharField(_("key"), max_length=100, unique=True)
    token = models.CharField(_("token"), max_length=64, unique=True, default=_certificate_token)
    snapshot = models.ForeignKey(
        ResultSnapshot,
        on_delete=models.CASCADE,
        related_name="certificates",
        verbose_name=_("results"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="certificates",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    award = models.ForeignKey(
        "Award",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="certificates",
        verbose_name=_("award"),
    )
    # As printed on the PDF, frozen when issued.
    person_name = models.CharField(_("name"), max_length=100)
    team_name = models.CharField(_("team"), max_length=100)
    project_title = models.CharField(_("project"), max_length=150, blank=True)
    prize_name = models.CharField(_("prize"), max_length=200, blank=True)
    place = models.PositiveSmallIntegerField(_("place"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=10)
    pdf = models.BinaryField(_("PDF"))
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    name_is_public = models.BooleanField(
        _("show my name on the verification page"),
        default=False,
        help_text=_(
            "Off: whoever checks the certificate sees the edition and the prize, not your name."
        ),
    )

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="participation", award__isnull=True)
                | Q(kind="prize", award__isnull=False),
                name="certificate_prize_has_award",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.person_name} ({self.snapshot.edition_id})"
