from django.core.management import call_command
from django.forms.models import model_to_dict

from hackqc import demo as core_demo
from judging.models import Review, Round
from judging.results import demo
from judging.results.models import Announcement, Award, AwardPolicy, Prize, ResultSnapshot
from submissions.models import Submission
from tests.factories.judging import CriterionFactory, JudgeFactory, RoundFactory
from tests.factories.submissions import SubmissionFactory
from tests.factories.teams import TeamFactory

MODELS = (AwardPolicy, Prize, ResultSnapshot, Award, Announcement)


def table_state():
    return {m.__name__: [model_to_dict(o) for o in m.objects.order_by("pk")] for m in MODELS}


def test_seed_demo_twice_changes_nothing(db):
    call_command("seed_demo")
    first = table_state()
    call_command("seed_demo")
    assert table_state() == first
    assert {p["name"] for p in first["Prize"]} == {p["name"] for p in demo.PRIZES}


def test_demo_publishes_results_from_a_scored_final_round(db):
    call_command("seed_demo")
    edition = core_demo.editions()["past"]
    Prize.objects.filter(edition=edition).update(round=None)
    final = Round.objects.filter(edition=edition).order_by("-number").first() or RoundFactory(
        edition=edition, number=9, name="Finale"
    )
    Review.objects.filter(round=final).delete()
    criteria = list(final.criteria.all()) or [CriterionFactory(round=final, weight=1)]
    judge = JudgeFactory(edition=edition)
    for value in (9, 8, 7, 6):
        submission = SubmissionFactory(
            team=TeamFactory(edition=edition),
            state=Submission.State.SUBMITTED,
            repository_url="https://github.com/hackqc/demo",
            licence="MIT",
        )
        review = Review.objects.create(
            round=final, judge=judge, submission=submission, state=Review.State.SUBMITTED
        )
        for criterion in criteria:
            review.scores.create(criterion=criterion, value=min(value, criterion.max_value))
    call_command("seed_demo")
    edition.refresh_from_db()

    snapshot = ResultSnapshot.objects.get(edition=edition)
    assert snapshot.state == ResultSnapshot.State.PUBLISHED
    calendar = core_demo.timeline()
    assert edition.results_published == demo.published_at(calendar)
    computed = demo.computed_at(calendar)
    assert (snapshot.computed_at, snapshot.approved_at) == (computed, computed)
    assert Award.objects.filter(
        snapshot=snapshot, place=1, prize__name="Grand prix HackQC"
    ).exists()
    assert not Announcement.objects.exists()

    state = table_state()
    call_command("seed_demo")
    assert table_state() == state
