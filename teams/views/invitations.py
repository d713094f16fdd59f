"""The invitation link: works for people without an account, who come back to it after
signing up and verifying their address."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View

from hackqc.exceptions import HackQCError

from .. import services
from ..exceptions import InvitationError
from ..models import Invitation, Registration
from ..permissions import membership_of, registration_of

# The invitation the visitor opened last, kept across sign-up and e-mail verification.
SESSION_KEY = "teams_invitation"


class InvitationView(View):
    template_name = "teams/invitation.html"

    def _load(self, token):
        return (
            Invitation.objects.select_related("team__edition", "team__challenge", "invited_by")
            .filter(token=token)
            .first()
        )

    def get(self, request, token):
        invitation = self._load(token)
        try:
            services.check_invitation(invitation)
        except InvitationError as exc:
            request.session.pop(SESSION_KEY, None)
            return render(request, self.template_name, {"error": exc.message}, status=404)
        if request.user.is_authenticated:
            try:
                services.check_invited_address(invitation, request.user)
            except InvitationError as exc:
                return render(request, self.template_name, {"error": exc.message}, status=403)
        request.session[SESSION_KEY] = token
        return render(request, self.template_name, self._context(request, invitation))

    def _context(self, request, invitation):
        user, edition = request.user, invitation.team.edition
        here = request.get_full_path()
        registration = registration_of(user, edition)
        return {
            "invitation": invitation,
            "team": invitation.team,
            "edition": edition,
            "here": here,
            "registration": registration,
            "is_participant": registration is not None
            and registration.role == Registration.Role.PARTICIPANT,
            "membership": membership_of(user, edition),
            "register_url": reverse("teams:register", kwargs={"slug": edition.slug})
            + "?"
            + urlencode({"next": here}),
        }

    def post(self, request, token):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            membership = services.accept_invitation(token, user=request.user)
        except HackQCError as exc:
            messages.error(request, exc.message)
            return redirect("teams:invitation", token=token)
        request.session.pop(SESSION_KEY, None)
        messages.success(request, _("Welcome to %(team)s!") % {"team": membership.team.name})
        return redirect(membership.team)
