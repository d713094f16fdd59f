from django.shortcuts import redirect

from ..permissions import get_round_for_organizer


def round_action(request, slug, number):
    """The round an organizer's POST acts on (404 for anyone else)."""
    return get_round_for_organizer(request.user, slug, number)


def back_to_round(round):
    return redirect("judging:organize_round", slug=round.edition.slug, number=round.number)
