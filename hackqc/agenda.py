"""An edition's agenda: workshops, mentoring slots, meals, pitch order. Organizers write it;
participants read it on the edition page, in Mon espace and in their calendar (.ics).

An item with no host site happens at every site (or online); a person sees the items of
their own site and those of every site.
"""

from django.db.models import Q

from hackqc.models import AgendaItem
from hackqc.service import service


def agenda_for(edition, site=False):
    """The items of `edition`, in time order, with their site: every item (`site` False), or
    those at `site` and at every site (a HostSite, or None for a person with no site)."""
    items = AgendaItem.objects.filter(edition=edition).select_related("host_site")
    if site is not False:
        items = (
            items.filter(Q(host_site=None) | Q(host_site=site))
            if site
            else items.filter(host_site=None)
        )
    return items.order_by("starts_at", "ends_at", "pk")


def upcoming(edition, site, now, limit=5):
    """The next items a person of `site` has not seen end yet."""
    return agenda_for(edition, site).filter(ends_at__gte=now)[:limit]


def by_day(items) -> list[tuple]:
    """[(date, [item, …]), …] in local time, for a programme read day by day."""
    from django.utils import timezone

    days: dict = {}
    for item in items:
        days.setdefault(timezone.localtime(item.starts_at).date(), []).append(item)
    return list(days.items())


@service
def save_agenda_item(item: AgendaItem, *, by) -> AgendaItem:
    """Creates or edits an agenda item after its checks (end after start, site of the
    edition). Writes only the row."""
    item.full_clean()
    item.save()
    return item


@service
def delete_agenda_item(item: AgendaItem, *, by) -> None:
    """Deletes an agenda item. Writes only the row."""
    item.delete()
