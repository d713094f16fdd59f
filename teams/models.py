"""Registrations for an edition, teams and their members.

The fields here are the ones other apps rely on (submissions, jury): extend, never rename.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# No 0/O or 1/I/L: a check-in code is read off a phone and typed by a volunteer.
CHECKIN_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CHECKIN_CODE_LENGTH = 10  # 31**10 ≈ 8·10**14 codes: unguessable, still short to type


def new_checkin_code() -> str:
    """A fresh random check-in code; the unique constraint catches the (astronomically rare)
    collision."""
    return "".join(secrets.choice(CHECKIN_ALPHABET) for _i in range(CHECKIN_CODE_LENGTH))


class Registration(models.Model):
    """A person taking part in one edition, in one role."""

    class Role(models.TextChoices):
        PARTICIPANT = "participant", _("Participant")
        MENTOR = "mentor", _("Mentor")
        VOLUNTEER = "volunteer", _("Volunteer")

    class ParticipantType(models.TextChoices):
        STUDENT = "student", _("Student")
        PROFESSIONAL = "professional", _("Professional")
        OTHER = "other", _("Other")

    edition = models.ForeignKey(
        "hackqc.Edition",
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("edition"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.PARTICIPANT)
    organisation = models.CharField(_("organisation or school"), max_length=200, blank=True)
    participant_type = models.CharField(
        _("participant type"),
        max_length=20,
        choices=ParticipantType,
        default=ParticipantType.OTHER,
    )
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)
    skills = models.ManyToManyField(
        "Skill", blank=True, related_name="registrations", verbose_name=_("skills")
    )
    bio = models.TextField(_("short bio"), max_length=1000, blank=True)
    looking_for_team = models.BooleanField(_("looking for a team"), default=False)
    show_profile = models.BooleanField(
        _("show my name and profile to other participants"),
        default=False,
        help_text=_("Without this consent, other participants see neither your name nor profile."),
    )
    rules_version = models.CharField(_("version of the rules accepted"), max_length=30, blank=True)
    rules_accepted_at = models.DateTimeField(_("rules accepted at"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
        help_text=_("The organizer who registered this person late, if any."),
    )
    host_site = models.ForeignKey(
        "hackqc.HostSite",
        on_delete=models.PROTECT,
        related_name="registrations",
        null=True,
        blank=True,
        verbose_name=_("host site"),
        help_text=_("Where you will be on the day. A team member is at their team's host site."),
    )
    # Sensitive (Law 25): optional, seen only by the person and the organizers of the edition.
    dietary_needs = models.CharField(
        _("dietary needs"),
        max_length=300,
        blank=True,
        help_text=_(
            "Optional: allergies, diet. Seen only by the organizers of this edition, to plan "
            "the meals."
        ),
    )
    accessibility_needs = models.CharField(
        _("accessibility needs"),
        max_length=300,
        blank=True,
        help_text=_(
            "Optional: anything that would make the venue easier for you. Seen only by the "
            "organizers of this edition."
        ),
    )
    checkin_code = models.CharField(
        _("check-in code"),
        max_length=CHECKIN_CODE_LENGTH,
        unique=True,
        default=new_checkin_code,
        editable=False,
    )
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked in by"),
    )

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(fields=["edition", "user"], name="registration_one_per_edition")
        ]

    def __str__(self):
        return f"{self.user} — {self.edition}"


class Team(models.Model):
    edition = models.ForeignKey(
        "hackqc.Edition", on_delete=models.CASCADE, related_name="teams", verbose_name=_("edition")
    )
    name = models.CharField(_("name"), max_length=100)
    challenge = models.ForeignKey(
        "hackqc.Challenge",
        on_delete=models.PROTECT,
        related_name="teams",
        null=True,
        blank=True,
        verbose_name=_("challenge"),
    )
    description = models.TextField(_("short description"), max_length=5_000, blank=True)
    host_site = models.ForeignKey(
        "hackqc.HostSite",
        on_delete=models.PROTECT,
        related_name="teams",
        null=True,
        blank=True,
        verbose_name=_("host site"),
        help_text=_("Where the team takes part, when the edition has several host sites."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    is_open = models.BooleanField(
        _("open to new members"),
        default=True,
        help_text=_("Open teams appear on the team board and accept join requests."),
    )
    wanted_skills = models.ManyToManyField(
        "Skill", blank=True, related_name="teams", verbose_name=_("skills wanted")
    )
    join_code = models.CharField(_("join code"), max_length=12, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["edition", "name"]
        constraints = [
            models.UniqueConstraint("edition", Lower("name"), name="team_unique_name_per_edition")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("teams:team_detail", kwargs={"pk": self.pk})


class Membership(models.Model):
    """A person in a team. `edition` repeats the team's so one constraint can say
    "one team per person per edition"."""

    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("team")
    )
    edition = models.ForeignKey(
        "hackqc.Edition", on_delete=models.CASCADE, related_name="+", verbose_name=_("edition")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    is_captain = models.BooleanField(_("captain"), default=False)
    joined_at = models.DateTimeField(_("joined at"), default=timezone.now)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "user"], name="membership_one_team_per_edition"
            ),
            models.UniqueConstraint(
                fields=["team"],
                condition=models.Q(is_captain=True),
                name="membership_one_captain_per_team",
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.team}"


class Skill(models.Model):
    """A free tag ("python", "cartographie") shared by profiles and teams, for filtering."""

    name = models.CharField(_("name"), max_length=50)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Invitation(models.Model):
    """An e-mail invitation to join a team: a single-use link that expires."""

    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("team")
    )
    email = models.EmailField(_("e-mail address"))
    token = models.CharField(_("token"), max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    language = models.CharField(_("language"), max_length=10, default=settings.LANGUAGE_CODE)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["team", "created_at"], name="invitation_team_created")]

    def __str__(self):
        return f"{self.email} → {self.team}"

    @property
    def is_pending(self):
        return self.accepted_at is None and self.revoked_at is None

    def is_expired(self, now=None):
        return (now or timezone.now()) >= self.expires_at


class JoinRequest(models.Model):
    """A participant asks a team's captain to let them in."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="join_requests", verbose_name=_("team")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="team_join_requests",
        verbose_name=_("user"),
    )
    message = models.TextField(_("message to the captain"), max_length=1000, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PENDING)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )

    class Meta:
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "user"],
                condition=models.Q(status="pending"),
                name="joinrequest_one_pending_per_team",
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.team}"


