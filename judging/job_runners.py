"""What each organizer job runs (see `judging.jobs`): the services, with their progress
and the outcome the organizer reads."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import services
from .errors import AssignmentError
from .jobs import JobFailure, JobOutcome, Kind, runner


@runner(Kind.ASSIGNMENT)
def run_assignment(job, progress) -> JobOutcome:
    round = job.round
    progress(_("Computing the assignment and saving it"))
    try:
        outcome = services.run_assignment(round, by=job.requested_by)
    except AssignmentError as error:
        raise JobFailure(
            error.message,
            details=[
                _("%(project)s: %(reason)s") % {"project": sf.title, "reason": sf.reason}
                for sf in error.shortfalls
            ],
        ) from error
    r = outcome.result
    message = _(
        "Assignment done: largest load %(load)s (lower bound %(bound)s), "
        "%(prefs)s preferred-challenge matches; %(created)s added, %(removed)s removed, "
        "%(kept)s kept."
    ) % {
        "load": r.max_load,
        "bound": r.lower_bound,
        "prefs": r.preferred_matches,
        "created": outcome.created,
        "removed": outcome.removed,
        "kept": outcome.kept,
    }
    url = reverse("judging:organize_round", args=[round.edition.slug, round.number])
    return JobOutcome(message, _connection_report(r), url)


def _connection_report(result) -> list[str]:
    """In the overlapping mode: whether every project can be compared with every other."""
    if result.groups is None:
        return []
    if result.groups <= 1:
        return [
            ngettext(
                "Judges overlap: every project is linked to every other through shared judges "
                "(%(overlap)s pair of projects shares a judge).",
                "Judges overlap: every project is linked to every other through shared judges "
                "(%(overlap)s pairs of projects share a judge).",
                result.overlap,
            )
            % {"overlap": result.overlap}
        ]
    return [
        _(
            "The projects stay split into %(groups)s groups that share no judge: the "
            "judge-bias model cannot compare projects of different groups. Give each "
            "project at least 2 judges, or add judges without conflicts of interest."
        )
        % {"groups": result.groups}
    ]


@runner(Kind.COMPUTE_RESULTS)
def compute_results(job, progress) -> JobOutcome:
    from .results import services as results

    progress(_("Ranking the rounds and resolving the prizes"))
    try:
        snapshot = results.compute_results(job.edition, by=job.requested_by)
    except results.ResultsError as error:
        raise JobFailure(error.message) from error
    url = reverse("results:snapshot", kwargs={"slug": job.edition.slug, "pk": snapshot.pk})
    return JobOutcome(_("The results are computed: review them."), url=url)


@runner(Kind.ANNOUNCE_RESULTS)
def announce_results(job, progress) -> JobOutcome:
    from .results import services as results
    from .results.models import ResultSnapshot

    snapshot = (
        ResultSnapshot.objects.filter(
            pk=job.snapshot_id,
            state=ResultSnapshot.State.PUBLISHED,
            published_at__lte=timezone.now(),
        )
        .select_related("edition")
        .first()
    )
    url = reverse("results:manage", kwargs={"slug": job.edition.slug})
    if snapshot is None:
        return JobOutcome(_("These results are no longer published: no mail was sent."), url=url)
    progress(_("Writing the mails to the participants and winners"))
    sent = results.send_announcements(snapshot, progress=progress)
    return JobOutcome(
        ngettext(
            "%(n)s mail queued in the outbox, which sends each mail once (retrying while the "
            "mail server is down).",
            "%(n)s mails queued in the outbox, which sends each mail once (retrying while the "
            "mail server is down).",
            sent,
        )
        % {"n": sent},
        url=url,
    )
