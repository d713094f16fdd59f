"""The public results page, the index of published results and a team's feedback."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils import timezone
from django.views.generic import TemplateView

from hackqc.models import Edition
from hackqc.pagecache import Page, lazy
from hackqc.permissions import is_organizer
from hackqc.visibility import get_visible_edition
from judging.results import queries
from judging.results.permissions import get_own_submission

# What the results page shows: the edition, teams' names, projects as judged, datasets, and
# the published snapshot (the jury's reviews only through a new snapshot).
PAGE_AREAS = ("hackqc", "teams", "submissions", "catalogue", "results")


class ResultsIndexView(TemplateView):
    template_name = "results/index.html"

    def get_context_data(self, **kwargs):
        editions = (
            Edition.objects.listed()
            .filter(results_published__lte=timezone.now())
            .order_by("-year", "-results_published")
        )
        return super().get_context_data(editions=editions, **kwargs)


class ResultsView(TemplateView):
    """Winners by prize with their cards, the ranking if the edition publishes it, the datasets
    reused by the winners and the method; a fixed number of queries."""

    template_name = "results/detail.html"

    def get_context_data(self, **kwargs):
        edition = get_visible_edition(self.request.user, self.kwargs["slug"])
        snapshot = queries.published_snapshot(edition)
        # Rendered once per publication and change of what it shows (hackqc.pagecache); the
        # organizer's link and the feedback link are rendered around it.
        page = Page(
            "results", edition.pk, snapshot and snapshot.pk, areas=PAGE_AREAS, edition=edition.pk
        )
        context = super().get_context_data(
            edition=edition,
            snapshot=snapshot,
            page=page,
            corrections_page=page.part("corrections"),
            corrections=lazy(lambda: queries.corrections(edition)),
            is_organizer=is_organizer(self.request.user, edition),
            **kwargs,
        )
        if snapshot is None:
            return context
        blocks = lazy(lambda: queries.prize_blocks(snapshot))
        context.update(
            blocks=blocks,
            datasets=lazy(lambda: queries.winners_datasets(blocks)),
            rankings=(
                lazy(lambda: queries.round_rankings(snapshot))
                if edition.show_full_ranking
                else None
            ),
            methods=lazy(lambda: queries.method_texts(snapshot)),
        )
        return context


class FeedbackView(LoginRequiredMixin, TemplateView):
    """A team's feedback, for its members once results are public: 404 for anyone else."""

    template_name = "results/feedback.html"

    def get_context_data(self, **kwargs):
        edition = get_visible_edition(self.request.user, self.kwargs["slug"])
        submission = get_own_submission(self.request.user, edition)
        snapshot = queries.published_snapshot(edition)
        ranks = []
        if edition.show_full_ranking and snapshot is not None:
            ranks = queries.ranks_of(snapshot, submission.pk)
        return super().get_context_data(
            edition=edition,
            submission=submission,
            feedback=queries.team_feedback(submission, snapshot),
            ranks=ranks,
            **kwargs,
        )
