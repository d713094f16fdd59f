"""The jury's dashboard (judges and their invitations) and conflicts of interest."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from hackqc.exceptions import HackQCError
from hackqc.form_errors import show_refusal
from hackqc.permissions import OrganizerRequiredMixin, get_edition_for_organizer
from teams.models import Team

from ... import services
from ...forms import (
    ConflictForm,
    InviteJudgeForm,
    ReasonForm,
)
from ...models import Conflict, Judge, JudgeInvitation
from ...permissions import (
    get_conflict_for_organizer,
    get_invitation_for_organizer,
    get_judge_for_organizer,
)
from ...queries import (
    conflict_map,
    waivable_conflicts,
)


class JuryDashboardView(OrganizerRequiredMixin, TemplateView):
    """Judges, invitations and rounds of an edition."""

    template_name = "judging/organize/dashboard.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("invite_form", InviteJudgeForm())
        return super().get_context_data(
            judges=Judge.objects.filter(edition=self.edition)
            .select_related("user")
            .prefetch_related("preferred_challenges")
            .order_by("user__display_name"),
            invitations=JudgeInvitation.objects.filter(
                edition=self.edition, accepted_at=None, revoked_at=None
            ),
            rounds=self.edition.rounds.order_by("number"),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = InviteJudgeForm(request.POST)
        if form.is_valid():
            try:
                services.invite_judge(self.edition, by=request.user, **form.cleaned_data)
            except HackQCError as exc:
                show_refusal(form, exc)
            else:
                messages.success(
                    request,
                    _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]},
                )
                return redirect("judging:organize", slug=self.edition.slug)
        return self.render_to_response(self.get_context_data(invite_form=form))


@require_POST
def revoke_invitation(request, slug, pk):
    edition = get_edition_for_organizer(request.user, slug)
    services.revoke_invitation(get_invitation_for_organizer(edition, pk), by=request.user)
    messages.success(request, _("Invitation withdrawn."))
    return redirect("judging:organize", slug=slug)


class ConflictsView(OrganizerRequiredMixin, TemplateView):
    """Declared, added and automatic conflicts; add, lift or waive them with a reason."""

    template_name = "judging/organize/conflicts.html"

    def get_context_data(self, **kwargs):
        judges = Judge.objects.filter(edition=self.edition).select_related("user")
        kwargs.setdefault("form", ConflictForm(edition=self.edition, judges=judges))
        judge_by_id = {j.pk: j for j in judges}
        team_by_id = {t.pk: t for t in Team.objects.filter(edition=self.edition)}
        effective = conflict_map(self.edition)
        automatic = [
            {
                "judge": judge_by_id[j],
                "team": team_by_id[t],
                "kinds": kinds,
                "active": (j, t) in effective,
            }
            for (j, t), kinds in sorted(waivable_conflicts(self.edition).items())
            if j in judge_by_id and t in team_by_id
        ]
        return super().get_context_data(
            automatic=automatic,
            recorded=Conflict.objects.filter(judge__edition=self.edition)
            .select_related("judge__user", "team", "created_by", "lifted_by")
            .order_by("-created_at"),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        judges = Judge.objects.filter(edition=self.edition).select_related("user")
        form = ConflictForm(request.POST, edition=self.edition, judges=judges)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.add_conflict(
                    data["judge"],
                    by=request.user,
                    team=data["team"],
                    organisation=data["organisation"],
                    reason=data["reason"],
                )
            except HackQCError as exc:
                show_refusal(form, exc)
            else:
                messages.success(request, _("Conflict of interest recorded."))
                return redirect("judging:conflicts", slug=self.edition.slug)
        return self.render_to_response(self.get_context_data(form=form))


def _reason_or_back(request, slug):
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give a reason."))
        return None
    return form.cleaned_data["reason"]


@require_POST
def lift_conflict(request, slug, pk):
    edition = get_edition_for_organizer(request.user, slug)
    conflict = get_conflict_for_organizer(edition, pk)
    reason = _reason_or_back(request, slug)
    if reason:
        services.lift_conflict(conflict, by=request.user, reason=reason)
        messages.success(request, _("Conflict lifted."))
    return redirect("judging:conflicts", slug=slug)


@require_POST
def waive_conflict(request, slug, judge_id, team_id):
    edition = get_edition_for_organizer(request.user, slug)
    judge = get_judge_for_organizer(edition, judge_id)
    team = get_object_or_404(Team, edition=edition, pk=team_id)
    reason = _reason_or_back(request, slug)
    if reason:
        services.waive_automatic_conflict(judge, team, by=request.user, reason=reason)
        messages.success(request, _("Automatic conflict lifted."))
    return redirect("judging:conflicts", slug=slug)
