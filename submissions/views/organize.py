"""Organizers: the eligibility report of every team, reopening and disqualifying."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from hackqc.exceptions import HackQCError
from hackqc.form_errors import show_refusal
from hackqc.permissions import OrganizerRequiredMixin
from teams.models import Team

from .. import queries, services
from ..eligibility import check_eligibility
from ..forms import DisqualifyForm, ReopenForm
from ..models import Submission


class EligibilityReportView(OrganizerRequiredMixin, TemplateView):
    """Every team, its sheet's state and what it misses: a constant number of queries."""

    template_name = "submissions/organize/eligibility.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        has_challenges = self.edition.challenges.exists()
        rows = []
        for team in queries.eligibility_rows(self.edition):
            submission = getattr(team, "submission", None)
            if submission is None:
                # Not created yet: an empty draft, checked without writing anything here.
                submission = Submission(team=team, edition=self.edition)
            submission.edition = self.edition
            submission.edition_challenge_count = int(has_challenges)
            rows.append(
                {
                    "team": team,
                    "submission": submission,
                    "version_count": team.version_count,
                    "member_count": team.member_count,
                    "dataset_count": team.dataset_count,
                    "eligibility": check_eligibility(
                        submission,
                        dataset_count=team.dataset_count,
                        member_count=team.member_count,
                        technology_count=team.technology_count,
                    ),
                }
            )
        context["rows"] = rows
        context["totals"] = {
            "teams": len(rows),
            "submitted": sum(r["submission"].state == "submitted" for r in rows),
            "eligible": sum(r["eligibility"].is_eligible for r in rows),
        }
        return context


class _DecisionView(OrganizerRequiredMixin, FormView):
    template_name = "submissions/organize/decision.html"

    def get_submission(self):
        team = get_object_or_404(Team, pk=self.kwargs["team_id"], edition=self.edition)
        # Every team has its sheet since create_team; a missing one is a 404, not a write.
        submission = get_object_or_404(Submission, team=team)
        submission.team = team
        submission.edition = self.edition
        return submission

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(submission=self.get_submission(), action=self.action_label)
        return context

    def get_success_url(self):
        return reverse("submissions:eligibility", args=[self.edition.slug])

    def form_valid(self, form):
        try:
            self.decide(self.get_submission(), form.cleaned_data)
        except HackQCError as exc:
            show_refusal(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(self.get_success_url())


class ReopenView(_DecisionView):
    form_class = ReopenForm

    @property
    def action_label(self):
        return _("Reopen the submission")

    @property
    def success_message(self):
        return _("The submission is reopened; the reason is recorded.")

    def decide(self, submission, data):
        services.reopen_submission(
            submission, by=self.request.user, reason=data["reason"], until=data["until"]
        )


class DisqualifyView(_DecisionView):
    form_class = DisqualifyForm

    @property
    def action_label(self):
        return _("Disqualify the project")

    @property
    def success_message(self):
        return _("The project is disqualified; the reason is recorded.")

    def decide(self, submission, data):
        services.disqualify_submission(submission, by=self.request.user, reason=data["reason"])
