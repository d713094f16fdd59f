"""Checks and helpers shared by the teams services."""

import secrets

from django.conf import settings
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from hackqc.pages import accepted_rules_version
from hackqc.phases import are_teams_open
from hackqc.service import enqueue

from ..exceptions import AlreadyInTeamError, NotCaptainError, NotParticipantError, TeamsFrozenError
from ..models import Membership, Registration, Skill, Team, TeamLog

# No 0/O or 1/I/L: codes are read aloud and typed from a slide.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
MAX_SKILLS = 15


def rules_version() -> str:
    return getattr(settings, "TEAMS_RULES_VERSION", "2027-1")


def current_rules_version(edition) -> str:
    """The version a registration records: the edition's rules and code of conduct pages
    ("R3-C2"), or the site-wide version while organizers have written neither."""

    return accepted_rules_version(edition) or rules_version()


def invitations_per_hour() -> int:
    return getattr(settings, "TEAMS_INVITATIONS_PER_HOUR", 10)


def invitation_days() -> int:
    return getattr(settings, "TEAMS_INVITATION_DAYS", 7)


def check_teams_open(edition, now=None):
    now = now or timezone.now()
    if are_teams_open(edition, now):
        return
    if now < edition.registration_opens:
        raise TeamsFrozenError(
            _("Teams can be formed once registration opens, on %(date)s.")
            % {"date": formats.date_format(timezone.localtime(edition.registration_opens))}
        )
    raise TeamsFrozenError(
        _("Teams are frozen: submissions closed on %(date)s, so no team can change any more.")
        % {"date": formats.date_format(timezone.localtime(edition.submissions_close))}
    )


def participant_registration(edition, user) -> Registration:
    registration = Registration.objects.filter(edition=edition, user=user).first()
    if registration is None:
        raise NotParticipantError(
            _("%(person)s is not registered for %(edition)s.")
            % {"person": user, "edition": edition}
        )
    if registration.role != Registration.Role.PARTICIPANT:
        raise NotParticipantError(
            _("Only participants can be team members; %(person)s is registered as %(role)s.")
            % {"person": user, "role": registration.get_role_display().lower()}
        )
    return registration


def check_not_in_team(edition, user):
    membership = Membership.objects.filter(edition=edition, user=user).select_related("team")
    membership = membership.first()
    if membership is not None:
        raise AlreadyInTeamError(
            _("%(person)s is already in the team “%(team)s”: one team per person per edition.")
            % {"person": user, "team": membership.team.name}
        )


def check_captain(team, user):
    if not Membership.objects.filter(team=team, user=user, is_captain=True).exists():
        raise NotCaptainError(_("Only the captain of %(team)s can do this.") % {"team": team.name})


def lock_team(team) -> Team:
    """The team, its row locked until the transaction ends, so seats are counted once."""
    return Team.objects.select_for_update().select_related("edition").get(pk=team.pk)


def new_join_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
        if not Team.objects.filter(join_code=code).exists():
            return code


def skills_from_names(names) -> list[Skill]:
    """The Skill rows for free-text names, created on first use, one per slug."""
    skills, seen = [], set()
    for name in names:
        name = " ".join(str(name).split())[:50]
        slug = slugify(name)[:60]
        if not slug or slug in seen:
            continue
        seen.add(slug)
        skill, _created = Skill.objects.get_or_create(slug=slug, defaults={"name": name})
        skills.append(skill)
    return skills[:MAX_SKILLS]


def log(team, action, *, by, subject=None, by_organizer=False, edition=None, team_name=None):
    return TeamLog.objects.create(
        edition=edition or team.edition,
        team=team,
        team_name=team_name or team.name,
        action=action,
        actor=by,
        subject=subject,
        by_organizer=by_organizer,
    )


# The teams services' name for `hackqc.service.enqueue`.
on_commit = enqueue
