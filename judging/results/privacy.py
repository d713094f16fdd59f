"""Results name people only as the organizers who computed, approved, published or
overrode them, and as the recipients of announcements (hackqc.privacy.registry)."""

from django.utils.translation import gettext_lazy as _

from hackqc.privacy.registry import (
    ERASE,
    KEEP,
    REPLACE,
    PersonalData,
    not_personal,
    references,
    register,
)

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


def _erase_certificates(user, erased):
    """The rows stay (counts of certificates issued), without the person: a new key and
    token (the old verification link answers 404), no PDF; the names are emptied next."""
    import secrets

    from .models import Certificate

    for certificate in Certificate.objects.filter(user=user).only("pk"):
        Certificate.objects.filter(pk=certificate.pk).update(
            key=f"erased:{certificate.pk}", token=secrets.token_urlsafe(24), pdf=b""
        )


_CERTIFICATE_FIELDS = {
    "key": REPLACE,
    "token": REPLACE,
    "person_name": ERASE,
    "team_name": ERASE,
    "project_title": ERASE,
    "prize_name": ERASE,
    "place": ERASE,
    "language": ERASE,
    "name_is_public": ERASE,
    "kind": KEEP,
    "issued_at": KEEP,
}
register(
    PersonalData(
        model="results.Certificate",
        owner="user",
        title=_("Your certificates"),
        audience=_("you; whoever you give the verification link sees the edition and prize"),
        context={"edition": "snapshot.edition.name"},
        fields=_CERTIFICATE_FIELDS,
        edition="snapshot__edition",
        erase=_erase_certificates,
        kept_because=_("how many certificates an edition issued, and when"),
    )
)
# The PDF prints the fields above (exported as such); erasure empties it.
not_personal("results.Certificate", "pdf")
