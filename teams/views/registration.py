"""Registering for an edition, editing the profile, withdrawing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import FormView

from hackqc.exceptions import HackQCError
from hackqc.form_errors import show_refusal
from hackqc.pages import edition_page_links
from hackqc.phases import are_teams_open, can_withdraw_registration, is_registration_open

from .. import services
from ..forms import ConsentForm, RegistrationForm
from ..permissions import membership_of, registration_of
from ..services._common import current_rules_version
from ._helpers import get_edition, safe_next


class RegistrationView(LoginRequiredMixin, FormView):
    """Registers the signed-in user, or edits their profile once registered."""

    template_name = "teams/registration_form.html"
    form_class = RegistrationForm

    def dispatch(self, request, *args, **kwargs):
        self.edition = get_edition(request.user, kwargs["slug"])
        self.registration = registration_of(request.user, self.edition)
        return super().dispatch(request, *args, **kwargs)

    def _consent_only(self):
        return self.registration is not None and not are_teams_open(self.edition)

    def get_form_class(self):
        return ConsentForm if self._consent_only() else RegistrationForm

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "instance": self.registration}
        if not self._consent_only():
            kwargs["rules_version"] = current_rules_version(self.edition)
            kwargs["rules_links"] = edition_page_links(self.edition)
            kwargs["edition"] = self.edition
            membership = membership_of(self.request.user, self.edition)
            kwargs["team_site"] = membership.team.host_site if membership else None
        return kwargs

    def get_context_data(self, **kwargs):
        edition = self.edition
        open_now = is_registration_open(edition) if self.registration is None else None
        return super().get_context_data(
            edition=edition,
            registration=self.registration,
            registration_open=open_now,
            profile_editable=self.registration is not None and are_teams_open(edition),
            can_withdraw=self.registration is not None and can_withdraw_registration(edition),
            membership=membership_of(self.request.user, edition),
            next=safe_next(self.request, ""),
            **kwargs,
        )

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        try:
            if self._consent_only():
                services.update_consent(self.registration, by=self.request.user, **data)
                messages.success(self.request, _("Your choice was saved."))
            elif self.registration is None:
                services.register(
                    self.edition, user=self.request.user, by=self.request.user, **data
                )
                messages.success(self.request, _("You are registered. Welcome!"))
            else:
                services.update_registration(self.registration, by=self.request.user, **data)
                messages.success(self.request, _("Your profile was saved."))
        except HackQCError as exc:
            show_refusal(form, exc)
            return self.form_invalid(form)
        default = reverse("teams:board", kwargs={"slug": self.edition.slug})
        return redirect(safe_next(self.request, default))


@login_required
@require_POST
def withdraw(request, slug):
    edition = get_edition(request.user, slug)
    registration = registration_of(request.user, edition)
    if registration is None:
        messages.error(request, _("You are not registered for this edition."))
        return redirect(edition.get_absolute_url())
    try:
        services.withdraw_registration(registration, by=request.user)
    except HackQCError as exc:
        messages.error(request, exc.message)
        return redirect("teams:register", slug=edition.slug)
    messages.success(request, _("Your registration was withdrawn."))
    return redirect(edition.get_absolute_url())
