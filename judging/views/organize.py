"""Organizers' jury pages: judges and conflicts, rounds and rubric, assignment, progress,
rankings, finalists and exports."""

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from hackqc.exceptions import HackQCError
from hackqc.permissions import OrganizerRequiredMixin, get_edition_for_organizer
from submissions.models import Submission
from teams.models import Team

from .. import services
from ..errors import AssignmentError, MixedScalesError
from ..export import export_round
from ..forms import (
    ConflictForm,
    CopyRubricForm,
    CriterionForm,
    FinalistsForm,
    InviteJudgeForm,
    OptionalReasonForm,
    PinForm,
    ReasonForm,
    ReopenRoundForm,
    RoundForm,
)
from ..models import Conflict, Criterion, Judge, JudgeInvitation, Review, ReviewChange
from ..permissions import (
    OrganizerRoundMixin,
    get_conflict_for_organizer,
    get_invitation_for_organizer,
    get_judge_for_organizer,
    get_round_for_organizer,
    rounds_organized_by,
)
from ..queries import (
    conflict_map,
    judge_progress,
    round_assignments_by_submission,
    submission_progress,
    waivable_conflicts,
)
from ..ranking_display import ranking_tables
from ..round_rankings import round_rankings
from .common import add_error


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
                add_error(form, exc)
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
                add_error(form, exc)
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
                add_error(form, exc)
            else:
                messages.success(request, _("Round saved."))
                return redirect(
                    "judging:organize_round", slug=self.edition.slug, number=round.number
                )
        return self.render_to_response(self.get_context_data(form=form))


class RoundDetailView(OrganizerRoundMixin, TemplateView):
    """Rubric, assignment, progress per judge and per project, reminders, closing, finalists."""

    template_name = "judging/organize/round.html"

    def get_context_data(self, **kwargs):
        round = self.round
        assignments = round_assignments_by_submission(round)
        submission_rows = submission_progress(round)
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
        pin_form = PinForm(round=round)
        return super().get_context_data(
            pin_judges=[(j.pk, str(j.user)) for j in pin_form.fields["judge"].queryset],
            pin_submissions=list(pin_form.fields["submission"].queryset.values_list("pk", "title")),
            criteria=round.criteria.order_by("order", "pk"),
            judge_rows=judge_progress(round),
            submission_rows=submission_rows,
            is_open=services.is_round_open(round),
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
                add_error(form, exc)
            else:
                messages.success(request, _("Criterion saved."))
                return redirect(
                    "judging:organize_round", slug=self.edition.slug, number=self.round.number
                )
        return self.render_to_response(self.get_context_data(form=form))


def _round_action(request, slug, number):
    return get_round_for_organizer(request.user, slug, number)


def _back(round):
    return redirect("judging:organize_round", slug=round.edition.slug, number=round.number)


@require_POST
def delete_criterion(request, slug, number, pk):
    round = _round_action(request, slug, number)
    criterion = get_object_or_404(Criterion, round=round, pk=pk)
    try:
        services.delete_criterion(criterion, by=request.user)
    except HackQCError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Criterion removed."))
    return _back(round)


@require_POST
def copy_rubric(request, slug, number):
    round = _round_action(request, slug, number)
    form = CopyRubricForm(request.POST, rounds=_other_rounds(request.user, round))
    if not form.is_valid():
        messages.error(request, _("Choose a round whose rubric to copy."))
        return _back(round)
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
    return _back(round)


def _other_rounds(user, round):
    return rounds_organized_by(user).exclude(pk=round.pk)


@require_POST
def run_assignment(request, slug, number):
    round = _round_action(request, slug, number)
    try:
        outcome = services.run_assignment(round, by=request.user)
    except AssignmentError as exc:
        messages.error(request, exc.message)
        for sf in exc.shortfalls:
            messages.error(
                request, _("%(project)s: %(reason)s") % {"project": sf.title, "reason": sf.reason}
            )
    except HackQCError as exc:
        messages.error(request, exc.message)
    else:
        r = outcome.result
        messages.success(
            request,
            _(
                "Assignment done: largest load %(load)s (lower bound %(bound)s), "
                "%(prefs)s preferred-challenge matches; %(created)s added, %(removed)s removed, "
                "%(kept)s kept."
            )
            % {
                "load": r.max_load,
                "bound": r.lower_bound,
                "prefs": r.preferred_matches,
                "created": outcome.created,
                "removed": outcome.removed,
                "kept": outcome.kept,
            },
        )
    return _back(round)


@require_POST
def pin_assignment(request, slug, number):
    round = _round_action(request, slug, number)
    form = PinForm(request.POST, round=round)
    if not form.is_valid():
        messages.error(request, _("Choose a judge and a project."))
        return _back(round)
    try:
        services.pin_assignment(round, by=request.user, **form.cleaned_data)
    except HackQCError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Assignment pinned."))
    return _back(round)


@require_POST
def remove_assignment(request, slug, number, judge_id, submission_id):
    round = _round_action(request, slug, number)
    judge = get_judge_for_organizer(round.edition, judge_id)
    submission = get_object_or_404(Submission, edition=round.edition, pk=submission_id)
    form = OptionalReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.error_message())
        return _back(round)
    try:
        services.remove_assignment(
            round,
            judge=judge,
            submission=submission,
            by=request.user,
            reason=form.cleaned_data["reason"],
        )
    except HackQCError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Assignment removed; run the assignment again to replace it."))
    return _back(round)


