from django.shortcuts import redirect

from ..permissions import get_round_for_organizer


def add_error(form, exc):
    """Show a service's HackQCError next to its field, or above the form."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, str(exc.message))


def round_action(request, slug, number):
    """The round an organizer's POST acts on (404 for anyone else)."""
    return get_round_for_organizer(request.user, slug, number)


def back_to_round(round):
    return redirect("judging:organize_round", slug=round.edition.slug, number=round.number)
