"""Small pieces shared by the teams views."""

from django.contrib import messages
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext

from hackqc.exceptions import HackQCError
from hackqc.visibility import get_visible_edition


def get_edition(user, slug):
    """The edition if `user` may see it (`hackqc.visibility`): a draft is 404 to all but its
    organizers."""
    return get_visible_edition(user, slug)


def attempt(request, action, success):
    """Runs a service call; shows `success` or the refusal as a message. True if it ran."""
    try:
        action()
    except HackQCError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, success)
    return True


def safe_next(request, default):
    """The `next` path of the request if it is a path of this site, else `default`.

    Only absolute paths: `redirect("foo")` would take a bare word for a URL name.
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def size_note(size, edition):
    """“3 members; 4 to 6 recommended” when a team is under the recommended minimum."""
    if size >= edition.team_size_min:
        return ""
    return ngettext(
        "%(count)s member; %(min)s to %(max)s recommended",
        "%(count)s members; %(min)s to %(max)s recommended",
        size,
    ) % {"count": size, "min": edition.team_size_min, "max": edition.team_size_max}
