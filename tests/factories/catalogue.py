import uuid

import factory

from submissions.catalogue.models import Dataset, Organization, Portal


class PortalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Portal
        django_get_or_create = ("name",)

    name = "donnees-quebec"
    title = "Données Québec"
    api_url = "https://www.donneesquebec.ca/recherche/api/3/action/"
    dataset_url_pattern = "https://www.donneesquebec.ca/recherche/dataset/{name}"


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    portal = factory.SubFactory(PortalFactory)
    ckan_id = factory.LazyFunction(lambda: str(uuid.uuid4()))
    name = factory.Sequence(lambda n: f"organisation-{n}")
    title = factory.Sequence(lambda n: f"Organisation {n}")


class DatasetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dataset

    portal = factory.SubFactory(PortalFactory)
    ckan_id = factory.LazyFunction(uuid.uuid4)
    name = factory.Sequence(lambda n: f"jeu-de-donnees-{n}")
    title = factory.Sequence(lambda n: f"Jeu de données {n}")
    organization = factory.SubFactory(OrganizationFactory, portal=factory.SelfAttribute("..portal"))
