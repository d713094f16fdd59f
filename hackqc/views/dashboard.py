"""Numbers at a glance on the edition's organizer dashboard, with small charts.

Each app counts its own things (`teams.numbers`, `submissions.numbers`, `judging.numbers`,
the outbox here); this module puts them in tables and charts (`hackqc.charts`), in a fixed
number of queries whatever the size of the edition (pinned by tests).

The host sites' attendance counts are drawn by the teams app on the same page (marked spot
in `templates/hackqc/organize/numbers.html`).
"""

import datetime as dt

from django.db.models import Count
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from hackqc import charts
from hackqc.models import OutgoingMail


def edition_numbers(edition) -> dict:
    """The context of the dashboard's "Numbers at a glance" section."""
    return {
        "registrations": registration_numbers(edition),
        "teams": team_numbers(edition),
        "sheets": sheet_numbers(edition),
        "reviews": review_numbers(edition),
        "mails": mail_numbers(edition),
    }


# --- Registrations -------------------------------------------------------------------------


def registration_numbers(edition) -> dict:
    # Imported here: the core's dashboard shows counts the teams app owns.
    from teams.models import Registration
    from teams.numbers import registrations_by_role_and_site, registrations_per_day

    roles = list(Registration.Role)
    no_site = _("No team or host site yet")
    sites: dict[str, dict] = {}
    for row in registrations_by_role_and_site(edition):
        counts = sites.setdefault(row["site"] or "", dict.fromkeys(roles, 0))
        counts[row["role"]] += row["n"]
    rows = [
        {"site": site or no_site, "counts": [c[r] for r in roles], "total": sum(c.values())}
        for site, c in sorted(sites.items(), key=lambda item: (item[0] == "", item[0]))
    ]
    totals = [sum(row["counts"][i] for row in rows) for i in range(len(roles))]
    return {
        "roles": [r.label for r in roles],
        "rows": rows,
        "totals": totals,
        "total": sum(totals),
        "chart": _registrations_chart(registrations_per_day(edition)),
    }


