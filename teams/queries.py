"""Reads shared by several views, each with a fixed number of queries whatever the rows."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery

from .models import Invitation, JoinRequest, Membership, Registration, Skill, Team, TeamLog


def _registration_field(field):
    return Subquery(
        Registration.objects.filter(edition=OuterRef("edition"), user=OuterRef("user")).values(
            field
        )[:1]
    )


def teams_with_size(edition):
    return (
        Team.objects.filter(edition=edition)
        .select_related("challenge", "host_site")
        .annotate(size=Count("memberships", distinct=True))
    )


def board_teams(edition, *, challenge=None, skill=None):
    """Open teams with a free seat, with their challenge and wanted skills."""
    teams = (
        teams_with_size(edition)
        .filter(is_open=True, size__lt=edition.team_size_max)
        .prefetch_related("wanted_skills")
        .order_by("name")
    )
    if challenge:
        teams = teams.filter(challenge__number=challenge)
    if skill:
        teams = teams.filter(wanted_skills__slug=skill)
    return teams


def edition_skills(edition):
    """Skills that a team or a person of the edition named, for the board's filter."""
    wanted = Team.wanted_skills.through.objects.filter(team__edition=edition).values("skill_id")
    offered = Registration.skills.through.objects.filter(registration__edition=edition).values(
        "skill_id"
    )
    return Skill.objects.filter(Q(pk__in=wanted) | Q(pk__in=offered)).order_by("name")


def looking_participants(edition, *, skill=None):
    """Participants without a team who are looking for one and consented to be shown."""
    in_team = Membership.objects.filter(edition=OuterRef("edition"), user=OuterRef("user"))
    people = (
        Registration.objects.filter(
            edition=edition,
            role=Registration.Role.PARTICIPANT,
            looking_for_team=True,
            show_profile=True,
        )
        .exclude(Exists(in_team))
        .select_related("user")
        .prefetch_related("skills")
        .order_by("user__display_name", "pk")
    )
    if skill:
        people = people.filter(skills__slug=skill)
    return people


def team_members(team):
    """Members with the consent and organisation from their registration."""
    return (
        Membership.objects.filter(team=team)
        .select_related("user")
        .annotate(
            show_profile=_registration_field("show_profile"),
            organisation=_registration_field("organisation"),
        )
        .order_by("-is_captain", "joined_at", "pk")
    )


def pending_invitations(team):
    return Invitation.objects.filter(team=team, accepted_at=None, revoked_at=None).order_by(
        "-created_at"
    )


def pending_requests(team):
    return (
        JoinRequest.objects.filter(team=team, status=JoinRequest.Status.PENDING)
        .select_related("user")
        .annotate(
            show_profile=Subquery(
                Registration.objects.filter(edition=team.edition_id, user=OuterRef("user")).values(
                    "show_profile"
                )[:1]
            )
        )
    )


def organizer_teams(edition):
    """Every team with its size and members, for the organizers' list and export."""
    members = (
        Membership.objects.select_related("user")
        .only("team_id", "is_captain", "joined_at", "user__display_name", "user__email")
        .order_by("-is_captain", "joined_at")
    )
    return (
        teams_with_size(edition)
        .prefetch_related(Prefetch("memberships", queryset=members))
        .order_by("name")
    )


def member_labels(edition):
    """{team id: "Name (captain), Name, …"} in one query, for the organizers' big list:
    building the label here spares the template a nested loop per row."""
    from django.utils.translation import gettext as _

    rows = (
        Membership.objects.filter(edition=edition)
        .order_by("team_id", "-is_captain", "joined_at")
        .values_list("team_id", "user__display_name", "is_captain")
    )
    captain = _("captain")
    labels = {}
    for team_id, name, is_captain in rows:
        labels.setdefault(team_id, []).append(f"{name} ({captain})" if is_captain else name)
    return {team_id: ", ".join(names) for team_id, names in labels.items()}


def edition_registrations(edition):
    team = Membership.objects.filter(edition=OuterRef("edition"), user=OuterRef("user"))
    return (
        Registration.objects.filter(edition=edition)
        .select_related("user")
        .prefetch_related("skills")
        .annotate(team_name=Subquery(team.values("team__name")[:1]))
        .order_by("user__display_name", "pk")
    )


SEARCH_MAX_LENGTH = 200


def clean_search(text) -> str:
    """A search as typed, bounded, without the NUL bytes PostgreSQL refuses in text."""
    return (text or "").replace("\x00", "").strip()[:SEARCH_MAX_LENGTH]


def search_registrations(edition, search=""):
    """The edition's registrations whose person's name or e-mail address holds `search`."""
    registrations = edition_registrations(edition).select_related("host_site")
    if search:
        registrations = registrations.filter(
            Q(user__display_name__icontains=search) | Q(user__email__icontains=search)
        )
    return registrations


def corrections_of(registration):
    return list(registration.corrections.select_related("by").order_by("-at", "-pk"))


def recent_log(edition, limit=50):
    return (
        TeamLog.objects.filter(edition=edition)
        .select_related("actor", "subject")
        .order_by("-created_at", "-pk")[:limit]
    )


def registration_counts(edition):
    return Registration.objects.filter(edition=edition).aggregate(
        total=Count("pk"),
        participants=Count("pk", filter=Q(role=Registration.Role.PARTICIPANT)),
        mentors=Count("pk", filter=Q(role=Registration.Role.MENTOR)),
        volunteers=Count("pk", filter=Q(role=Registration.Role.VOLUNTEER)),
    )
