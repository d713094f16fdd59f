import factory

from submissions.models import DatasetLink, Submission, SubmissionVersion

from .catalogue import DatasetFactory
from .teams import TeamFactory


class SubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Submission

    team = factory.SubFactory(TeamFactory)
    edition = factory.SelfAttribute("team.edition")
    title = factory.Sequence(lambda n: f"Projet {n}")
    pitch = "Une application qui rend les données utiles."


class DatasetLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DatasetLink

    submission = factory.SubFactory(SubmissionFactory)
    dataset = factory.SubFactory(DatasetFactory)
    usage = "Affiché sur la carte."


class SubmissionVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SubmissionVersion

    submission = factory.SubFactory(SubmissionFactory)
    number = factory.Sequence(lambda n: n + 1)
    data = factory.LazyAttribute(lambda o: {"title": o.submission.title})
