"""Reads of the people's vote: the ballot, the counts and suspicious patterns."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q

from submissions.queries import gallery_submissions

from .models import PublicVote

# A burst: this many votes for one project within BURST_MINUTES.
BURST_VOTES = 10
BURST_MINUTES = 10
# Accounts sharing an e-mail domain, created after the window opened, voting for one project.
DOMAIN_ACCOUNTS = 5


def ballot(edition):
    """The projects the public may vote for: the gallery's (judged versions)."""
    return gallery_submissions(edition).select_related("team").order_by("title", "pk")


def counts(edition) -> dict[int, int]:
    """{submission id: votes that count}; voided votes never count. One query."""
    return dict(
        PublicVote.objects.filter(edition=edition, voided_at=None)
        .values("submission")
        .annotate(n=Count("pk"))
        .values_list("submission", "n")
    )


@dataclass(frozen=True)
class Suspicion:
    kind: str  # "burst" or "domain"
    submission: int
    votes: tuple[int, ...]  # PublicVote ids
    detail: str  # the domain, or the start of the burst


def suspicious_patterns(edition) -> list[Suspicion]:
    """Bursts (many votes for one project in a few minutes) and groups of late accounts of
    one e-mail domain voting for one project. One query."""
    rows = list(
        PublicVote.objects.filter(edition=edition, voided_at=None)
        .order_by("submission_id", "cast_at")
        .values_list("pk", "submission_id", "cast_at", "late_account", "email_domain")
    )
    found = []
    by_project: dict[int, list] = {}
    for row in rows:
        by_project.setdefault(row[1], []).append(row)
    window = dt.timedelta(minutes=BURST_MINUTES)
    for submission, votes in by_project.items():
        start = 0
        for end in range(len(votes)):
            while votes[end][2] - votes[start][2] > window:
                start += 1
            if end - start + 1 >= BURST_VOTES:
                found.append(
                    Suspicion(
                        "burst",
                        submission,
                        tuple(v[0] for v in votes[start : end + 1]),
                        votes[start][2].isoformat(),
                    )
                )
                break
        domains = Counter(v[4] for v in votes if v[3] and v[4])
        for domain, n in domains.items():
            if n >= DOMAIN_ACCOUNTS:
                ids = tuple(v[0] for v in votes if v[3] and v[4] == domain)
                found.append(Suspicion("domain", submission, ids, domain))
    return found


def vote_summary(edition) -> dict:
    return PublicVote.objects.filter(edition=edition).aggregate(
        total=Count("pk"),
        voided=Count("pk", filter=~Q(voided_at=None)),
        late=Count("pk", filter=Q(late_account=True)),
    )
