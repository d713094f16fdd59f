"""The judge's expo page: one project at a time, then which of the last two was better."""

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from hackqc.exceptions import ConcurrentEditError, HackQCError
from judging.models import ExpoWalk, Round
from judging.permissions import get_round_for_judge
from judging.services.reviews import is_round_open
from submissions.queries import show_judged_versions

from . import services
from .queries import table_numbers


class AnswerForm(forms.Form):
    """One answer on the expo page; `shown` is the project the page displayed."""

    action = forms.ChoiceField(choices=[(a, a) for a in services.ACTIONS])
    shown = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    reason = forms.CharField(required=False, max_length=2_000)


def expo_view(request, slug, number):
    """GET: the project to see now (and the one just seen); POST: the judge's answer."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    judge, round = get_round_for_judge(request.user, slug, number)
    if round.mode != Round.Mode.PAIRWISE:
        raise Http404
    is_open = is_round_open(round)
    if request.method == "POST":
        form = AnswerForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("This answer could not be read: please try again."))
            return redirect("judging:expo", slug=slug, number=number)
        action, shown = form.cleaned_data["action"], form.cleaned_data["shown"]
        try:
            if action == services.START and shown is None:
                services.start_walk(round, judge=judge, by=request.user)
            else:
                services.walk_step(
                    round,
                    judge=judge,
                    by=request.user,
                    action=action,
                    shown=shown,
                    reason=form.cleaned_data["reason"],
                )
                messages.success(request, _("Recorded. Here is the next project."))
        except ConcurrentEditError as error:
            messages.info(request, error.message)
        except HackQCError as error:
            messages.error(request, error.message)
        return redirect("judging:expo", slug=slug, number=number)
    walk = (
        ExpoWalk.objects.select_related("current__team", "previous__team")
        .filter(round=round, judge=judge)
        .first()
    )
    projects = [p for p in (walk.current, walk.previous) if p is not None] if walk else []
    show_judged_versions(projects)
    tables = table_numbers(round) if walk else {}
    return render(
        request,
        "judging/expo.html",
        {
            "edition": round.edition,
            "round": round,
            "judge": judge,
            "walk": walk,
            "is_open": is_open,
            "current_table": tables.get(walk.current_id) if walk else None,
            "previous_table": tables.get(walk.previous_id) if walk else None,
            "count": judge.comparisons.filter(round=round, skipped=None).count(),
        },
    )
