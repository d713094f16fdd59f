"""Assigning judges to projects: run the solver, pin, remove, withdraw a judge."""

from django.contrib import messages
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from hackqc.exceptions import HackQCError
from submissions.models import Submission

from ... import services
from ...errors import AssignmentError
from ...forms import (
    OptionalReasonForm,
    PinForm,
)
from ...permissions import (
    get_judge_for_organizer,
)
from ..common import back_to_round, round_action


@require_POST
def run_assignment(request, slug, number):
    round = round_action(request, slug, number)
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
        _report_connection(request, r)
    return back_to_round(round)


def _report_connection(request, result):
    """In the overlapping mode: whether every project can be compared with every other."""
    if result.groups is None:
        return
    if result.groups <= 1:
        messages.info(
            request,
            ngettext(
                "Judges overlap: every project is linked to every other through shared judges "
                "(%(overlap)s pair of projects shares a judge).",
                "Judges overlap: every project is linked to every other through shared judges "
                "(%(overlap)s pairs of projects share a judge).",
                result.overlap,
            )
            % {"overlap": result.overlap},
        )
    else:
        messages.warning(
            request,
            _(
                "The projects stay split into %(groups)s groups that share no judge: the "
                "judge-bias model cannot compare projects of different groups. Give each "
                "project at least 2 judges, or add judges without conflicts of interest."
            )
            % {"groups": result.groups},
        )


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
