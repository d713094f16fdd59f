import uuid

import factory
from django.utils import timezone

from submissions.catalogue.ckan import strip_accents
from submissions.catalogue.models import (
    Dataset,
    Format,
    Group,
    Licence,
    Organization,
    Portal,
    SyncRun,
)
from submissions.catalogue.services import refresh_search_vectors


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
        skip_postgeneration_save = True

    portal = factory.SubFactory(PortalFactory)
    ckan_id = factory.LazyFunction(uuid.uuid4)
    name = factory.Sequence(lambda n: f"jeu-de-donnees-{n}")
    title = factory.Sequence(lambda n: f"Jeu de données {n}")
    organization = factory.SubFactory(OrganizationFactory, portal=factory.SelfAttribute("..portal"))
    description = "Un jeu de données publié sur Données Québec."
    tags = factory.LazyFunction(list)
    last_synced_at = factory.LazyFunction(timezone.now)
    search_text = factory.LazyAttribute(
        lambda o: strip_accents(
            " ".join([o.title, *o.tags, o.organization.title if o.organization else ""])
            + " "
            + o.description
        )
    )

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set(extracted)

    @factory.post_generation
    def formats(self, create, extracted, **kwargs):
        if create and extracted:
            self.formats.set(extracted)

    @factory.post_generation
    def search_index(self, create, extracted, **kwargs):
        """The PostgreSQL search vector, as the sync computes it."""
        if create:
            refresh_search_vectors([self.pk])


class LicenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Licence
        django_get_or_create = ("portal", "ckan_id")

    portal = factory.SubFactory(PortalFactory)
    ckan_id = "cc-by"
    title = "Creative Commons Attribution 4.0 (CC BY 4.0)"
    url = "https://creativecommons.org/licenses/by/4.0/"


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group
        django_get_or_create = ("portal", "name")

    portal = factory.SubFactory(PortalFactory)
    name = factory.Sequence(lambda n: f"groupe-{n}")
    title = factory.Sequence(lambda n: f"Groupe {n}")


class FormatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Format
        django_get_or_create = ("name",)

    name = "CSV"


class SyncRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SyncRun

    portal = factory.SubFactory(PortalFactory)
    trigger = SyncRun.Trigger.SITE
