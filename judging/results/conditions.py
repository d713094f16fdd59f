"""Award conditions, read from the submission through one small adapter.

The submissions app owns the repository URL and licence fields; the accessors below are the
only place the results app reads them, so a rename there is a one-line change here.
"""

from django.utils.translation import gettext_lazy as _

REPOSITORY = "repository"
LICENCE = "licence"

LABELS = {
    REPOSITORY: _("a public repository URL"),
    LICENCE: _("a licence"),
}


def repository_url(submission) -> str:
    return submission.repository_url


def licence(submission) -> str:
    return submission.licence


def host_site_id(submission) -> int | None:
    """The host site a submission competes at, when the teams app records one."""
    return getattr(submission, "host_site_id", None) or getattr(
        submission.team, "host_site_id", None
    )


def missing_conditions(submission, policy) -> tuple[str, ...]:
    """Codes of the award conditions `submission` does not meet under `policy`."""
    missing = []
    if policy.require_repository and not repository_url(submission):
        missing.append(REPOSITORY)
    if policy.require_licence and not licence(submission):
        missing.append(LICENCE)
    return tuple(missing)


def describe(codes) -> list[str]:
    return [str(LABELS.get(code, code)) for code in codes]
