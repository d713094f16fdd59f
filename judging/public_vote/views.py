"""The public's ballot and the organizers' page of the people's vote."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hackqc.exceptions import HackQCError
from hackqc.form_errors import show_refusal
from hackqc.models import Edition
from hackqc.permissions import get_edition_for_organizer
from submissions.queries import is_gallery_public, show_judged_versions

from . import rules, services
from .forms import VoidForm, VoteForm, VoteWindowForm
from .models import PublicVote
from .queries import ballot, counts, suspicious_patterns, vote_summary


def _public_edition(slug):
    edition = get_object_or_404(Edition, slug=slug)
    if not is_gallery_public(edition):
        raise Http404
    return edition


def ballot_view(request, slug):
    """GET: the projects with the visitor's vote; POST: vote (or move the vote)."""
    edition = _public_edition(slug)
    window = rules.window_of(edition)
    if window is None:
        raise Http404
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        form = VoteForm(request.POST)
        submission = None
        if form.is_valid():
            submission = ballot(edition).filter(pk=form.cleaned_data["submission"]).first()
        if submission is None:
            messages.error(request, _("This project is not part of the vote."))
        else:
            try:
                services.cast_vote(edition, user=request.user, submission=submission)
                messages.success(request, _("Your vote is recorded. Thank you!"))
            except HackQCError as error:
                messages.error(request, error.message)
        return redirect("vote:ballot", slug=slug)
    projects = list(ballot(edition))
    show_judged_versions(projects)
    mine = (
        PublicVote.objects.filter(edition=edition, user=request.user).first()
        if request.user.is_authenticated
        else None
    )
    closed = rules.is_closed(window)
    tally = counts(edition) if closed else {}
    own_team = rules.own_team_id(request.user, edition)
    return render(
        request,
        "public_vote/ballot.html",
        {
            "edition": edition,
            "window": window,
            "is_open": rules.is_open(window),
            "closed": closed,
            "verified": rules.has_verified_email(request.user),
            "mine": mine,
            "rows": [
                {"project": p, "votes": tally.get(p.pk, 0), "own": p.team_id == own_team}
                for p in projects
            ],
        },
    )


def organize_view(request, slug):
    """The organizers' page: the window, the counts so far, suspicious patterns, voiding."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    edition = get_edition_for_organizer(request.user, slug)
    window = rules.window_of(edition)
    initial = (
        {"prize": window.prize, "opens_at": window.opens_at, "closes_at": window.closes_at}
        if window
        else None
    )
    form = VoteWindowForm(request.POST or None, initial=initial, edition=edition)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_vote_window(edition, by=request.user, **form.cleaned_data)
            messages.success(request, _("The people's vote is set."))
            return redirect("vote:organize", slug=slug)
        except HackQCError as error:
            show_refusal(form, error)
    votes = list(
        PublicVote.objects.filter(edition=edition)
        .select_related("submission")
        .order_by("-cast_at")[:500]
    )
    return render(
        request,
        "public_vote/organize.html",
        {
            "edition": edition,
            "window": window,
            "form": form,
            "summary": vote_summary(edition),
            "suspicions": suspicious_patterns(edition),
            "votes": votes,
            "void_form": VoidForm(),
        },
    )


@require_POST
def void_view(request, slug, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    edition = get_edition_for_organizer(request.user, slug)
    vote = get_object_or_404(PublicVote, edition=edition, pk=pk)
    form = VoidForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give a reason."))
    else:
        services.void_vote(vote, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("The vote is voided."))
    return redirect("vote:organize", slug=slug)
