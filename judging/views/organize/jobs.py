"""Starting an organizer job and following it on its page."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import TemplateView

from hackqc.exceptions import HackQCError
from hackqc.permissions import OrganizerRequiredMixin

from ...jobs import LOST_MESSAGE, JobBusyError, is_lost, start_job
from ...models import OrganizerJob

# While a job runs, its page reloads itself this often (a meta refresh: no script, so the
# strict Content-Security-Policy holds).
REFRESH_SECONDS = 2


def start_job_and_follow(request, kind, *, edition, round=None, fallback=None):
    """Starts `kind` and redirects to its page; to the live run's page when one is under
    way (a double click, another organizer)."""
    try:
        job = start_job(kind, edition=edition, round=round, by=request.user)
    except JobBusyError as error:
        messages.warning(request, error.message)
        job = error.job
    except HackQCError as error:
        messages.error(request, error.message)
        return redirect(fallback or edition.get_absolute_url())
    if job is None:  # it finished between the refusal and the look-up
        return redirect(fallback or edition.get_absolute_url())
    return redirect(job)


class JobView(OrganizerRequiredMixin, TemplateView):
    template_name = "judging/organize/job.html"

    def get_context_data(self, **kwargs):
        job = get_object_or_404(
            OrganizerJob.objects.select_related("round", "requested_by"),
            edition=self.edition,
            pk=self.kwargs["pk"],
        )
        # A worker that died leaves its job live: the page says so at once rather than
        # reloading for ever; the next start of the same action marks it failed.
        lost = is_lost(job)
        return super().get_context_data(
            job=job,
            edition=self.edition,
            lost=lost,
            lost_message=LOST_MESSAGE,
            refresh_seconds=REFRESH_SECONDS if job.is_live and not lost else None,
            States=OrganizerJob.State,
            **kwargs,
        )
