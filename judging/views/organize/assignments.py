"""Assigning judges to projects: run the solver, pin, remove, withdraw a judge."""

from django.contrib import messages
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hackqc.exceptions import HackQCError
from submissions.models import Submission

from ... import services
from ...forms import (
    OptionalReasonForm,
    PinForm,
)
from ...jobs import Kind
from ...permissions import (
    get_judge_for_organizer,
)
from ..common import back_to_round, round_action
from .jobs import start_job_and_follow


@require_POST
def run_assignment(request, slug, number):
    """Starts the assignment on a worker and shows its progress (judging.jobs)."""
    round = round_action(request, slug, number)
    return start_job_and_follow(request, Kind.ASSIGNMENT, edition=round.edition, round=round)


@require_POST
def pin_assignment(request, slug, number):
    round = round_action(request, slug, number)
    form = PinForm(request.POST, round=round)
    if not form.is_valid():
        messages.error(request, _("Choose a judge and a project."))
        return back_to_round(round)
    try:
        services.pin_assignment(round, by=request.user, **form.cleaned_data)
    except HackQCError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Assignment pinned."))
    return back_to_round(round)


@require_POST
def remove_assignment(request, slug, number, judge_id, submission_id):
    round = round_action(request, slug, number)
    judge = get_judge_for_organizer(round.edition, judge_id)
    submission = get_object_or_404(Submission, edition=round.edition, pk=submission_id)
    form = OptionalReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.error_message())
        return back_to_round(round)
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
    return back_to_round(round)


@require_POST
def withdraw_judge(request, slug, number, judge_id):
    round = round_action(request, slug, number)
    judge = get_judge_for_organizer(round.edition, judge_id)
    form = OptionalReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.error_message())
        return back_to_round(round)
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
    return back_to_round(round)
