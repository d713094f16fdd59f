"""An edition's dates as an iCalendar file, for people to add to their own calendar."""

from icalendar import Calendar, Event

from hackqc.phases import timeline


def edition_calendar(edition, site_url: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//HackQC//hackqc//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", edition.name)
    url = site_url.rstrip("/") + edition.get_absolute_url()
    for step in timeline(edition):
        event = Event()
        # Stable identifiers: re-importing the file updates the events instead of adding copies.
        event.add("uid", f"{edition.slug}-{step['key']}@hackqc")
        event.add("summary", f"{edition.name} : {step['label']}")
        event.add("dtstart", step["date"])
        event.add("dtend", step["date"])
        event.add("dtstamp", step["date"])
        event.add("url", url)
        calendar.add_component(event)
    return calendar.to_ical()


def agenda_calendar(edition, items, site_url: str) -> bytes:
    """The edition's agenda items as events, each with its place (site, room) and kind."""
    calendar = Calendar()
    calendar.add("prodid", "-//HackQC//hackqc//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", edition.name)
    url = site_url.rstrip("/") + edition.get_absolute_url() + "#agenda"
    for item in items:
        event = Event()
        event.add("uid", f"{edition.slug}-agenda-{item.pk}@hackqc")
        event.add("summary", item.title)
        event.add("dtstart", item.starts_at)
        event.add("dtend", item.ends_at)
        event.add("dtstamp", item.starts_at)
        event.add("categories", [item.get_kind_display()])
        place = ", ".join(
            part for part in (item.location, item.host_site and str(item.host_site)) if part
        )
        if place:
            event.add("location", place)
        if item.description:
            event.add("description", item.description)
        event.add("url", url)
        calendar.add_component(event)
    return calendar.to_ical()
