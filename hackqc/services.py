"""Every write to editions, challenges and organizer roles."""

from django.db import transaction

from .models import Challenge, Edition, EditionOrganizer, HostSite


@transaction.atomic
def create_edition(*, by, **fields) -> Edition:
    """Creates an edition; its creator becomes its organizer."""
    edition = Edition(**fields)
    edition.full_clean()
    edition.save()
    EditionOrganizer.objects.get_or_create(edition=edition, user=by)
    return edition


@transaction.atomic
def update_edition(edition, *, by, **fields) -> Edition:
    for name, value in fields.items():
        setattr(edition, name, value)
    edition.full_clean()
    edition.save()
    return edition


def save_challenge(challenge: Challenge, *, by) -> Challenge:
    challenge.full_clean()
    challenge.save()
    return challenge


def delete_challenge(challenge: Challenge, *, by) -> None:
    challenge.delete()


def save_host_site(site: HostSite, *, by) -> HostSite:
    site.full_clean()
    site.save()
    return site


def delete_host_site(site: HostSite, *, by) -> None:
    site.delete()


def grant_organizer(edition, *, user, by) -> EditionOrganizer:
    role, _created = EditionOrganizer.objects.get_or_create(edition=edition, user=user)
    return role


def revoke_organizer(edition, *, user, by) -> None:
    EditionOrganizer.objects.filter(edition=edition, user=user).delete()
