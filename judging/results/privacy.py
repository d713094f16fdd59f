"""Results name people only as the organizers who computed, approved, published or
overrode them, and as the recipients of announcements (hackqc.privacy.registry)."""

from django.utils.translation import gettext_lazy as _

from hackqc.privacy.registry import KEEP, PersonalData, not_personal, references, register

register(
    PersonalData(
        model="results.Announcement",
        owner="user",
        title=_("Results announcements mailed to you"),
        audience=_("the organizers of the edition"),
        context={"edition": "edition.name"},
        fields={"kind": KEEP, "sent_at": KEEP},
        edition="edition",
    )
)

references("results.ResultSnapshot", "computed_by", "approved_by", "published_by")
references("results.Award", "overridden_by")

not_personal("results.Announcement", "user")
not_personal("results.Prize", "name", "description", "sponsor", "reward", "eligibility")
# Rankings, digests and votes name submissions, rounds and counts, never people.
not_personal(
    "results.ResultSnapshot",
    "state",
    "parameters",
    "rankings",
    "digests",
    "public_votes",
    "scores_hash",
    "withdrawal_reason",
    "carried_overrides",
)
not_personal("results.Award", "missing", "tied_with", "override_reason")
