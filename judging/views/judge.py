"""The judge's pages: invitations, profile and conflicts, assigned projects and reviews.

A judge sees only their own assignments and reviews, never another judge's scores, notes or
any ranking.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from hackqc.exceptions import ConcurrentEditError, HackQCError
from hackqc.form_errors import show_refusal
from hackqc.models import Edition
from submissions.queries import (
    judged_version,
    member_names_for,
    show_judged_versions,
    withdrawn_dataset_ids,
)

from .. import services
from ..forms import ConflictForm, JudgeProfileForm, RecuseForm, ReviewForm, criterion_field_name
from ..models import Assignment, Conflict, Judge, Review, Round
from ..permissions import (
    JudgeRequiredMixin,
    get_assignment_for_judge,
    get_invitation,
    get_round_for_judge,
)
from ..queries import judge_assignments, reviews_to_recuse


class JuryHomeView(LoginRequiredMixin, TemplateView):
    """The rounds a person judges, with their progress; 404 for people with no jury role."""

    template_name = "judging/home.html"

    def get(self, request, *args, **kwargs):
        self.roles = list(
            Judge.objects.filter(user=request.user)
            .exclude(accepted_at=None)
            .select_related("edition")
            .order_by("-edition__year")
        )
        self.organized = list(Edition.objects.organized_by(request.user).order_by("-year"))
        if not self.roles and not self.organized:
            raise Http404
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        rounds = Round.objects.filter(edition__in=[r.edition_id for r in self.roles]).order_by(
            "edition", "number"
        )
        reviews = Review.objects.filter(
            round=OuterRef("round"), judge=OuterRef("judge"), submission=OuterRef("submission")
        ).values("state")[:1]
        counts = {
            row["round"]: row
            for row in Assignment.objects.filter(judge__in=self.roles)
            .annotate(state=Subquery(reviews))
            .values("round")
            .annotate(
                assigned=Count("pk"),
                done=Count("pk", filter=Q(state=Review.State.SUBMITTED)),
                recused=Count("pk", filter=Q(state=Review.State.RECUSED)),
            )
            .order_by()
        }
        sponsor_of = {r.edition_id: r.sponsor for r in self.roles}
        by_edition = {r.edition_id: [] for r in self.roles}
        for round in rounds:
            if round.sponsor == sponsor_of[round.edition_id]:
                row = counts.get(round.pk, {"assigned": 0, "done": 0, "recused": 0})
                by_edition[round.edition_id].append({**row, "round": round})
        return super().get_context_data(
            roles=[(role, by_edition[role.edition_id]) for role in self.roles],
            organized=self.organized,
            **kwargs,
        )


class InvitationView(LoginRequiredMixin, TemplateView):
    """Accept a jury invitation: organisation and preferred challenges."""

    template_name = "judging/invitation.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.invitation = get_invitation(kwargs["token"])
        return super().dispatch(request, *args, **kwargs)

    def get_form(self):
        data = self.request.POST if self.request.method == "POST" else None
        return JudgeProfileForm(data, edition=self.invitation.edition)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", self.get_form())
        return super().get_context_data(invitation=self.invitation, **kwargs)

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if form.is_valid():
            try:
                services.accept_invitation(
                    self.invitation,
                    user=request.user,
                    organisation=form.cleaned_data["organisation"],
                    preferred_challenges=form.cleaned_data["preferred_challenges"],
                )
            except HackQCError as exc:
                show_refusal(form, exc)
            else:
                messages.success(request, _("Welcome to the jury."))
                return redirect("judging:profile", slug=self.invitation.edition.slug)
        return self.render_to_response(self.get_context_data(form=form))


class ProfileView(JudgeRequiredMixin, TemplateView):
    """The judge's organisation, preferred challenges and declared conflicts."""

    template_name = "judging/profile.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault(
            "form",
            JudgeProfileForm(
                initial={
                    "organisation": self.judge.organisation,
                    "preferred_challenges": self.judge.preferred_challenges.all(),
                },
                edition=self.edition,
            ),
        )
        kwargs.setdefault(
            "conflict_form", ConflictForm(edition=self.edition, auto_id="conflict_%s")
        )
        conflicts = (
            Conflict.objects.filter(judge=self.judge)
            .exclude(kind=Conflict.Kind.WAIVER)
            .select_related("team")
        )
        recuse_offers = [
            (
                review,
                RecuseForm(initial={"version": review.version}, auto_id=f"recuse{review.pk}_%s"),
            )
            for review in reviews_to_recuse(self.judge)
        ]
        return super().get_context_data(
            judge=self.judge,
            edition=self.edition,
            conflicts=conflicts,
            recuse_offers=recuse_offers,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = JudgeProfileForm(request.POST, edition=self.edition)
        if form.is_valid():
            services.update_judge_profile(self.judge, by=request.user, **form.cleaned_data)
            messages.success(request, _("Profile saved."))
            return redirect("judging:profile", slug=self.edition.slug)
        return self.render_to_response(self.get_context_data(form=form))


class DeclareConflictView(ProfileView):
    def post(self, request, *args, **kwargs):
        form = ConflictForm(request.POST, edition=self.edition, auto_id="conflict_%s")
        if form.is_valid():
            try:
                services.declare_conflict(
                    self.judge,
                    by=request.user,
                    team=form.cleaned_data["team"],
                    organisation=form.cleaned_data["organisation"],
                    reason=form.cleaned_data["reason"],
                )
            except HackQCError as exc:
                show_refusal(form, exc)
            else:
                messages.success(request, _("Conflict of interest declared."))
                if reviews_to_recuse(self.judge).exists():
                    messages.warning(
                        request,
                        _("You already scored this team's project: step aside from it below."),
                    )
                return redirect("judging:profile", slug=self.edition.slug)
        return self.render_to_response(self.get_context_data(conflict_form=form))


class JudgeRoundView(LoginRequiredMixin, TemplateView):
    """The judge's assigned projects in a round, with their own progress (constant queries)."""

    template_name = "judging/round.html"

    def get_context_data(self, **kwargs):
        judge, round = get_round_for_judge(
            self.request.user, self.kwargs["slug"], self.kwargs["number"]
        )
        assignments = list(judge_assignments(judge, round))
        # Titles as judged: a later edit of the sheet must not show here either.
        show_judged_versions([a.submission for a in assignments])
        done = sum(a.review_state == Review.State.SUBMITTED for a in assignments)
        recused = sum(a.review_state == Review.State.RECUSED for a in assignments)
        return super().get_context_data(
            judge=judge,
            round=round,
            edition=round.edition,
            assignments=assignments,
            done=done,
            recused=recused,
            pending=len(assignments) - done - recused,
            is_open=services.is_round_open(round),
            **kwargs,
        )


def _review_form(review, criteria, data=None):
    values = {}
    if review is not None:
        values = dict(review.scores.values_list("criterion_id", "value"))
    initial = {
        "feedback": review.feedback if review else "",
        "private_note": review.private_note if review else "",
        "version": review.version if review else 0,
        **{criterion_field_name(c): values.get(c.pk) for c in criteria},
    }
    return ReviewForm(data, initial=initial, criteria=criteria)


def _review_context(request, judge, round, assignment, review, form, recuse_form=None):
    submission = assignment.submission
    version = (review.judged_version if review and review.judged_version_id else None) or (
        judged_version(submission)
    )
    return {
        "judge": judge,
        "round": round,
        "edition": round.edition,
        "submission": submission,
        "version": version,
        "withdrawn_ids": withdrawn_dataset_ids(version.data if version else None),
        # Judges see only the members who consent to be shown, as of now (Law 25).
        "members": member_names_for(submission.team, request.user),
        "review": review,
        "form": form,
        "recuse_form": recuse_form
        or RecuseForm(initial={"version": review.version if review else 0}),
        "is_open": services.is_round_open(round),
    }


def _confirmation_needed(action, review, form, submit):
    """What to ask before saving, or None: submitting with criteria left empty, or saving
    a draft of a submitted review (which withdraws it from the results). Asked once: the
    confirming buttons post `submit-confirmed` or `draft-confirmed`."""
    if action.endswith("-confirmed"):
        return None
    if submit and form.empty_criteria():
        empty = form.empty_criteria()
        return {"kind": "empty", "criteria": empty, "names": ", ".join(c.name for c in empty)}
    if not submit and review is not None and review.state == Review.State.SUBMITTED:
        return {"kind": "withdraw"}
    return None


def review_view(request, slug, number, submission_id):
    """Read the judged version of a project and score it: save a draft or submit."""
    if not request.user.is_authenticated:
        return redirect_to_login(request)
    judge, round = get_round_for_judge(request.user, slug, number)
    assignment = get_assignment_for_judge(judge, round, submission_id)
    review = Review.objects.filter(round=round, judge=judge, submission_id=submission_id).first()
    criteria = list(round.criteria.order_by("order", "pk"))
    if request.method != "POST":
        form = _review_form(review, criteria)
        return render(
            request,
            "judging/review.html",
            _review_context(request, judge, round, assignment, review, form),
        )
    form = _review_form(review, criteria, data=request.POST)
    if form.is_valid():
        action = request.POST.get("action", "")
        submit = action in ("submit", "submit-confirmed")
        confirm = services.is_round_open(round) and _confirmation_needed(
            action, review, form, submit
        )
        if confirm:
            context = _review_context(request, judge, round, assignment, review, form)
            context["confirm"] = confirm
            return render(request, "judging/review.html", context)
        try:
            services.save_review(
                round,
                judge=judge,
                submission=assignment.submission,
                by=request.user,
                values=form.values(),
                feedback=form.cleaned_data["feedback"],
                private_note=form.cleaned_data["private_note"],
                version=form.cleaned_data["version"],
                submit=submit,
            )
        except ConcurrentEditError as exc:
            show_refusal(form, exc)
            review = Review.objects.filter(
                round=round, judge=judge, submission_id=submission_id
            ).first()
            # Saving again now deliberately replaces the newer save, which the page shows.
            form.data = form.data.copy()
            form.data["version"] = review.version if review else 0
            saved = dict(review.scores.values_list("criterion_id", "value")) if review else {}
            context = _review_context(request, judge, round, assignment, review, form)
            context["saved_values"] = [(c, saved.get(c.pk)) for c in criteria]
            return render(request, "judging/review.html", context, status=409)
        except HackQCError as exc:
            show_refusal(form, exc)
        else:
            if submit:
                text = _("Review submitted.")
            elif review is not None and review.state == Review.State.SUBMITTED:
                text = _("Draft saved: this review no longer counts until you submit it again.")
            else:
                text = _("Draft saved.")
            messages.success(request, text)
            if submit:
                return redirect("judging:round", slug=slug, number=number)
            # A draft is work in progress: stay on the project.
            return redirect("judging:review", slug=slug, number=number, submission_id=submission_id)
    return render(
        request,
        "judging/review.html",
        _review_context(request, judge, round, assignment, review, form),
        status=200,
    )


@require_POST
def recuse_view(request, slug, number, submission_id):
    """Step aside from a project, with a reason."""
    if not request.user.is_authenticated:
        return redirect_to_login(request)
    judge, round = get_round_for_judge(request.user, slug, number)
    assignment = get_assignment_for_judge(judge, round, submission_id)
    form = RecuseForm(request.POST)
    if form.is_valid():
        try:
            services.recuse_review(
                round,
                judge=judge,
                submission=assignment.submission,
                by=request.user,
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
            )
        except HackQCError as exc:
            show_refusal(form, exc)
        else:
            messages.success(
                request,
                _("You stepped aside from this project; the organizers will assign another judge."),
            )
            return redirect("judging:round", slug=slug, number=number)
    review = Review.objects.filter(round=round, judge=judge, submission_id=submission_id).first()
    criteria = list(round.criteria.order_by("order", "pk"))
    context = _review_context(
        request, judge, round, assignment, review, _review_form(review, criteria), form
    )
    return render(request, "judging/review.html", context)


def redirect_to_login(request):
    from django.contrib.auth.views import redirect_to_login as _redirect

    return _redirect(request.get_full_path())


class MethodView(LoginRequiredMixin, TemplateView):
    """How the jury scores and ranks: for judges and organizers."""

    template_name = "judging/method.html"

    def get(self, request, *args, **kwargs):
        user = request.user
        if not (
            user.is_staff
            or user.organizer_roles.exists()
            or user.judge_roles.exclude(accepted_at=None).exists()
        ):
            raise Http404
        return super().get(request, *args, **kwargs)
