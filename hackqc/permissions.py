"""Who may do what on an edition. Every view asks here; none decides on its own."""

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import Edition, EditionOrganizer


def is_organizer(user, edition) -> bool:
    """Staff organize every edition; others only the editions they hold the role for."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff:
        return True
    return EditionOrganizer.objects.filter(edition=edition, user=user).exists()


def can_create_edition(user) -> bool:
    return user.is_authenticated and user.is_active and user.is_staff


def get_edition_for_organizer(user, slug) -> Edition:
    """The edition named by `slug`, or 404 if none, or 403 if `user` does not organize it.

    A 403 leaks nothing here: editions are public.
    """
    edition = get_object_or_404(Edition, slug=slug)
    if not is_organizer(user, edition):
        raise PermissionDenied
    return edition


class OrganizerRequiredMixin(AccessMixin):
    """Loads `self.edition` from the `slug` URL argument for its organizers only."""

    edition_url_kwarg = "slug"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.edition = get_edition_for_organizer(request.user, kwargs[self.edition_url_kwarg])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("edition", self.edition)
        return super().get_context_data(**kwargs)


class StaffRequiredMixin(AccessMixin):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not can_create_edition(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def has_verified_address(user, email) -> bool:
    """Whether `email` is one of `user`'s verified addresses (allauth), whatever its case:
    what an invitation sent to `email` asks of the account that accepts it."""
    from allauth.account.models import EmailAddress

    if not user.is_authenticated or not email:
        return False
    return EmailAddress.objects.filter(
        user=user, email__iexact=email.strip(), verified=True
    ).exists()
