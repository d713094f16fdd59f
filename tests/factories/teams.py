import factory

from teams.models import Membership, Registration, Team

from .core import EditionFactory, UserFactory


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    edition = factory.SubFactory(EditionFactory)
    user = factory.SubFactory(UserFactory)
    role = Registration.Role.PARTICIPANT
    organisation = "Université Laval"


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    edition = factory.SubFactory(EditionFactory)
    name = factory.Sequence(lambda n: f"Équipe {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    """A member, registered as a participant of the team's edition."""

    class Meta:
        model = Membership
        skip_postgeneration_save = True

    team = factory.SubFactory(TeamFactory)
    edition = factory.SelfAttribute("team.edition")
    user = factory.SubFactory(UserFactory)
    is_captain = False

    @factory.post_generation
    def registered(self, create, extracted, **kwargs):
        if create and extracted is not False:
            Registration.objects.get_or_create(
                edition=self.edition, user=self.user, defaults={"role": "participant"}
            )
