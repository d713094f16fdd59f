"""The attendance block of the organizer dashboard: its rule and queries stay in the teams
app (`roster.site_counts`), the dashboard only places it."""

from django import template

from ..roster import site_counts

register = template.Library()


@register.inclusion_tag("teams/organize/attendance.html")
def attendance(edition):
    sites, unseated = site_counts(edition)
    return {"edition": edition, "sites": sites, "unseated": unseated}
