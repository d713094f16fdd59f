import factory

from submissions.models import DatasetLink, Library, Submission, SubmissionVersion, Technology

from .catalogue import DatasetFactory
from .teams import TeamFactory


class SubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Submission
        skip_postgeneration_save = True

    team = factory.SubFactory(TeamFactory)
    edition = factory.SelfAttribute("team.edition")
    title = factory.Sequence(lambda n: f"Projet {n}")
    pitch = "Une application qui rend les données utiles."

    class Params:
        complete = factory.Trait(
            description="Une **carte** des données.",
            achievements="Un prototype fonctionnel.",
            difficulties="Les formats; la carte fonctionne.",
            lessons="Lire la documentation des données.",
            next_steps="Publier l'application.",
            repository_url="https://github.com/hackqc/projet",
            licence="MIT",
        )

    @factory.post_generation
    def with_dataset(self, create, extracted, **kwargs):
        """`SubmissionFactory(complete=True, with_dataset=True)` links a dataset and a
        technology, so the sheet is eligible."""
        if create and extracted:
            DatasetLinkFactory(submission=self)
            technology, _created = Technology.objects.get_or_create(name="Python")
            self.technologies.add(technology)


class DatasetLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DatasetLink

    submission = factory.SubFactory(SubmissionFactory)
    dataset = factory.SubFactory(DatasetFactory)
    usage = "Affiché sur la carte."


class LibraryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Library

    submission = factory.SubFactory(SubmissionFactory)
    name = factory.Sequence(lambda n: f"lib{n}")
    version = "1.0"


class SubmissionVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SubmissionVersion

    submission = factory.SubFactory(SubmissionFactory)
    number = factory.Sequence(lambda n: n + 1)
    data = factory.LazyAttribute(lambda o: {"title": o.submission.title})


def record_submitted_version(submission, *, submitted_at=None):
    """Stores a version of `submission` as it stands (data and relational copies), the way
    `submit_project` does, without its eligibility checks: for tests of what reads versions."""
    from django.utils import timezone

    from submissions.services import NewVersion, store_versions

    at = submitted_at or min(timezone.now(), submission.edition.submissions_close)
    [version] = store_versions([NewVersion(submission=submission, submitted_at=at)])
    return version
