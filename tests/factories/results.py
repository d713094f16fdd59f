import factory

from judging.results.models import AwardPolicy, Prize

from .core import EditionFactory


class AwardPolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AwardPolicy
        django_get_or_create = ("edition",)

    edition = factory.SubFactory(EditionFactory)
    require_repository = True
    require_licence = True


class PrizeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Prize

    edition = factory.SubFactory(EditionFactory)
    name = factory.Sequence(lambda n: f"Prix {n + 1}")
    sponsor = "Ville de Québec"
    reward = "1 000 $"
    places = 1
    priority = factory.Sequence(lambda n: n + 1)
