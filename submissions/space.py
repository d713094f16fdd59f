"""The card of the personal space that the submissions app owns: the team's project sheet,
its state, its deadline and what it still lacks."""

from django.db.models import Exists, OuterRef, Subquery

from hackqc.models import Challenge
from hackqc.space import Card, register

from .eligibility import check_eligibility
from .models import Submission, SubmissionVersion
from .queries import eligibility_counts
from .services import can_edit_now


@register
def sheet_cards(user, now) -> list[Card]:
    last = SubmissionVersion.objects.filter(submission=OuterRef("pk")).order_by("-number")
    sheets = (
        # A subquery, not a filter on the join the counts use: that join would count the
        # user's own membership only (a team of one on the card, whatever its size).
        Submission.objects.filter(
            pk__in=Submission.objects.filter(team__memberships__user=user).values("pk")
        )
        .select_related("edition", "team", "challenge")
        .annotate(
            last_number=Subquery(last.values("number")[:1]),
            last_submitted_at=Subquery(last.values("submitted_at")[:1]),
            **eligibility_counts(),
            edition_challenge_count=Exists(Challenge.objects.filter(edition=OuterRef("edition"))),
        )
    )
    cards = []
    for sheet in sheets:
        changed = sheet.last_number is not None and sheet.updated_at > sheet.last_submitted_at
        cards.append(
            Card(
                template="submissions/space_sheet.html",
                edition=sheet.edition,
                order=20,
                context={
                    "sheet": sheet,
                    "changed_since_submit": changed,
                    "editable": can_edit_now(sheet, now),
                    "deadline_passed": now >= sheet.deadline,
                    "eligibility": check_eligibility(
                        sheet,
                        dataset_count=sheet.dataset_count,
                        member_count=sheet.member_count,
                        technology_count=sheet.technology_count,
                    ),
                },
            )
        )
    return cards
