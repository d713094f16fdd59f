"""Organizer pages: prizes, award conditions, computing, review, override, publication."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView

from hackqc.form_errors import show_refusal
from hackqc.permissions import OrganizerRequiredMixin, get_edition_for_organizer
from judging.jobs import Kind
from judging.models import OrganizerJob
from judging.results import conditions, queries, services
from judging.results.forms import (
    AwardPolicyForm,
    OverrideForm,
    PrizeForm,
    PublishForm,
    SwapForm,
    WithdrawForm,
)
from judging.results.models import Award, Prize, ResultSnapshot
from judging.results.permissions import (
    get_award_for_organizer,
    get_prize_for_organizer,
    get_snapshot_for_organizer,
)
from judging.results.services import ResultsError
from judging.views.organize.jobs import start_job_and_follow


def _manage_url(edition):
    return reverse("results:manage", kwargs={"slug": edition.slug})


def _snapshot_url(snapshot):
    return reverse("results:snapshot", kwargs={"slug": snapshot.edition.slug, "pk": snapshot.pk})


class ManageView(OrganizerRequiredMixin, TemplateView):
    template_name = "results/organize/manage.html"

    def get_context_data(self, **kwargs):
        edition = self.edition
        snapshots = list(
            ResultSnapshot.objects.filter(edition=edition).select_related(
                "computed_by", "main_round"
            )
        )
        context = super().get_context_data(**kwargs)
        context.update(
            prizes=Prize.objects.filter(edition=edition).select_related(
                "challenge", "host_site", "round"
            ),
            policy=services.award_policy(edition),
            snapshots=snapshots,
            stale_ids=services.stale_snapshot_ids(snapshots),
        )
        return context


class PrizeFormView(OrganizerRequiredMixin, FormView):
    template_name = "results/organize/prize_form.html"
    form_class = PrizeForm

    def get_instance(self):
        if "pk" in self.kwargs:
            return get_prize_for_organizer(self.request.user, self.edition.slug, self.kwargs["pk"])
        return Prize(edition=self.edition)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(instance=self.get_instance(), edition=self.edition)
        return kwargs

    def form_valid(self, form):
        try:
            services.save_prize(form.instance, by=self.request.user)
        except ResultsError as error:
            show_refusal(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The prize is saved."))
        return redirect(_manage_url(self.edition))


@login_required
@require_POST
def delete_prize(request, slug, pk):
    prize = get_prize_for_organizer(request.user, slug, pk)
    try:
        services.delete_prize(prize, by=request.user)
    except ResultsError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The prize is deleted."))
    return redirect(_manage_url(prize.edition))


class AwardPolicyView(OrganizerRequiredMixin, FormView):
    template_name = "results/organize/policy_form.html"
    form_class = AwardPolicyForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = services.award_policy(self.edition)
        kwargs["edition"] = self.edition
        return kwargs

    def form_valid(self, form):
        try:
            services.update_award_policy(self.edition, by=self.request.user, **form.cleaned_data)
        except ResultsError as error:
            show_refusal(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The award conditions are saved."))
        return redirect(_manage_url(self.edition))


@login_required
@require_POST
def compute(request, slug):
    """Starts computing the results on a worker and shows its progress (judging.jobs)."""
    edition = get_edition_for_organizer(request.user, slug)
    return start_job_and_follow(
        request, Kind.COMPUTE_RESULTS, edition=edition, fallback=_manage_url(edition)
    )


class SnapshotView(OrganizerRequiredMixin, TemplateView):
    template_name = "results/organize/snapshot.html"

    def get_context_data(self, **kwargs):
        snapshot = get_snapshot_for_organizer(
            self.request.user, self.edition.slug, self.kwargs["pk"]
        )
        awards = list(
            Award.objects.filter(snapshot=snapshot)
            .select_related("prize", "submission__team", "proposed_submission", "overridden_by")
            .order_by("prize__priority", "prize_id", "place", "rank", "pk")
        )
        for award in awards:
            award.missing_labels = conditions.describe(award.missing)
        context = super().get_context_data(**kwargs)
        context.update(
            snapshot=snapshot,
            awards=awards,
            stale=services.is_stale(snapshot),
            rankings=queries.round_rankings(snapshot),
            publish_form=PublishForm(),
            withdraw_form=WithdrawForm(),
            States=ResultSnapshot.State,
        )
        return context


class OverrideView(OrganizerRequiredMixin, FormView):
    template_name = "results/organize/override_form.html"
    form_class = OverrideForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.award = get_award_for_organizer(request.user, kwargs["slug"], kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["award"] = self.award
        kwargs["initial"] = {"submission": self.award.submission_id}
        return kwargs

    def get_context_data(self, **kwargs):
        kwargs.setdefault("swap_form", SwapForm(award=self.award))
        return super().get_context_data(award=self.award, **kwargs)

    def form_valid(self, form):
        try:
            services.override_award(self.award, by=self.request.user, **form.cleaned_data)
        except ResultsError as error:
            show_refusal(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The award is overridden; the reason is kept."))
        return redirect(_snapshot_url(self.award.snapshot))


class SwapView(OverrideView):
    """POST only: exchange this place's winner with another place of the prize."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = SwapForm(request.POST, award=self.award)
        if form.is_valid():
            try:
                services.swap_places(self.award, form.cleaned_data["other"], by=request.user,
                                     reason=form.cleaned_data["reason"])  # fmt: skip
            except ResultsError as error:
                show_refusal(form, error)
            else:
                messages.success(request, _("The two places are swapped; the reason is kept."))
                return redirect(_snapshot_url(self.award.snapshot))
        return self.render_to_response(
            self.get_context_data(
                form=OverrideForm(
                    award=self.award, initial={"submission": self.award.submission_id}
                ),
                swap_form=form,
            )
        )


