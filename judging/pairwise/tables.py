"""The expo's table plan: where each project of a pairwise round stands.

Judges are sent to nearby tables (`choice.py`); organizers see, print and edit the plan
(`table_views.py`) through the two services below. A table number is a whole number from 1
to `MAX_TABLE`, given to at most one project of the round (the database says so too:
`expotable_unique_number`); a project may have none (it is then offered last in table
order). The plan stays editable until the round closes: after that it is part of what the
judges saw.
"""

import hashlib
import json
from collections import Counter

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hackqc import audit
from hackqc.exceptions import ConcurrentEditError, HackQCError
from hackqc.service import service
from judging.models import ExpoTable, Round
from judging.queries import round_submissions
from submissions.queries import show_judged_versions

from .queries import table_numbers

MAX_TABLE = 9_999

TABLE_PLAN_CHANGED = audit.action(
    "judging.table_plan_changed", gettext_lazy("Changed the expo's table plan")
)

# How "number in order" sorts the projects before giving them tables 1, 2, 3…
BY_TABLE, BY_CHALLENGE, BY_TITLE = "table", "challenge", "title"
ORDERS = {
    BY_TABLE: gettext_lazy("their present table numbers (closes the gaps)"),
    BY_CHALLENGE: gettext_lazy("challenge, then title"),
    BY_TITLE: gettext_lazy("title"),
}


class TablePlanError(HackQCError):
    """The table plan cannot be saved as asked; `field` is the project's id, if one."""


def table_plan(round) -> list:
    """The round's projects in table order (those without a table last, by id), each with
    `table_number` (None if it has none) and its judged version's title: what the plan
    page and its printout show. Five queries, whatever the number of projects."""
    projects = list(round_submissions(round).select_related("team", "challenge").order_by("pk"))
    numbers = table_numbers(round)
    show_judged_versions(projects)
    for project in projects:
        project.table_number = numbers.get(project.pk)
    return sorted(projects, key=lambda p: (p.table_number is None, p.table_number or 0, p.pk))


def plan_version(numbers: dict[int, int]) -> str:
    """A short digest of {project id: table}: the edit form carries the one it showed, so a
    plan changed in the meantime is not silently overwritten."""
    data = json.dumps(sorted(numbers.items()))
    return hashlib.sha256(data.encode()).hexdigest()[:16]


def is_plan_editable(round, now=None) -> bool:
    """The plan of a pairwise round changes until the round closes (early or on time)."""
    now = now or timezone.now()
    return round.mode == Round.Mode.PAIRWISE and round.closed_at is None and now < round.closes_at


def _lock_editable(round) -> Round:
    round = Round.objects.select_for_update().get(pk=round.pk)
    if round.mode != Round.Mode.PAIRWISE:
        raise TablePlanError(_("This round is not judged by pairwise comparisons."))
    if not is_plan_editable(round):
        raise TablePlanError(_("The round is closed: its table plan can no longer change."))
    return round


def _replace_plan(round, numbers: dict[int, int], *, by, how: str) -> int:
    """Stores `numbers` as the whole plan; returns how many projects changed table."""
    before = table_numbers(round)
    changed = sum(1 for sid in set(before) | set(numbers) if before.get(sid) != numbers.get(sid))
    if not changed:
        return 0
    # Delete then insert: a swap of two numbers would trip the unique constraint row by row.
    ExpoTable.objects.filter(round=round).delete()
    ExpoTable.objects.bulk_create(
        ExpoTable(round=round, submission_id=sid, number=number)
        for sid, number in sorted(numbers.items())
    )
    audit.record(
        TABLE_PLAN_CHANGED, actor=by, edition=round.edition, target=round, how=how, changed=changed
    )
    return changed


@service
def set_table_numbers(round, *, by, numbers: dict, expected: str | None = None) -> int:
    """Gives the projects of `numbers` ({project id: table number or None for no table}) those
    tables; the other projects keep theirs. Refused, with nothing saved, if a number is not
    from 1 to MAX_TABLE, if two projects would share a table, if a project is not in the
    round, or if the plan is no longer the one the form showed (`expected`, from
    `plan_version`). Returns how many projects changed table."""
    round = _lock_editable(round)
    projects = set(round_submissions(round).values_list("pk", flat=True))
    current = {sid: n for sid, n in table_numbers(round).items() if sid in projects}
    if expected is not None and expected != plan_version(current):
        raise ConcurrentEditError(
            _("Someone changed the table plan meanwhile: check the numbers and save again.")
        )
    for sid, number in numbers.items():
        if sid not in projects:
            raise TablePlanError(_("This project is not in the round."))
        if number is not None and not (isinstance(number, int) and 1 <= number <= MAX_TABLE):
            raise TablePlanError(
                _("A table number is a whole number from 1 to %(max)s.") % {"max": MAX_TABLE},
                field=sid,
            )
    wanted = {**current, **numbers}
    wanted = {sid: number for sid, number in wanted.items() if number is not None}
    shared = {number for number, count in Counter(wanted.values()).items() if count > 1}
    if shared:
        number = min(shared)
        # Name the project the organizer changed, so the error stands next to its field.
        sid = min(
            (s for s, n in wanted.items() if n == number),
            key=lambda s: (s not in numbers or numbers[s] == current.get(s), s),
        )
        raise TablePlanError(
            _("Table %(number)s is given to two projects: each table holds one project.")
            % {"number": number},
            field=sid,
        )
    return _replace_plan(round, wanted, by=by, how="edited")


@service
def number_tables_in_order(round, *, by, order: str = BY_TABLE) -> int:
    """Gives every project of the round tables 1, 2, 3… in `order` (one of ORDERS): by
    their present numbers (projects without one last), by challenge then title, or by
    title. Returns how many projects changed table."""
    if order not in ORDERS:
        raise TablePlanError(_("Choose an order."))
    round = _lock_editable(round)
    projects = table_plan(round)
    if order == BY_CHALLENGE:
        projects.sort(
            key=lambda p: (p.challenge is None, p.challenge.number if p.challenge else 0,
                           str(p).casefold(), p.pk)
        )  # fmt: skip
    elif order == BY_TITLE:
        projects.sort(key=lambda p: (str(p).casefold(), p.pk))
    numbers = {project.pk: place for place, project in enumerate(projects, start=1)}
    return _replace_plan(round, numbers, by=by, how=order)
