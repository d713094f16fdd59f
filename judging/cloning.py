"""The jury's part of cloning an edition (`hackqc.cloning`): its rounds and their rubrics.

Rounds come back open, with their dates moved; no judge, conflict, assignment, finalist or
review comes along.
"""

from hackqc.cloning import Clone, register_copier
from judging.models import Criterion, Round
from judging.services.rounds import ROUND_FIELDS, RUBRIC_FIELDS

# Settings copied as they are; dates are moved and links to other rows are mapped.
COPIED_AS_IS = tuple(
    name
    for name in ROUND_FIELDS
    if name not in {"opens_at", "closes_at", "scope_challenge", "source_round"}
)


def copy_rounds(clone: Clone) -> None:
    rounds = list(clone.source.rounds.order_by("number"))
    copies = Round.objects.bulk_create(
        Round(
            edition=clone.edition,
            number=r.number,
            opens_at=clone.moved(r.opens_at),
            closes_at=clone.moved(r.closes_at),
            scope_challenge_id=clone.new_id("hackqc.challenge", r.scope_challenge_id),
            **{name: getattr(r, name) for name in COPIED_AS_IS},
        )
        for r in rounds
    )
    clone.remember("judging.round", rounds, copies)
    # A finals round names an earlier round, copied only now.
    for source_round, copy in zip(rounds, copies, strict=True):
        if source_round.source_round_id is not None:
            copy.source_round_id = clone.new_id("judging.round", source_round.source_round_id)
            Round.objects.filter(pk=copy.pk).update(source_round_id=copy.source_round_id)
    criteria = list(
        Criterion.objects.filter(round__in=rounds).order_by("round__number", "order", "pk")
    )
    copies = Criterion.objects.bulk_create(
        Criterion(
            round_id=clone.new_id("judging.round", c.round_id),
            **{name: getattr(c, name) for name in RUBRIC_FIELDS},
        )
        for c in criteria
    )
    clone.remember("judging.criterion", criteria, copies)


register_copier("judging.rounds", copy_rounds, order=20)
