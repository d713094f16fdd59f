"""The live final's pages: the organizer's remote, the presenter screen and its state, and
the judges' entry to the current project's score sheet."""

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hackqc.exceptions import HackQCError
from judging.models import Assignment, LiveFinal, Round
from judging.permissions import get_round_for_judge, get_round_for_organizer

from . import services
from .queries import live_state, running_order, who_scored_whom


class OrderForm(forms.Form):
    seed = forms.IntegerField(
        label=gettext_lazy("Seed of the draw (empty: a new one)"),
        required=False,
        min_value=0,
        max_value=2**62,
    )
    order = forms.CharField(
        label=gettext_lazy("Or the order by hand: positions of the finalists, e.g. 3 1 2"),
        required=False,
        max_length=2_000,
    )


class TimingForm(forms.Form):
    pitch_seconds = forms.IntegerField(
        label=gettext_lazy("Pitch (seconds)"), min_value=30, max_value=3600
    )
    qa_seconds = forms.IntegerField(
        label=gettext_lazy("Questions (seconds)"), min_value=0, max_value=3600
    )


class AdvanceForm(forms.Form):
    expected = forms.IntegerField(min_value=0, max_value=2**31 - 1)


def _organizer_round(request, slug, number):
    round = get_round_for_organizer(request.user, slug, number)
    if round.mode != Round.Mode.LIVE:
        raise Http404
    return round


def control_view(request, slug, number):
    """The organizer's remote (phone-first): order, timing, next team, who scored whom."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    round = _organizer_round(request, slug, number)
    final, _created = LiveFinal.objects.get_or_create(round=round)
    order_form = OrderForm(request.POST if "draw" in request.POST else None)
    timing_form = TimingForm(
        request.POST if "timing" in request.POST else None,
        initial={"pitch_seconds": final.pitch_seconds, "qa_seconds": final.qa_seconds},
    )
    if request.method == "POST":
        try:
            if "timing" in request.POST and timing_form.is_valid():
                services.set_timing(round, by=request.user, **timing_form.cleaned_data)
                messages.success(request, _("Timing saved."))
                return redirect("judging:live_control", slug=slug, number=number)
            if "draw" in request.POST and order_form.is_valid():
                _set_order(request, round, final, order_form.cleaned_data)
                return redirect("judging:live_control", slug=slug, number=number)
        except HackQCError as error:
            messages.error(request, error.message)
    slots = running_order(final)
    return render(
        request,
        "judging/live/control.html",
        {
            "edition": round.edition,
            "round": round,
            "final": final,
            "slots": slots,
            "order_form": order_form,
            "timing_form": timing_form,
            "scoring": who_scored_whom(round, slots),
            "is_last": final.position >= len(slots),
        },
    )


def _set_order(request, round, final, data):
    if data["order"].strip():
        slots = {s.position: s.submission_id for s in running_order(final)}
        try:
            positions = [int(p) for p in data["order"].replace(",", " ").split()]
            order = [slots[p] for p in positions]
        except (ValueError, KeyError):
            messages.error(request, _("Give the current positions of every finalist, once each."))
            return
        services.set_running_order(round, by=request.user, order=order)
        messages.success(request, _("Running order set by hand."))
    else:
        final = services.set_running_order(round, by=request.user, seed=data["seed"])
        messages.success(
            request, _("Running order drawn with seed %(seed)s.") % {"seed": final.seed}
        )


@require_POST
def advance_view(request, slug, number):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    round = _organizer_round(request, slug, number)
    form = AdvanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This request could not be read: please try again."))
    else:
        try:
            final = services.advance(round, by=request.user, expected=form.cleaned_data["expected"])
            if final.ended_at:
                messages.success(request, _("The final is over: the round is closed."))
        except HackQCError as error:
            messages.info(request, error.message)
    return redirect("judging:live_control", slug=slug, number=number)


def screen_view(request, slug, number):
    """The presenter screen: current team, next team, countdown; refreshes by itself."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    round = _organizer_round(request, slug, number)
    return render(
        request,
        "judging/live/screen.html",
        {"edition": round.edition, "round": round, "state": live_state(round)},
    )


def state_view(request, slug, number):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    round = _organizer_round(request, slug, number)
    response = JsonResponse(live_state(round, organizer=True))
    response["Cache-Control"] = "no-store"
    return response


def judge_view(request, slug, number):
    """The judge's entry: opens the score sheet of the team on stage (or the one that just
    finished); waits, refreshing itself, before the first pitch."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    judge, round = get_round_for_judge(request.user, slug, number)
    if round.mode != Round.Mode.LIVE:
        raise Http404
    state = live_state(round)
    current = state.get("current")
    if current and not state["ended"]:
        assigned = Assignment.objects.filter(
            round=round, judge=judge, submission_id=current["submission"]
        ).exists()
        if assigned:
            return redirect(
                "judging:review", slug=slug, number=number, submission_id=current["submission"]
            )
    return render(
        request,
        "judging/live/judge.html",
        {"edition": round.edition, "round": round, "state": state},
    )
