"""Reads shared by the results pages, the exports and the mails, each in a fixed number of
queries whatever the number of prizes and submissions."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Avg, Count, F, Prefetch, Q

from hackqc.visibility import are_results_public, feedback_round_ids
from judging.models import Review, Round, Score
from submissions.catalogue.models import Dataset
from submissions.models import DatasetLink, Submission
from submissions.queries import (
    gallery_submissions,
    judged_dataset_links,
    judged_links,
    show_judged_versions,
)

from .models import Award, ResultSnapshot
from .texts import explain_round, tie_break_label

_LINKS = Prefetch(
    "dataset_links",
    queryset=DatasetLink.objects.select_related(
        "dataset__organization", "dataset__portal"
    ).order_by("dataset__title"),
)


def published_snapshot(edition, now=None):
    """The snapshot the public sees, or None before publication (or during a correction)."""
    if not are_results_public(edition, now):
        return None
    return (
        ResultSnapshot.objects.filter(edition=edition, state=ResultSnapshot.State.PUBLISHED)
        .select_related("main_round")
        .first()
    )


def corrections(edition):
    """Results that were public and then withdrawn, with when and why."""
    return list(
        ResultSnapshot.objects.filter(
            edition=edition,
            state=ResultSnapshot.State.WITHDRAWN,
            published_at__isnull=False,
            published_at__lte=F("withdrawn_at"),
        ).order_by("withdrawn_at")
    )


@dataclass
class PrizeBlock:
    prize: object
    places: list = field(default_factory=list)  # awards with a place, in order


@dataclass
class RankingLine:
    rank: int
    score: float
    submission: object
    n_reviews: int
    tied: bool
    tie_break: str | None = None  # the cascade step that placed it (see CASCADE)
    tie_break_text: str = ""  # that step in words


@dataclass
class RoundRanking:
    """One deciding round's frozen ranking, labelled, with what it was computed with."""

    round_id: int
    parameters: dict
    is_main: bool
    lines: list[RankingLine]

    @property
    def name(self) -> str:
        return self.parameters.get("round_name", "")


def prize_blocks(snapshot) -> list[PrizeBlock]:
    """Each prize with its places, winners' cards ready (team, challenge, datasets)."""
    awards = (
        Award.objects.filter(snapshot=snapshot, place__isnull=False)
        .select_related(
            "prize__challenge",
            "prize__host_site",
            "submission__team",
            "submission__challenge",
        )
        .prefetch_related(Prefetch("submission__dataset_links", queryset=_LINKS.queryset))
        .order_by("prize__priority", "prize_id", "place")
    )
    awards = list(awards)
    show_judged_versions([award.submission for award in awards])
    blocks: dict[int, PrizeBlock] = {}
    for award in awards:
        if award.submission is not None:
            award.submission.public_links = judged_links(award.submission)
        blocks.setdefault(award.prize_id, PrizeBlock(award.prize)).places.append(award)
    return list(blocks.values())


def winners_datasets(blocks) -> list[Dataset]:
    seen = {}
    for block in blocks:
        for award in block.places:
            if award.submission is not None:
                for link in judged_links(award.submission):
                    seen.setdefault(link.dataset.pk, link.dataset)
    for dataset in seen.values():
        dataset.public_url = dataset_url(dataset)
    return sorted(seen.values(), key=lambda d: d.title)


def ordered_round_ids(snapshot) -> list[str]:
    """The published ranking's round first, then the other deciding rounds by number."""
    main = str(snapshot.main_round_id) if snapshot.main_round_id else None
    others = sorted(
        (k for k in snapshot.rankings if k != main),
        key=lambda k: (snapshot.parameters.get(k, {}).get("round_number", 0), int(k)),
    )
    return ([main] if main in snapshot.rankings else []) + others


def round_rankings(snapshot) -> list[RoundRanking]:
    """Every deciding round's ranking as frozen, the published one first, with the projects'
    judged titles; withdrawn or disqualified projects left out. One query for all rounds."""
    keys = ordered_round_ids(snapshot)
    ids = {e["submission"] for k in keys for e in snapshot.rankings[k]["entries"]}
    submissions = Submission.objects.select_related("team", "challenge").in_bulk(ids)
    show_judged_versions(submissions.values())
    rankings = []
    for k in keys:
        parameters = snapshot.parameters.get(k, {})
        lines = [
            RankingLine(
                e["rank"],
                e["score"],
                submissions[e["submission"]],
                e["n_reviews"],
                e["tied"],
                e.get("tie_break"),
                tie_break_label(e.get("tie_break"), tied=e["tied"], parameters=parameters),
            )
            for e in snapshot.rankings[k]["entries"]
            if e["submission"] in submissions
            and submissions[e["submission"]].state == Submission.State.SUBMITTED
        ]
        rankings.append(RoundRanking(int(k), parameters, int(k) == snapshot.main_round_id, lines))
    return rankings


