"""Who may see and change teams. Views ask here; none decides on its own.

Teams and profiles are shown only to people registered for the edition and its organizers:
to anyone else a team page answers 404, as if it did not exist.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from hackqc.permissions import is_organizer
from hackqc.visibility import is_edition_visible

from .models import JoinRequest, Membership, Registration, Team


def registration_of(user, edition):
    if not user.is_authenticated:
        return None
    return Registration.objects.filter(edition=edition, user=user).first()


def can_see_teams(user, edition) -> bool:
    """Registered people (any role) and organizers see the board and team pages."""
    if not user.is_authenticated:
        return False
    return is_organizer(user, edition) or registration_of(user, edition) is not None


def is_captain(user, team) -> bool:
    return (
        user.is_authenticated
        and Membership.objects.filter(team=team, user=user, is_captain=True).exists()
    )


def membership_of(user, edition):
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(edition=edition, user=user).select_related("team").first()


def get_team_for_viewer(user, pk) -> Team:
    team = get_object_or_404(
        Team.objects.select_related("edition", "challenge", "host_site"), pk=pk
    )
    if not can_see_teams(user, team.edition) or not is_edition_visible(team.edition, user):
        raise Http404
    return team


def get_team_for_captain(user, pk) -> Team:
    """The team for its captain; 404 to those who cannot see it, 403 to other viewers."""
    team = get_team_for_viewer(user, pk)
    if not is_captain(user, team):
        raise PermissionDenied
    return team


def get_team_for_organizer(user, pk) -> Team:
    team = get_object_or_404(Team.objects.select_related("edition"), pk=pk)
    if not is_organizer(user, team.edition):
        raise Http404
    return team


def get_member_for_captain(user, team_pk, membership_pk) -> Membership:
    team = get_team_for_captain(user, team_pk)
    return get_object_or_404(
        Membership.objects.select_related("user", "team"), pk=membership_pk, team=team
    )


def get_own_membership(user, team_pk) -> Membership:
    team = get_team_for_viewer(user, team_pk)
    return get_object_or_404(Membership.objects.select_related("team"), team=team, user=user)


def get_request_for_captain(user, team_pk, request_pk) -> JoinRequest:
    team = get_team_for_captain(user, team_pk)
    return get_object_or_404(
        JoinRequest.objects.select_related("team__edition", "user"), pk=request_pk, team=team
    )


def get_own_request(user, request_pk) -> JoinRequest:
    return get_object_or_404(JoinRequest.objects.select_related("team"), pk=request_pk, user=user)


def can_check_in(user, edition) -> bool:
    """Organizers and the edition's volunteers check people in on the day."""
    if not user.is_authenticated or not user.is_active:
        return False
    return (
        is_organizer(user, edition)
        or Registration.objects.filter(
            edition=edition, user=user, role=Registration.Role.VOLUNTEER
        ).exists()
    )


def get_edition_for_check_in(user, slug):
    """The edition for its organizers and volunteers; 404 if unknown, 403 to anyone else
    (editions are public: a 403 leaks nothing)."""
    from hackqc.models import Edition

    edition = get_object_or_404(Edition, slug=slug)
    if not can_check_in(user, edition):
        raise PermissionDenied
    return edition


def can_correct_registration(user, edition) -> bool:
    """Who corrects a person's registration or consent on their behalf: site staff and the
    edition's own organizers (an organizer of another edition may not). Volunteers, who
    check people in, may not: a correction changes what the person agreed to, and is
    answered for by the organization, in the person's mail and the audit log."""
    return is_organizer(user, edition)


def get_registration_for_correction(user, slug, pk) -> Registration:
    """The registration `pk` of the edition `slug`, for those who may correct it; 403 to
    anyone else (editions are public), 404 when the edition has no such registration."""
    from hackqc.models import Edition

    edition = get_object_or_404(Edition, slug=slug)
    if not can_correct_registration(user, edition):
        raise PermissionDenied
    return get_object_or_404(
        Registration.objects.select_related("user", "edition", "host_site"),
        pk=pk,
        edition=edition,
    )
