"""The one place that tells where an edition stands in its timeline.

Every boundary is half-open: a phase starts at its date, to the second, and the previous
one ends just before. Dates are stored in UTC and compared as instants, so daylight-saving
changes in America/Montreal cannot shift a boundary.
"""

from django.utils import timezone

from .models.editions import EditionStatus, Phase


def _now(now):
    return now if now is not None else timezone.now()


def current_phase(edition, now=None) -> Phase:
    now = _now(now)
    if edition.results_published is not None and now >= edition.results_published:
        return Phase.RESULTS
    if now >= edition.judging_ends:
        return Phase.DELIBERATION
    if now >= edition.submissions_close:
        return Phase.JUDGING
    if now >= edition.hacking_starts:
        return Phase.HACKING
    if now >= edition.registration_closes:
        return Phase.PREPARATION
    if now >= edition.registration_opens:
        return Phase.REGISTRATION
    return Phase.UPCOMING


def is_live(edition) -> bool:
    """Only a published edition runs: a draft is not open to anyone yet, an archive is
    read-only (`hackqc.lifecycle`)."""
    return edition.status == EditionStatus.PUBLISHED


def is_registration_open(edition, now=None) -> bool:
    now = _now(now)
    return is_live(edition) and edition.registration_opens <= now < edition.registration_closes


def can_withdraw_registration(edition, now=None) -> bool:
    now = _now(now)
    return is_live(edition) and now < edition.hacking_starts


def are_teams_open(edition, now=None) -> bool:
    """Teams form and change from registration opening until submissions close."""
    now = _now(now)
    return is_live(edition) and edition.registration_opens <= now < edition.submissions_close


def is_submission_open(edition, now=None) -> bool:
    """Project sheets are edited and submitted until the deadline, to the second."""
    now = _now(now)
    return is_live(edition) and edition.registration_opens <= now < edition.submissions_close


def are_results_public(edition, now=None) -> bool:
    """Published and past the embargo; never for an edition that is not public (a draft, a
    synthetic one)."""
    now = _now(now)
    return (
        not edition.is_synthetic
        and edition.status != EditionStatus.DRAFT
        and edition.results_published is not None
        and now >= edition.results_published
    )


def timeline(edition, now=None):
    """The dated steps of an edition, for display, each marked past or upcoming."""
    from django.utils.translation import gettext as _

    now = _now(now)
    steps = [
        ("registration_opens", _("Registration opens"), edition.registration_opens),
        ("registration_closes", _("Registration closes"), edition.registration_closes),
        ("hacking_starts", _("Hacking starts"), edition.hacking_starts),
        ("submissions_close", _("Submissions close"), edition.submissions_close),
        ("judging_ends", _("Judging ends"), edition.judging_ends),
    ]
    if edition.results_published:
        steps.append(("results_published", _("Results published"), edition.results_published))
    return [
        {"key": key, "label": label, "date": date, "past": date <= now}
        for key, label, date in steps
    ]
