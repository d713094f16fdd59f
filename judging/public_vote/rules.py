"""Who may vote for what, and when: each rule one predicate, used by pages, services and
counts alike."""

from django.utils import timezone
from django.utils.translation import gettext as _

from teams.models import Membership


def window_of(edition):
    from .models import VoteWindow

    return VoteWindow.objects.filter(edition=edition).select_related("prize").first()


def is_open(window, now=None) -> bool:
    """Votes are cast from `opens_at` until `closes_at` (excluded): one clock reading."""
    now = now or timezone.now()
    return window is not None and window.opens_at <= now < window.closes_at


def is_closed(window, now=None) -> bool:
    """The count is shown, and the prize resolved, only once the window has closed."""
    now = now or timezone.now()
    return window is not None and now >= window.closes_at


def has_verified_email(user) -> bool:
    from allauth.account.models import EmailAddress

    return user.is_authenticated and EmailAddress.objects.filter(user=user, verified=True).exists()


def own_team_id(user, edition) -> int | None:
    """The team `user` is a member of in `edition`: they cannot vote for its project."""
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.filter(user=user, edition=edition)
        .values_list("team_id", flat=True)
        .first()
    )


def refusal(user, edition, submission, window, now=None) -> str | None:
    """Why `user` may not vote for `submission` now (translated), or None if they may."""
    if not is_open(window, now):
        return _("The people's vote is not open.")
    if not has_verified_email(user):
        return _("Confirm your e-mail address to vote.")
    if submission.edition_id != edition.pk:
        return _("This project is not part of the vote.")
    if own_team_id(user, edition) == submission.team_id:
        return _("You cannot vote for your own team's project.")
    return None
