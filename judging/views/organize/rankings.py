"""A round's rankings, its exports, and one review's history."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.generic import TemplateView

from hackqc import personal_exports
from hackqc.pagecache import Page
from hackqc.personal_exports import logged_download
from hackqc.spreadsheets import XLSX_TYPE

from ...errors import MixedScalesError
from ...export import export_for_people
from ...models import Review, ReviewChange
from ...permissions import (
    OrganizerRoundMixin,
    get_round_for_organizer,
)
from ...ranking_display import ranking_tables
from ...round_rankings import round_rankings
from ..common import back_to_round

# What the rankings show: the round and its reviews, the projects as judged, teams, judges.
RANKING_AREAS = ("hackqc", "teams", "submissions", "judging")


class RankingsView(OrganizerRoundMixin, TemplateView):
    """The three methods side by side, with warnings and judges' biases (organizers only)."""

    template_name = "judging/organize/rankings.html"

    def get_context_data(self, **kwargs):
        # Computed and rendered once per change of the round's reviews, projects or jury
        # (hackqc.pagecache); the rankings are the same for every organizer.
        page = Page("rankings", self.round.pk, areas=RANKING_AREAS, edition=self.round.edition_id)
        tables = {} if page.lookup() else self.tables()
        return super().get_context_data(page=page, **tables, **kwargs)

    def tables(self):
        if self.round.mode == self.round.Mode.PAIRWISE:
            from judging.pairwise.display import pairwise_table

            return pairwise_table(self.round, round_rankings(self.round))
        try:
            results = round_rankings(self.round)
        except MixedScalesError as error:
            return {"refused": error.message}
        return ranking_tables(self.round, results)


EXPORT_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": XLSX_TYPE,
}


@logged_download(personal_exports.ROUND)
def export_view(request, slug, number, fmt):
    round = get_round_for_organizer(request.user, slug, number)
    if fmt not in EXPORT_TYPES:
        raise Http404
    try:
        body = export_for_people(round, fmt)
    except MixedScalesError as error:
        messages.error(request, error.message)
        return back_to_round(round)
    response = HttpResponse(body, content_type=EXPORT_TYPES[fmt])
    filename = f"{round.edition.slug}-round-{round.number}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def review_audit(request, slug, number, pk):
    """One review with every change (who, when, old and new values), for organizers."""
    round = get_round_for_organizer(request.user, slug, number)
    review = get_object_or_404(
        Review.objects.select_related("judge__user", "submission"), round=round, pk=pk
    )
    changes = ReviewChange.objects.filter(review=review).select_related("changed_by")
    names = dict(round.criteria.values_list("pk", "name"))
    return render(
        request,
        "judging/organize/review_audit.html",
        {
            "edition": round.edition,
            "round": round,
            "review": review,
            "scores": review.scores.select_related("criterion").order_by("criterion__order"),
            "changes": [{"change": c, "rows": _diff(c.old, c.new, names)} for c in changes],
        },
    )


def _diff(old, new, names):
    rows = []
    for key in ("state", "feedback", "private_note", "recusal_reason"):
        if old.get(key) != new.get(key):
            rows.append((key, old.get(key), new.get(key)))
    old_scores, new_scores = old.get("scores", {}), new.get("scores", {})
    for cid in sorted(set(old_scores) | set(new_scores), key=int):
        if old_scores.get(cid) != new_scores.get(cid):
            label = names.get(int(cid), cid)
            rows.append((label, old_scores.get(cid), new_scores.get(cid)))
    return rows
