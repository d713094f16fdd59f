"""The cards of the personal space that the teams app owns: each registration with its team,
the invitations waiting for the person and the join requests on both sides."""

from allauth.account.models import EmailAddress
from django.db.models import Count, Q

from hackqc.space import Card, register

from .models import Invitation, JoinRequest, Membership, Registration


@register
def registration_cards(user, now) -> list[Card]:
    registrations = list(
        Registration.objects.filter(user=user).select_related("edition").order_by("-created_at")
    )
    if not registrations:
        return []
    memberships = {
        m.edition_id: m
        for m in Membership.objects.filter(user=user)
        .select_related("team")
        .annotate(
            member_count=Count("team__memberships", distinct=True),
            requests_waiting=Count(
                "team__join_requests",
                filter=Q(team__join_requests__status=JoinRequest.Status.PENDING),
                distinct=True,
            ),
        )
    }
    own_requests: dict[int, list] = {}
    for request in JoinRequest.objects.filter(
        user=user, status=JoinRequest.Status.PENDING
    ).select_related("team"):
        own_requests.setdefault(request.team.edition_id, []).append(request)
    return [
        Card(
            template="teams/space_registration.html",
            edition=registration.edition,
            order=10,
            context={
                "registration": registration,
                "membership": memberships.get(registration.edition_id),
                "own_requests": own_requests.get(registration.edition_id, []),
            },
        )
        for registration in registrations
    ]


@register
def invitation_cards(user, now) -> list[Card]:
    """Team invitations sent to one of the person's verified addresses, still open."""
    addresses = list(
        EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    )
    if not addresses:
        return []
    # Addresses are compared without case, as the invitation service does.
    to_person = Q()
    for address in addresses:
        to_person |= Q(email__iexact=address)
    invitations = list(
        Invitation.objects.filter(to_person, accepted_at=None, revoked_at=None, expires_at__gt=now)
        .select_related("team__edition")
        .order_by("-created_at")
    )
    return [
        Card(
            template="teams/space_invitation.html",
            edition=invitation.team.edition,
            order=5,
            context={"invitation": invitation},
        )
        for invitation in invitations
    ]


@register
def checkin_cards(user, now) -> list[Card]:
    """The person's QR code to show at the door, until the edition's judging ends; the
    volunteers' card also leads to the check-in page."""
    import segno

    from .checkin import checkin_url, display_code

    registrations = Registration.objects.filter(
        user=user, edition__judging_ends__gt=now
    ).select_related("edition", "host_site")
    cards = []
    for registration in registrations:
        qr = segno.make(checkin_url(registration), error="m")
        cards.append(
            Card(
                template="teams/space_checkin.html",
                edition=registration.edition,
                order=12,
                context={
                    "registration": registration,
                    "qr": qr.svg_data_uri(scale=5, border=2),
                    "code": display_code(registration.checkin_code),
                    "volunteer": registration.role == Registration.Role.VOLUNTEER,
                },
            )
        )
    return cards


@register
def agenda_cards(user, now) -> list[Card]:
    """What comes next on the agenda of each edition the person takes part in: items of their
    host site and of every site, in one query for all their editions."""
    from hackqc.models import AgendaItem

    registrations = {
        r.edition_id: r
        for r in Registration.objects.filter(user=user, edition__judging_ends__gt=now)
        .select_related("edition")
        .only("edition", "host_site_id")
    }
    if not registrations:
        return []
    items: dict[int, list] = {}
    for item in (
        AgendaItem.objects.filter(edition__in=registrations.keys(), ends_at__gte=now)
        .select_related("host_site")
        .order_by("starts_at", "pk")
    ):
        if item.host_site_id in (None, registrations[item.edition_id].host_site_id):
            items.setdefault(item.edition_id, []).append(item)
    return [
        Card(
            template="hackqc/space_agenda.html",
            edition=registrations[edition_id].edition,
            order=14,
            context={"items": edition_items[:5], "more": len(edition_items) > 5},
        )
        for edition_id, edition_items in items.items()
    ]


@register
def announcement_cards(user, now) -> list[Card]:
    """The announcements pinned on the page of each edition the person takes part in (until
    its judging ends), latest first, in one query for all their editions."""
    from hackqc.models import Announcement

    cards: dict[int, Card] = {}
    for announcement in (
        Announcement.objects.filter(
            pinned=True,
            edition__registrations__user=user,
            edition__judging_ends__gt=now,
        )
        .select_related("edition")
        .order_by("-pinned_at", "-pk")
    ):
        card = cards.setdefault(
            announcement.edition_id,
            Card(
                template="hackqc/space_announcements.html",
                edition=announcement.edition,
                order=13,
                context={"announcements": []},
            ),
        )
        card.context["announcements"].append(announcement)
    return list(cards.values())