def method_texts(snapshot) -> list[dict]:
    """How each deciding round ranked (method, tie-break), the published ranking's first."""
    return [
        explain_round(snapshot.parameters[k])
        for k in ordered_round_ids(snapshot)
        if k in snapshot.parameters
    ]


def full_ranking(snapshot) -> list[RankingLine]:
    """The published ranking (the chosen round's) as frozen: one query."""
    main = [r for r in round_rankings(snapshot) if r.is_main]
    return main[0].lines if main else []


@dataclass(frozen=True)
class RoundRank:
    round_name: str
    rank: int | None
    is_main: bool


def ranks_of(snapshot, submission_id) -> list[RoundRank]:
    """The project's rank in each deciding round, the published ranking first; no query."""
    ranks = []
    for key in ordered_round_ids(snapshot):
        entry = next(
            (e for e in snapshot.rankings[key]["entries"] if e["submission"] == submission_id),
            None,
        )
        if entry is not None:
            ranks.append(
                RoundRank(
                    snapshot.parameters.get(key, {}).get("round_name", ""),
                    entry["rank"],
                    int(key) == snapshot.main_round_id,
                )
            )
    return ranks


def rank_of(snapshot, submission_id) -> int | None:
    """The project's rank in the published ranking."""
    main = [r for r in ranks_of(snapshot, submission_id) if r.is_main]
    return main[0].rank if main else None


# Gallery and datasets, for the open-data files -------------------------------------------


def open_data_gallery(edition) -> list[Submission]:
    """The gallery (`submissions.queries.gallery_submissions`, the one rule of which projects
    it shows) with what the open-data files add: the judged version's fields and links."""
    return show_judged_versions(gallery_submissions(edition).prefetch_related(_LINKS))


def reused_datasets(edition):
    """Datasets the edition's submitted projects reuse (as judged), with their reuse count.

    One grouped query that starts from the edition's links and loads only the datasets they
    name: its plan grows with the edition, not with the catalogue nor the other editions (a
    subquery per catalogue dataset took seconds at 16,000 datasets; pinned by EXPLAIN in
    tests/results/test_open_data_plans.py)."""
    return (
        # One filter() call: the edition and the judged-links test bind the same join,
        # which the count then reuses.
        Dataset.objects.filter(
            links__submission__edition=edition, links__in=judged_dataset_links(edition)
        )
        .annotate(reuse_count=Count("links__submission", distinct=True))
        .select_related("organization", "portal")
        .order_by("-reuse_count", "title", "pk")
    )


def dataset_url(dataset) -> str:
    return dataset.portal.dataset_url_pattern.format(name=dataset.name)


# Feedback to a team -----------------------------------------------------------------------


@dataclass
class Feedback:
    averages: list  # (round, criterion, average, count)
    texts: list[str]


def team_feedback(submission, snapshot) -> Feedback:
    """Per-criterion averages and written feedback of submitted reviews, never private
    notes, from the rounds `hackqc.visibility.feedback_round_ids` allows under the
    published `snapshot` (none before publication)."""

    rounds = Round.objects.filter(edition_id=submission.edition_id).only("pk", "closed_at")
    round_ids = feedback_round_ids(snapshot, rounds)
    averages = (
        Score.objects.filter(
            review__submission=submission,
            review__state=Review.State.SUBMITTED,
            review__round_id__in=round_ids,
            value__isnull=False,
        )
        .values(
            "criterion_id",
            "criterion__name",
            "criterion__min_value",
            "criterion__max_value",
            "criterion__round__name",
            "criterion__round__number",
            "criterion__order",
        )
        .annotate(average=Avg("value"), count=Count("value"))
        .order_by("criterion__round__number", "criterion__order", "criterion_id")
    )
    texts = list(
        Review.objects.filter(
            submission=submission, state=Review.State.SUBMITTED, round_id__in=round_ids
        )
        .exclude(feedback="")
        .order_by("round__number", "submitted_at", "pk")
        .values_list("feedback", flat=True)
    )
    return Feedback(averages=list(averages), texts=texts)


# Mails --------------------------------------------------------------------------------------


def announcement_recipients(edition):
    """Every participant of the edition: registered as one or a member of a team."""
    User = get_user_model()
    return (
        User.objects.filter(
            Q(registrations__edition=edition, registrations__role="participant")
            | Q(memberships__edition=edition),
            is_active=True,
        )
        .distinct()
        .order_by("pk")
    )


def winning_places_by_user(snapshot) -> dict[int, list[tuple[str, int, str]]]:
    """For each member of a winning team: (prize, place, project title) of each win."""
    rows = Award.objects.filter(
        snapshot=snapshot, place__isnull=False, submission__isnull=False
    ).values_list(
        "submission__team__memberships__user_id", "prize__name", "place", "submission__title"
    )
    places = defaultdict(list)
    for user_id, prize, place, title in rows:
        if user_id is not None:
            places[user_id].append((prize, place, title))
    return dict(places)
