"""The agenda block of the edition page, one query, placed by one line in its template."""

from django import template

from hackqc.agenda import agenda_for, by_day

register = template.Library()


@register.inclusion_tag("hackqc/includes/agenda.html")
def edition_agenda(edition):
    return {"edition": edition, "days": by_day(agenda_for(edition))}
