"""What a sheet needs before it may be submitted. Pure functions over loaded values, so the
organizers' report can check every team from a constant number of queries."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .licences import NO_LICENCE

SECTION_A = ("title", "pitch", "description")
SECTION_C = ("achievements", "difficulties", "lessons", "next_steps")


@dataclass
class Eligibility:
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def is_eligible(self) -> bool:
        return not self.problems


def check_eligibility(
    submission, *, dataset_count: int, member_count: int, technology_count: int
) -> Eligibility:
    """Blocking problems (missing parts) and warnings (a small team) for one sheet."""
    result = Eligibility()
    edition = submission.edition
    missing_a = [_field_label(submission, name) for name in SECTION_A if _blank(submission, name)]
    if edition_has_challenges(submission) and submission.challenge_id is None:
        missing_a.append(_("challenge"))
    if missing_a:
        result.problems.append(_("Section A is incomplete: %(fields)s.") % _join(missing_a))
    if dataset_count < edition.min_datasets:
        result.problems.append(
            ngettext(
                "Link at least %(count)d dataset from the catalogue.",
                "Link at least %(count)d datasets from the catalogue.",
                edition.min_datasets,
            )
            % {"count": edition.min_datasets}
        )
    if technology_count == 0:
        result.problems.append(_("Section B is incomplete: technologies."))
    missing_c = [_field_label(submission, name) for name in SECTION_C if _blank(submission, name)]
    if missing_c:
        result.problems.append(_("Section C is incomplete: %(fields)s.") % _join(missing_c))
    if not submission.repository_url:
        result.problems.append(_("Give the URL of the public source repository."))
    if submission.licence in NO_LICENCE:
        result.problems.append(_("Choose a licence for the code."))
    if member_count < edition.team_size_min:
        result.warnings.append(
            _("The team has %(count)d members; %(minimum)d are recommended.")
            % {"count": member_count, "minimum": edition.team_size_min}
        )
    return result


def edition_has_challenges(submission) -> bool:
    """Read from an annotation when the caller set one, else from the database."""
    cached = getattr(submission, "edition_challenge_count", None)
    if cached is not None:
        return cached > 0
    return submission.edition.challenges.exists()


def _blank(submission, name) -> bool:
    return not (getattr(submission, name) or "").strip()


def _field_label(submission, name) -> str:
    return str(submission._meta.get_field(name).verbose_name)


def _join(labels):
    return {"fields": ", ".join(labels)}