def _snapshot_action(request, slug, pk, action, success):
    snapshot = get_snapshot_for_organizer(request.user, slug, pk)
    try:
        action(snapshot)
    except ResultsError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect(_snapshot_url(snapshot))


@login_required
@require_POST
def approve(request, slug, pk):
    return _snapshot_action(
        request,
        slug,
        pk,
        lambda s: services.approve_results(s, by=request.user),
        _("The results are approved. They are not public until you publish them."),
    )


@login_required
@require_POST
def publish(request, slug, pk):
    form = PublishForm(request.POST)
    if not form.is_valid():
        get_snapshot_for_organizer(request.user, slug, pk)
        messages.error(request, _("Enter a valid date and time."))
        return redirect("results:snapshot", slug=slug, pk=pk)
    published = []
    response = _snapshot_action(
        request,
        slug,
        pk,
        lambda s: published.append(
            services.publish_results(s, by=request.user, at=form.cleaned_data["at"])
        ),
        _("The results are published (or scheduled)."),
    )
    # Published now: follow the mails going out on their job's page.
    job = (
        OrganizerJob.objects.filter(
            kind=Kind.ANNOUNCE_RESULTS, snapshot_id=pk, created_at__gte=published[0].published_at
        )
        .order_by("-pk")
        .first()
        if published
        else None
    )
    return redirect(job) if job is not None else response


@login_required
@require_POST
def withdraw(request, slug, pk):
    form = WithdrawForm(request.POST)

    def withdraw_checked(snapshot):
        # The service words the missing reason; the form refuses NUL bytes and excess length.
        if not form.is_valid() and form.data.get("reason", "").strip():
            raise services.ResultsError(form.errors["reason"][0], field="reason")
        services.withdraw_results(
            snapshot, by=request.user, reason=form.cleaned_data.get("reason", "")
        )

    return _snapshot_action(
        request,
        slug,
        pk,
        withdraw_checked,
        _("The results are withdrawn; the page says when and why."),
    )
