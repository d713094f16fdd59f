"""Who may see and do what in the jury. Views ask here; none decides on its own.

A participant, an outsider or a judge of another edition gets 404 on every jury page of an
edition: a 403 would confirm that a round or an assignment exists.
"""

from django.contrib.auth.mixins import AccessMixin
from django.http import Http404
from django.shortcuts import get_object_or_404

from hackqc.models import Edition
from hackqc.permissions import get_edition_for_organizer

from .models import Assignment, Conflict, Judge, JudgeInvitation, Round


def is_assigned_judge(user, submission) -> bool:
    """Whether `user` judges `submission` in some round (an accepted judge, assigned)."""
    return (
        user.is_authenticated
        and Assignment.objects.filter(
            submission=submission, judge__user=user, judge__accepted_at__isnull=False
        ).exists()
    )


def get_judge_role(user, slug) -> Judge:
    """The user's accepted judge role in the edition `slug`, or 404."""
    if not user.is_authenticated:
        raise Http404
    return get_object_or_404(
        Judge.objects.select_related("edition", "user").exclude(accepted_at=None),
        edition__slug=slug,
        user=user,
    )


def get_round_for_judge(user, slug, number) -> tuple[Judge, Round]:
    """The judge's role and the round `number` they score in, or 404 (sponsor rounds too)."""
    judge = get_judge_role(user, slug)
    round = get_object_or_404(
        Round.objects.select_related("edition"),
        edition=judge.edition,
        number=number,
        sponsor=judge.sponsor,
    )
    return judge, round


def get_assignment_for_judge(judge, round, submission_id) -> Assignment:
    """The judge's own assignment of that submission in the round, or 404."""
    return get_object_or_404(
        Assignment.objects.select_related(
            "submission__team", "submission__challenge", "submission__edition"
        ),
        round=round,
        judge=judge,
        submission_id=submission_id,
    )


def get_round_for_organizer(user, slug, number) -> Round:
    """Round `number` of an edition the user organizes (404 if none, 403 if not an organizer)."""
    edition = get_edition_for_organizer(user, slug)
    round = get_object_or_404(Round, edition=edition, number=number)
    round.edition = edition
    return round


def rounds_organized_by(user):
    """Every round of the editions `user` organizes (staff: every round)."""

    return (
        Round.objects.filter(edition__in=Edition.objects.organized_by(user))
        .select_related("edition")
        .order_by("-edition__year", "edition__name", "number")
    )


def get_judge_for_organizer(edition, judge_id) -> Judge:
    return get_object_or_404(Judge.objects.select_related("user"), edition=edition, pk=judge_id)


def get_conflict_for_organizer(edition, conflict_id) -> Conflict:
    return get_object_or_404(
        Conflict.objects.select_related("judge", "team"), judge__edition=edition, pk=conflict_id
    )


def get_invitation(token) -> JudgeInvitation:
    """The invitation of `token` while it can be accepted; 404 alike whether it is unknown,
    used, withdrawn or expired, so the link tells its holder nothing more."""
    invitation = get_object_or_404(JudgeInvitation.objects.select_related("edition"), token=token)
    if not invitation.is_usable():
        raise Http404
    return invitation


def get_invitation_for_organizer(edition, invitation_id) -> JudgeInvitation:
    return get_object_or_404(JudgeInvitation, edition=edition, pk=invitation_id)


class OrganizerRoundMixin(AccessMixin):
    """Loads `self.edition` and `self.round` from `slug` and `number` for organizers only."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.round = get_round_for_organizer(request.user, kwargs["slug"], kwargs["number"])
        self.edition = self.round.edition
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("edition", self.edition)
        kwargs.setdefault("round", self.round)
        return super().get_context_data(**kwargs)


class JudgeRequiredMixin(AccessMixin):
    """Loads `self.judge` (and `self.edition`) for the edition `slug` the user judges."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.judge = get_judge_role(request.user, kwargs["slug"])
        self.edition = self.judge.edition
        return super().dispatch(request, *args, **kwargs)