def _registrations_chart(per_day):
    counts = dict(per_day)
    days, total = [], 0
    if per_day:
        day, last = per_day[0][0], per_day[-1][0]
        while day <= last:
            total += counts.get(day, 0)
            days.append((formats.date_format(day, "SHORT_DATE_FORMAT"), total))
            day += dt.timedelta(days=1)
    return charts.line(
        _("Registrations over time"),
        _("Total registrations at the end of each day, from the first registration to the last.")
        + " "
        + _("%(n)s registrations in all.") % {"n": total},
        days,
        caption=_("Registrations over time (cumulative)"),
        label_header=_("Day"),
        value_header=_("Registrations so far"),
        every=max(len(days) // 6, 1),
    )


# --- Teams ---------------------------------------------------------------------------------


def team_numbers(edition) -> dict:
    # Imported here: the core's dashboard shows counts the teams app owns.
    from teams.numbers import teams_by_size_and_openness

    sizes: dict[int, int] = {}
    statuses = {"full": 0, "under": 0, "open": 0, "closed": 0}
    for row in teams_by_size_and_openness(edition):
        sizes[row["size"]] = sizes.get(row["size"], 0) + row["n"]
        statuses[_status(row["size"], row["is_open"], edition)] += row["n"]
    labels = {
        "full": _("Full"),
        "under": _("Under the recommended size"),
        "open": _("Open to new members"),
        "closed": _("Closed to new members"),
    }
    return {
        "total": sum(sizes.values()),
        "sizes": sorted(sizes.items()),
        "statuses": [(labels[key], n) for key, n in statuses.items()],
    }


def _status(size, is_open, edition) -> str:
    """The status the teams list shows (teams.views.organize): full, under the minimum, open."""
    if size >= edition.team_size_max:
        return "full"
    if size < edition.team_size_min:
        return "under"
    return "open" if is_open else "closed"


# --- Project sheets and reuse --------------------------------------------------------------


def sheet_numbers(edition) -> dict:
    # Imported here: the core's dashboard shows counts the submissions app owns.
    from submissions.models import Submission
    from submissions.numbers import (
        reuse_by_organisation,
        reuse_totals,
        sheets_by_state,
        submits_before_deadline,
    )

    states = sheets_by_state(edition)
    organisations = [
        (row["dataset__organization__title"] or _("Unknown organisation"), row)
        for row in reuse_by_organisation(edition)
    ]
    return {
        "states": [(state.label, states.get(state.value, 0)) for state in Submission.State],
        "total": sum(states.values()),
        "reuse": reuse_totals(edition),
        "organisations": organisations,
        "submits_chart": _submits_chart(submits_before_deadline(edition)),
        "reuse_chart": charts.hbars(
            _("Reuse by organisation"),
            _("Number of projects reusing at least one dataset of each publishing organisation."),
            [(name, row["projects"]) for name, row in organisations[:12]],
            caption=_("Projects reusing each organisation's datasets"),
            label_header=_("Organisation"),
            value_header=_("Projects"),
        ),
    }


def _submits_chart(hours):
    total = sum(n for _h, n in hours)
    chart = charts.columns(
        _("Submissions in the last 48 hours before the deadline"),
        _("Project sheets submitted (versions) in each hour before the deadline.")
        + " "
        + _("%(n)s submits in these 48 hours.") % {"n": total},
        [(pgettext("hour of the day", "%(hour)s h") % {"hour": h.hour}, n) for h, n in hours],
        caption=_("Submits per hour before the deadline"),
        label_header=_("Hour"),
        value_header=_("Submits"),
        every=6,
    )
    if total == 0:
        chart.table.rows = []  # "No data yet." rather than 49 zeros
    return chart


# --- Reviews -------------------------------------------------------------------------------


def review_numbers(edition) -> dict:
    # Imported here: the core's dashboard shows counts the jury app owns.
    from judging.numbers import judge_names, judge_scores, review_progress

    names = judge_names(edition)
    progress = review_progress(edition, names)
    series = [
        (_("Submitted"), 1),
        (_("Drafts"), 2),
        (_("Not started"), 3),
        (_("Recused"), 0),
    ]
    progress_chart = charts.stacked_hbars(
        _("Review progress"),
        _("Assigned reviews of each round: submitted, drafts, not started and recused."),
        [(p.round.name, [p.done, p.drafts, p.not_started, p.recused]) for p in progress],
        series=series,
        caption=_("Reviews per round"),
        label_header=_("Round"),
    )
    if not any(p.assigned for p in progress):
        progress_chart.table.rows = []
    return {
        "rounds": progress,
        "chart": progress_chart,
        "scores": [_scores_chart(scores, names) for scores in judge_scores(edition)],
    }


def _scores_chart(scores, names):
    rows = sorted(
        (
            (names.get(judge, str(judge)), values, scores.bias.get(judge))
            for judge, values in scores.scores.items()
        ),
        key=lambda row: row[0].casefold(),
    )
    chart = charts.strips(
        _("Review scores per judge, round “%(round)s”") % {"round": scores.round.name},
        _(
            "Each dot is one submitted review's score; the orange mark is the judge's mean. "
            "At the right, the judge's bias estimated by the judge-bias model: positive for "
            "a lenient judge, negative for a harsh one, in points of review score."
        ),
        rows,
        low=scores.low,
        high=scores.high,
        caption=_("Review scores and estimated bias per judge"),
        headers=[
            _("Judge"),
            _("Reviews"),
            _("Mean"),
            pgettext("lowest", "Minimum"),
            pgettext("highest", "Maximum"),
            _("Estimated bias"),
        ],
    )
    return {"round": scores.round, "chart": chart, "refused": scores.refused}


# --- Mails ---------------------------------------------------------------------------------


def mail_numbers(edition) -> dict:
    rows = OutgoingMail.objects.filter(edition=edition).values("state").annotate(n=Count("pk"))
    counts = {row["state"]: row["n"] for row in rows.order_by()}
    return {
        "states": [(state.label, counts.get(state.value, 0)) for state in OutgoingMail.State],
        "failed": counts.get(OutgoingMail.State.FAILED, 0),
        "total": sum(counts.values()),
        "as_of": timezone.now(),
    }
