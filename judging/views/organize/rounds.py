"""Rounds and their rubric: create, edit, close, reopen, remind, select finalists."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from hackqc.exceptions import HackQCError
from hackqc.form_errors import show_refusal
from hackqc.pagecache import Page
from hackqc.permissions import OrganizerRequiredMixin

from ... import services
from ...assignment_solver import judge_project_groups
from ...forms import (
    CopyRubricForm,
    CriterionForm,
    FinalistsForm,
    PinForm,
    ReopenRoundForm,
    RoundForm,
)
from ...models import Assignment, Criterion, Review
from ...permissions import (
    OrganizerRoundMixin,
    get_round_for_organizer,
    rounds_organized_by,
)
from ...queries import (
    is_near_end,
    judge_progress,
    round_assignments_by_submission,
    submission_progress,
)
from ..common import back_to_round, round_action


class RoundFormView(OrganizerRequiredMixin, TemplateView):
    """Create a round, or edit one (`number` in the URL)."""

    template_name = "judging/organize/round_form.html"

    def get_round(self):
        if "number" not in self.kwargs:
            return None
        return get_round_for_organizer(
            self.request.user, self.kwargs["slug"], self.kwargs["number"]
        )

    def get_context_data(self, **kwargs):
        round = self.get_round()
        kwargs.setdefault("form", RoundForm(instance=round, edition=self.edition))
        return super().get_context_data(round=round, **kwargs)

    def post(self, request, *args, **kwargs):
        round = self.get_round()
        form = RoundForm(request.POST, instance=round, edition=self.edition)
        if form.is_valid():
            try:
                if round is None:
                    round = services.create_round(
                        self.edition, by=request.user, **form.cleaned_data
                    )
                else:
                    round = services.update_round(round, by=request.user, **form.cleaned_data)
            except HackQCError as exc:
                show_refusal(form, exc)
            else:
                messages.success(request, _("Round saved."))
                return redirect(
                    "judging:organize_round", slug=self.edition.slug, number=round.number
                )
        return self.render_to_response(self.get_context_data(form=form))


PROJECTS_PER_PAGE = 50
# What the progress counts show: assignments and reviews, projects, teams, judges' names.
PROGRESS_AREAS = ("hackqc", "teams", "submissions", "judging")


@dataclass(frozen=True)
class _Challenge:
    number: int


@dataclass(frozen=True)
class _Project:
    """What the progress table shows of a project: cheap to cache (a model instance costs
    0.1 ms to unpickle, 50 ms for 500 projects)."""

    pk: int
    title: str
    label: str
    challenge: _Challenge | None

    def __str__(self):
        return self.label


def _progress(round) -> dict:
    pin_form = PinForm(round=round)
    pairs = list(Assignment.objects.filter(round=round).values_list("judge_id", "submission_id"))
    rows = submission_progress(round)
    for row in rows:
        sub = row["submission"]
        challenge = _Challenge(sub.challenge.number) if sub.challenge_id else None
        row["submission"] = _Project(sub.pk, sub.title, str(sub), challenge)
    return {
        "rows": rows,
        "judge_rows": judge_progress(round),
        "pin_judges": [(j.pk, str(j.user)) for j in pin_form.fields["judge"].queryset],
        "pin_submissions": list(pin_form.fields["submission"].queryset.values_list("pk", "title")),
        # Whether the assignments link every project to every other (one group), which
        # the judge-bias model needs to compare them all.
        "assignment_groups": judge_project_groups(pairs) if pairs else None,
    }


class RoundDetailView(OrganizerRoundMixin, TemplateView):
    """Rubric, assignment, progress per judge and per project, reminders, closing, finalists."""

    template_name = "judging/organize/round.html"

    def get_context_data(self, **kwargs):
        round = self.round
        only_missing = self.request.GET.get("missing") == "1"
        number = self.request.GET.get("page", "")
        is_open = services.is_round_open(round)
        # The whole page rendered once per change of the round's assignments, reviews,
        # projects or jury, per page of projects and per organizer (the rubrics they may
        # copy); each request's CSRF token is put in the cached forms (hackqc.pagecache).
        whole = Page(
            "round-page",
            round.pk,
            self.request.user.pk,
            is_near_end(round),
            is_open,
            only_missing,
            number if number.isdigit() else "",
            areas=PROGRESS_AREAS,
        )
        if whole.lookup():
            return super().get_context_data(page=whole, **kwargs)
        # The counts per project and per judge and the pin lists, shared by every page.
        page = Page(
            "progress",
            round.pk,
            is_near_end(round),
            areas=PROGRESS_AREAS,
            edition=round.edition_id,
        )
        progress = page.get_or_build(lambda: _progress(round))
        # Per project, a page at a time (1,500 assignments are not 1,500 forms on one page);
        # `missing=1` keeps the projects that still lack judges.
        rows = progress["rows"]
        missing_total = sum(1 for row in rows if row["missing"])
        if only_missing:
            rows = [row for row in rows if row["missing"]]
        projects_page = Paginator(rows, PROJECTS_PER_PAGE).get_page(self.request.GET.get("page"))
        submission_rows = list(projects_page)
        assignments = round_assignments_by_submission(
            round, [row["submission"].pk for row in submission_rows]
        )
        # Each URL reversed once and filled per row: 1,500 reverse() calls cost more than
        # the rest of the page.
        slug, number = self.edition.slug, round.number
        audit = reverse("judging:review_audit", args=[slug, number, 999999901])
        remove = reverse("judging:assignment_remove", args=[slug, number, 999999901, 999999902])
        for row in submission_rows:
            row["assignments"] = assignments.get(row["submission"].pk, [])
            for a in row["assignments"]:
                a.audit_url = audit.replace("999999901", str(a.review_id or 0))
                a.remove_url = remove.replace("999999901", str(a.judge_id)).replace(
                    "999999902", str(a.submission_id)
                )
        return super().get_context_data(
            assignment_groups=progress["assignment_groups"],
            pin_judges=progress["pin_judges"],
            pin_submissions=progress["pin_submissions"],
            criteria=round.criteria.order_by("order", "pk"),
            judge_rows=progress["judge_rows"],
            submission_rows=submission_rows,
            projects_page=projects_page,
            only_missing=only_missing,
            missing_total=missing_total,
            is_open=is_open,
            page=whole,
            finalists_form=FinalistsForm(round=round),
            copy_rubric_form=CopyRubricForm(rounds=_other_rounds(self.request.user, round)),
            finalists=round.finalists.select_related("submission"),
            reminders=round.reminders.select_related("requested_by")[:5],
            reopenings=round.reopenings.select_related("reopened_by")[:5],
            reopen_form=ReopenRoundForm(),
            **kwargs,
        )


class CriterionFormView(OrganizerRoundMixin, TemplateView):
    template_name = "judging/organize/criterion_form.html"

    def get_criterion(self):
        if "pk" not in self.kwargs:
            return Criterion(round=self.round)
        return get_object_or_404(Criterion, round=self.round, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", CriterionForm(instance=self.get_criterion()))
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form = CriterionForm(request.POST, instance=self.get_criterion())
        if form.is_valid():
            try:
                services.save_criterion(form.instance, by=request.user)
            except HackQCError as exc:
                show_refusal(form, exc)
            else:
                messages.success(request, _("Criterion saved."))
                return redirect(
                    "judging:organize_round", slug=self.edition.slug, number=self.round.number
                )
        return self.render_to_response(self.get_context_data(form=form))


@require_POST
def delete_criterion(request, slug, number, pk):
    round = round_action(request, slug, number)
    criterion = get_object_or_404(Criterion, round=round, pk=pk)
    try:
        services.delete_criterion(criterion, by=request.user)
    except HackQCError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Criterion removed."))
    return back_to_round(round)


@require_POST
def copy_rubric(request, slug, number):
    round = round_action(request, slug, number)
    form = CopyRubricForm(request.POST, rounds=_other_rounds(request.user, round))
    if not form.is_valid():
        messages.error(request, _("Choose a round whose rubric to copy."))
        return back_to_round(round)
    try:
        copied = services.copy_rubric(round, source=form.cleaned_data["source"], by=request.user)
    except HackQCError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            ngettext("%(count)d criterion copied.", "%(count)d criteria copied.", len(copied))
            % {"count": len(copied)},
        )
    return back_to_round(round)


def _other_rounds(user, round):
    return rounds_organized_by(user).exclude(pk=round.pk)


@require_POST
def remind_judges(request, slug, number):
    round = round_action(request, slug, number)
    services.request_reminders(round, by=request.user)
    messages.success(request, _("Reminders are being sent to judges with pending reviews."))
    return back_to_round(round)


def close_round(request, slug, number):
    """GET: what closing changes and a confirmation; POST with `confirm`: close."""
    round = round_action(request, slug, number)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        services.close_round(round, by=request.user)
        messages.success(request, _("Round closed: reviews are frozen."))
        return back_to_round(round)
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    drafts = Review.objects.filter(round=round, state=Review.State.DRAFT).count()
    return render(
        request,
        "judging/organize/round_close.html",
        {"edition": round.edition, "round": round, "drafts": drafts},
    )


@require_POST
def reopen_round(request, slug, number):
    round = round_action(request, slug, number)
    form = ReopenRoundForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("State the reason for reopening the round."))
        return back_to_round(round)
    try:
        services.reopen_round(round, by=request.user, **form.cleaned_data)
    except HackQCError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Round reopened: judges can change their reviews again."))
    return back_to_round(round)


@require_POST
def select_finalists(request, slug, number):
    round = round_action(request, slug, number)
    form = FinalistsForm(request.POST, round=round)
    if not form.is_valid():
        messages.error(request, _("Choose the next round and the numbers of finalists."))
        return back_to_round(round)
    try:
        chosen = services.select_finalists(
            round,
            form.cleaned_data["target"],
            by=request.user,
            top_n=form.cleaned_data["top_n"],
            wildcards=form.cleaned_data["wildcards"],
        )
    except HackQCError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            ngettext("%(n)s finalist selected.", "%(n)s finalists selected.", len(chosen))
            % {"n": len(chosen)},
        )
    return back_to_round(round)
