"""The pinned announcements of an edition page (and the home page), in the reader's
language: one query, placed by one line in the page's template."""

from django import template
from django.utils.translation import get_language

from hackqc.announcements import pinned
from hackqc.markdown import render_markdown

register = template.Library()


@register.inclusion_tag("hackqc/includes/pinned_announcements.html")
def pinned_announcements(edition, heading_level=2):
    language = get_language()
    items = []
    for announcement in pinned(edition):
        text_language, subject, body = announcement.text_in(language)
        items.append(
            {
                "language": text_language,
                "subject": subject,
                "body": render_markdown(body, top_level=heading_level + 2),
                "at": announcement.sent_at or announcement.pinned_at,
            }
        )
    return {"items": items, "heading": f"h{heading_level}", "subheading": f"h{heading_level + 1}"}


@register.filter
def announcement_text(announcement, language):
    """(language, subject, body) of `announcement` in `language`, else the other one."""
    return announcement.text_in(language)
