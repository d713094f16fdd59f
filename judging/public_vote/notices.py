"""The public finds the ballot from the gallery and the edition page while the vote is open."""

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from hackqc.notices import Notice, register

from .rules import is_open, window_of


@register
def vote_notice(edition, now) -> list[Notice]:
    window = window_of(edition)
    if not is_open(window, now):
        return []
    closes = date_format(timezone.localtime(window.closes_at), "DATETIME_FORMAT")
    return [
        Notice(
            message=_("The people's choice vote is open until %(date)s.") % {"date": closes},
            link_label=_("Vote for your favourite project"),
            url=reverse("vote:ballot", args=[edition.slug]),
        )
    ]
