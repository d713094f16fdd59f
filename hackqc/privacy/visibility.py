"""Who sees each part of what the site holds about a person: the table of the privacy page.

It states what the pages do (teams' board and pages, the jury's pages, the gallery and
results, the open-data files); a change of who sees what changes this table too.
"""

from django.utils.translation import gettext_lazy as _

YES, NO, CONSENT = "yes", "no", "consent"

AUDIENCES = [
    ("teammates", _("Your teammates")),
    ("participants", _("Other participants")),
    ("judges", _("Judges")),
    ("organizers", _("Organizers")),
    ("public", _("The public")),
    ("open_data", _("Open data")),
]

ROWS = [
    (
        _("E-mail address"),
        {"teammates": NO, "participants": NO, "judges": NO, "organizers": YES},
    ),
    (
        _("Display name"),
        {
            "teammates": YES,
            "participants": CONSENT,
            "judges": CONSENT,
            "organizers": YES,
            "public": CONSENT,
        },
    ),
    (
        _("Organisation or school, bio, skills"),
        {"teammates": YES, "participants": CONSENT, "organizers": YES, "public": CONSENT},
    ),
    (
        _("Consents and the rules accepted"),
        {"organizers": YES},
    ),
    (
        _("Your team's name and project (once submitted)"),
        {
            "teammates": YES,
            "participants": YES,
            "judges": YES,
            "organizers": YES,
            "public": YES,
            "open_data": YES,
        },
    ),
    (
        _("Your reviews, as a judge"),
        {"organizers": YES},
    ),
    (
        _("Your feedback to a team, as a judge: that team only, never with your name"),
        {"participants": YES, "organizers": YES},
    ),
    (
        _("Your public vote"),
        {"organizers": YES},
    ),
]


def table() -> list[dict]:
    """Rows of (label, [cell per audience]) with each cell YES, NO or CONSENT."""
    return [
        {"label": label, "cells": [cells.get(key, NO) for key, _title in AUDIENCES]}
        for label, cells in ROWS
    ]
