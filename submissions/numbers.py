"""Project sheets and dataset reuse counted for the edition dashboard, each in one query.

Reuse counts what the open-data files and dataset pages count (`judged_dataset_links`):
the datasets the judged version of a submitted project lists.
"""

import datetime as dt

from django.db.models import Count
from django.db.models.functions import TruncHour
from django.utils import timezone

from .models import Submission, SubmissionVersion
from .queries import judged_dataset_links

# The window before the deadline the dashboard draws submits in, hour by hour.
LAST_HOURS = 48


def sheets_by_state(edition) -> dict[str, int]:
    """{state: number of project sheets} (draft, submitted, disqualified)."""
    rows = Submission.objects.filter(edition=edition).values("state").annotate(n=Count("pk"))
    return {row["state"]: row["n"] for row in rows.order_by()}


def reuse_totals(edition) -> dict[str, int]:
    """{"datasets": distinct datasets reused, "links": project-dataset pairs, "projects"}."""
    return judged_dataset_links(edition).aggregate(
        datasets=Count("dataset", distinct=True),
        links=Count("pk"),
        projects=Count("submission", distinct=True),
    )


def reuse_by_organisation(edition) -> list[dict]:
    """[{"organisation" (title, None when unknown), "datasets", "projects"}], most reused
    first: the publishers whose data the edition's projects reuse."""
    return list(
        judged_dataset_links(edition)
        .values("dataset__organization__title")
        .annotate(
            datasets=Count("dataset", distinct=True), projects=Count("submission", distinct=True)
        )
        .order_by("-projects", "-datasets", "dataset__organization__title")
    )


def submits_before_deadline(edition, hours=LAST_HOURS) -> list[tuple[dt.datetime, int]]:
    """[(local hour, versions submitted in that hour)] for each of the `hours` hours up to
    the edition's deadline, zeros included, oldest first."""
    close = edition.submissions_close
    start = close - dt.timedelta(hours=hours)
    rows = (
        SubmissionVersion.objects.filter(
            submission__edition=edition, submitted_at__gt=start, submitted_at__lte=close
        )
        .annotate(hour=TruncHour("submitted_at"))
        .values("hour")
        .annotate(n=Count("pk"))
        .order_by("hour")
        .values_list("hour", "n")
    )
    # Hours counted in UTC: adding an hour to a local time is wall-clock arithmetic, wrong
    # across a change of daylight saving time. (Montréal's offsets are whole hours.)
    counts = {hour.astimezone(dt.UTC): n for hour, n in rows}
    slot = start.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)
    slots = []
    while slot <= close:
        slots.append(slot)
        slot += dt.timedelta(hours=1)
    return [(timezone.localtime(slot), counts.get(slot, 0)) for slot in slots]