@require_POST
def withdraw_judge(request, slug, number, judge_id):
    round = _round_action(request, slug, number)
    judge = get_judge_for_organizer(round.edition, judge_id)
    form = OptionalReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.error_message())
        return _back(round)
    try:
        removed = services.withdraw_judge(
            round, judge=judge, by=request.user, reason=form.cleaned_data["reason"]
        )
    except HackQCError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _(
                "%(judge)s withdrawn: %(n)s assignment(s) removed. "
                "Run the assignment to replace them."
            )
            % {"judge": judge, "n": removed},
        )
    return _back(round)


@require_POST
def remind_judges(request, slug, number):
    round = _round_action(request, slug, number)
    services.request_reminders(round, by=request.user)
    messages.success(request, _("Reminders are being sent to judges with pending reviews."))
    return _back(round)


def close_round(request, slug, number):
    """GET: what closing changes and a confirmation; POST with `confirm`: close."""
    round = _round_action(request, slug, number)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        services.close_round(round, by=request.user)
        messages.success(request, _("Round closed: reviews are frozen."))
        return _back(round)
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
    round = _round_action(request, slug, number)
    form = ReopenRoundForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("State the reason for reopening the round."))
        return _back(round)
    try:
        services.reopen_round(round, by=request.user, **form.cleaned_data)
    except HackQCError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Round reopened: judges can change their reviews again."))
    return _back(round)


@require_POST
def select_finalists(request, slug, number):
    round = _round_action(request, slug, number)
    form = FinalistsForm(request.POST, round=round)
    if not form.is_valid():
        messages.error(request, _("Choose the next round and the numbers of finalists."))
        return _back(round)
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
    return _back(round)


class RankingsView(OrganizerRoundMixin, TemplateView):
    """The three methods side by side, with warnings and judges' biases (organizers only)."""

    template_name = "judging/organize/rankings.html"

    def get_context_data(self, **kwargs):
        try:
            results = round_rankings(self.round)
        except MixedScalesError as error:
            return super().get_context_data(refused=error.message, **kwargs)
        return super().get_context_data(**ranking_tables(self.round, results), **kwargs)


def export_view(request, slug, number, fmt):
    round = get_round_for_organizer(request.user, slug, number)
    if fmt not in ("json", "csv"):
        raise Http404
    try:
        body = export_round(round, fmt)
    except MixedScalesError as error:
        messages.error(request, error.message)
        return _back(round)
    content_type = "application/json" if fmt == "json" else "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    filename = f"{round.edition.slug}-round-{round.number}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def review_audit(request, slug, number, pk):
    """One review with every change (who, when, old and new values), for organizers."""
    round = get_round_for_organizer(request.user, slug, number)
    review = get_object_or_404(
        Review.objects.select_related("judge__user", "submission"), round=round, pk=pk
    )
    changes = ReviewChange.objects.filter(review=review).select_related("changed_by")
    names = dict(round.criteria.values_list("pk", "name"))
    return render(
        request,
        "judging/organize/review_audit.html",
        {
            "edition": round.edition,
            "round": round,
            "review": review,
            "scores": review.scores.select_related("criterion").order_by("criterion__order"),
            "changes": [{"change": c, "rows": _diff(c.old, c.new, names)} for c in changes],
        },
    )


def _diff(old, new, names):
    rows = []
    for key in ("state", "feedback", "private_note", "recusal_reason"):
        if old.get(key) != new.get(key):
            rows.append((key, old.get(key), new.get(key)))
    old_scores, new_scores = old.get("scores", {}), new.get("scores", {})
    for cid in sorted(set(old_scores) | set(new_scores), key=int):
        if old_scores.get(cid) != new_scores.get(cid):
            label = names.get(int(cid), cid)
            rows.append((label, old_scores.get(cid), new_scores.get(cid)))
    return rows
