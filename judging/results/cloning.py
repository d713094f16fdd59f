"""The results' part of cloning an edition (`hackqc.cloning`): prizes, the award conditions
and the people's choice vote (its dates moved). No snapshot, award or announcement."""

from hackqc.cloning import Clone, register_copier
from judging.public_vote.models import VoteWindow
from judging.results.models import AwardPolicy, Prize

PRIZE_FIELDS = ("name", "description", "sponsor", "reward", "places", "eligibility", "priority")


def copy_prizes(clone: Clone) -> None:
    prizes = list(Prize.objects.filter(edition=clone.source).order_by("priority", "pk"))
    copies = Prize.objects.bulk_create(
        Prize(
            edition=clone.edition,
            challenge_id=clone.new_id("hackqc.challenge", p.challenge_id),
            host_site_id=clone.new_id("hackqc.hostsite", p.host_site_id),
            round_id=clone.new_id("judging.round", p.round_id),
            **{name: getattr(p, name) for name in PRIZE_FIELDS},
        )
        for p in prizes
    )
    clone.remember("results.prize", prizes, copies)
    policy = AwardPolicy.objects.filter(edition=clone.source).first()
    if policy is not None:
        copy = AwardPolicy.objects.create(
            edition=clone.edition,
            require_repository=policy.require_repository,
            require_licence=policy.require_licence,
            ranking_round_id=clone.new_id("judging.round", policy.ranking_round_id),
        )
        clone.remember("results.awardpolicy", [policy], [copy])
    window = VoteWindow.objects.filter(edition=clone.source).first()
    if window is not None:
        copy = VoteWindow.objects.create(
            edition=clone.edition,
            prize_id=clone.new_id("results.prize", window.prize_id),
            opens_at=clone.moved(window.opens_at),
            closes_at=clone.moved(window.closes_at),
            updated_by=clone.by,
        )
        clone.remember("public_vote.votewindow", [window], [copy])


register_copier("results.prizes", copy_prizes, order=30)
