import datetime as dt
import secrets

import factory
from django.utils import timezone
from django.utils.text import slugify

from teams.models import Invitation, JoinRequest, Membership, Registration, Skill, Team

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

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # The database refuses a member who is not a registered participant: register first.
        Registration.objects.get_or_create(
            edition=kwargs["edition"], user=kwargs["user"], defaults={"role": "participant"}
        )
        return super()._create(model_class, *args, **kwargs)


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Compétence {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class InvitationFactory(factory.django.DjangoModelFactory):
    """A pending invitation that expires in a week."""

    class Meta:
        model = Invitation

    team = factory.SubFactory(TeamFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    token = factory.LazyFunction(lambda: secrets.token_urlsafe(32))
    expires_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))


class JoinRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JoinRequest

    team = factory.SubFactory(TeamFactory)
    user = factory.SubFactory(UserFactory)


def fill_team(team, size):
    """Adds registered participants to `team` until it has `size` members."""
    for _i in range(size - team.memberships.count()):
        MembershipFactory(team=team)
    return team