class TeamLog(models.Model):
    """Who changed which team, and when. Kept when the team itself is dissolved."""

    class Action(models.TextChoices):
        CREATED = "created", _("Team created")
        UPDATED = "updated", _("Team edited")
        JOINED = "joined", _("Member joined")
        LEFT = "left", _("Member left")
        REMOVED = "removed", _("Member removed")
        CAPTAIN = "captain", _("Captainship handed over")
        CODE = "code", _("Join code regenerated")
        INVITED = "invited", _("Invitation sent")
        MOVED = "moved", _("Participant moved by an organizer")
        DISSOLVED = "dissolved", _("Team dissolved")

    edition = models.ForeignKey(
        "hackqc.Edition", on_delete=models.CASCADE, related_name="+", verbose_name=_("edition")
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="logs",
        verbose_name=_("team"),
    )
    team_name = models.CharField(_("team name"), max_length=100)
    action = models.CharField(_("action"), max_length=20, choices=Action)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("done by"),
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person concerned"),
    )
    by_organizer = models.BooleanField(_("by an organizer"), default=False)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("team log entry")
        verbose_name_plural = _("team log")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.team_name}: {self.action}"


class RegistrationCorrection(models.Model):
    """An organizer's correction of a person's registration, with its stated reason.

    The reason is kept here, not in the audit log (whose details are never personal): it
    may name the person's circumstances, and is erased with their account.
    """

    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="corrections",
        verbose_name=_("registration"),
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("corrected by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    reason = models.TextField(_("reason"), max_length=1000)
    # What changed, as the audit entry has it: field -> [old, new] (ids and codes only).
    changes = models.JSONField(_("changes"), default=dict)

    class Meta:
        verbose_name = _("registration correction")
        verbose_name_plural = _("registration corrections")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.registration_id} {self.at:%Y-%m-%d %H:%M}"
