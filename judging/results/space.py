"""The person's certificates in their space ("Mon espace"), one card per edition."""

from hackqc.space import Card, register

from .certificates import certificates_of, is_valid


@register
def certificate_cards(user, now) -> list[Card]:
    by_edition: dict[int, list] = {}
    for certificate in certificates_of(user):
        certificate.valid = is_valid(certificate)
        by_edition.setdefault(certificate.snapshot.edition_id, []).append(certificate)
    return [
        Card(
            template="results/space_certificates.html",
            edition=certificates[0].snapshot.edition,
            order=60,
            context={"certificates": certificates},
        )
        for certificates in by_edition.values()
    ]
