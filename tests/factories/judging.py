import datetime as dt

import factory
from django.utils import timezone

from judging.models import Assignment, Criterion, Judge, Review, Round, Score

from .core import EditionFactory, UserFactory
from .submissions import SubmissionFactory


class JudgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Judge

    edition = factory.SubFactory(EditionFactory)
    user = factory.SubFactory(UserFactory)
    organisation = "Ministère de la Cybersécurité et du Numérique"
    accepted_at = factory.LazyFunction(timezone.now)


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Round

    edition = factory.SubFactory(EditionFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Ronde {n + 1}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    round = factory.SubFactory(RoundFactory)
    name = factory.Sequence(lambda n: f"Critère {n}")
    weight = 1.0
    order = factory.Sequence(lambda n: n)


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    round = factory.SubFactory(RoundFactory)
    judge = factory.SubFactory(JudgeFactory, edition=factory.SelfAttribute("..round.edition"))
    submission = factory.SubFactory(
        SubmissionFactory, team__edition=factory.SelfAttribute("...round.edition")
    )


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    round = factory.SubFactory(RoundFactory)
    judge = factory.SubFactory(JudgeFactory, edition=factory.SelfAttribute("..round.edition"))
    submission = factory.SubFactory(
        SubmissionFactory, team__edition=factory.SelfAttribute("...round.edition")
    )


class ScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Score

    review = factory.SubFactory(ReviewFactory)
    criterion = factory.SubFactory(CriterionFactory, round=factory.SelfAttribute("..review.round"))
    value = 7.0
