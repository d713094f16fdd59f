"""The captain's and members' actions on a team: one POST each."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import FormView

from hackqc.exceptions import HackQCError
from hackqc.form_errors import show_refusal

from .. import services
from ..forms import InvitationForm, JoinRequestForm, TeamForm
from ..models import Invitation
from ..permissions import (
    get_member_for_captain,
    get_own_membership,
    get_own_request,
    get_request_for_captain,
    get_team_for_captain,
    get_team_for_viewer,
)
from ._helpers import attempt


class TeamUpdateView(LoginRequiredMixin, FormView):
    template_name = "teams/team_form.html"
    form_class = TeamForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.team = get_team_for_captain(request.user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "edition": self.team.edition, "instance": self.team}

    def get_context_data(self, **kwargs):
        return super().get_context_data(edition=self.team.edition, team=self.team, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.update_team(self.team, by=self.request.user, **data)
        except HackQCError as exc:
            show_refusal(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Team saved."))
        return redirect("teams:team_detail", pk=self.team.pk)


class InviteView(LoginRequiredMixin, FormView):
    template_name = "teams/invite_form.html"
    form_class = InvitationForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.team = get_team_for_captain(request.user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(team=self.team, edition=self.team.edition, **kwargs)

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        try:
            services.invite_member(self.team, email=email, by=self.request.user)
        except HackQCError as exc:
            show_refusal(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Invitation sent to %(email)s.") % {"email": email})
        return redirect("teams:team_detail", pk=self.team.pk)


def _back(team_pk):
    return redirect("teams:team_detail", pk=team_pk)


@login_required
@require_POST
def revoke_invitation(request, pk, invitation_pk):
    team = get_team_for_captain(request.user, pk)
    invitation = get_object_or_404(Invitation, pk=invitation_pk, team=team)
    attempt(
        request,
        lambda: services.revoke_invitation(invitation, by=request.user),
        _("Invitation cancelled."),
    )
    return _back(pk)


def _confirm(request, team, *, title, explanation, action_label):
    """The confirmation step of an irreversible action (works without JavaScript)."""
    return render(
        request,
        "includes/confirm_page.html",
        {
            "title": title,
            "explanation": explanation,
            "action_label": action_label,
            "cancel_url": team.get_absolute_url(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def regenerate_code(request, pk):
    """GET asks for confirmation; POST replaces the code."""
    team = get_team_for_captain(request.user, pk)
    if request.method == "GET":
        return _confirm(
            request,
            team,
            title=_("Generate a new join code for %(team)s?") % {"team": team.name},
            explanation=_(
                "The current code stops working at once: people you gave it to will need "
                "the new one."
            ),
            action_label=_("Generate a new code"),
        )
    attempt(
        request,
        lambda: services.regenerate_join_code(team, by=request.user),
        _("New join code generated: the old one no longer works."),
    )
    return _back(pk)


@login_required
@require_POST
def remove_member(request, pk, membership_pk):
    membership = get_member_for_captain(request.user, pk, membership_pk)
    attempt(
        request,
        lambda: services.remove_member(membership, by=request.user),
        _("%(person)s was removed from the team.") % {"person": membership.user},
    )
    return _back(pk)


@login_required
@require_http_methods(["GET", "POST"])
def make_captain(request, pk, membership_pk):
    """GET asks for confirmation; POST hands over the captainship."""
    membership = get_member_for_captain(request.user, pk, membership_pk)
    if request.method == "GET":
        return _confirm(
            request,
            membership.team,
            title=_("Make %(person)s the captain?") % {"person": membership.user},
            explanation=_(
                "You will no longer be the captain: only %(person)s can give the captainship back."
            )
            % {"person": membership.user},
            action_label=_("Hand over the captainship"),
        )
    attempt(
        request,
        lambda: services.transfer_captaincy(membership.team, to=membership.user, by=request.user),
        _("%(person)s is now the captain.") % {"person": membership.user},
    )
    return _back(pk)


@login_required
@require_http_methods(["GET", "POST"])
def leave(request, pk):
    """GET asks for confirmation; POST leaves the team."""
    membership = get_own_membership(request.user, pk)
    edition = membership.team.edition
    if request.method == "GET":
        return _confirm(
            request,
            membership.team,
            title=_("Leave %(team)s?") % {"team": membership.team.name},
            explanation=_(
                "To come back you will need a new invitation or the join code. The captain is "
                "told by e-mail."
            ),
            action_label=_("Leave the team"),
        )
    if attempt(
        request,
        lambda: services.leave_team(membership, by=request.user),
        _("You left %(team)s.") % {"team": membership.team.name},
    ):
        return redirect("teams:board", slug=edition.slug)
    return _back(pk)


@login_required
@require_http_methods(["GET", "POST"])
def dissolve(request, pk):
    """GET asks for confirmation; POST dissolves."""
    team = get_team_for_captain(request.user, pk)
    if request.method == "GET":
        return render(request, "teams/confirm_dissolve.html", {"team": team, "organizer": False})
    if attempt(
        request,
        lambda: services.dissolve_team(team, by=request.user),
        _("The team %(team)s was dissolved.") % {"team": team.name},
    ):
        return redirect("teams:board", slug=team.edition.slug)
    return _back(pk)


@login_required
@require_POST
def request_to_join(request, pk):
    team = get_team_for_viewer(request.user, pk)
    form = JoinRequestForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    attempt(
        request,
        lambda: services.request_to_join(team, user=request.user, message=message),
        _("Request sent: the captain will answer by e-mail."),
    )
    return _back(pk)


@login_required
@require_POST
def withdraw_request(request, request_pk):
    join_request = get_own_request(request.user, request_pk)
    attempt(
        request,
        lambda: services.withdraw_join_request(join_request, by=request.user),
        _("Your request was withdrawn."),
    )
    return _back(join_request.team_id)


@login_required
@require_POST
def accept_request(request, pk, request_pk):
    join_request = get_request_for_captain(request.user, pk, request_pk)
    attempt(
        request,
        lambda: services.accept_join_request(join_request, by=request.user),
        _("%(person)s joined the team.") % {"person": join_request.user},
    )
    return _back(pk)


@login_required
@require_POST
def decline_request(request, pk, request_pk):
    join_request = get_request_for_captain(request.user, pk, request_pk)
    attempt(
        request,
        lambda: services.decline_join_request(join_request, by=request.user),
        _("Request declined."),
    )
    return _back(pk)
