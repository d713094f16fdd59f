import datetime as dt

import factory
from django.utils import timezone

from hackqc.models import Challenge, Edition, EditionOrganizer, HostSite, Phase, User

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Faker("name", locale="fr_CA")
    preferred_language = "fr"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """Marks the address verified (allauth), so the user can log in; pass False not to."""
        from allauth.account.models import EmailAddress

        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
        if create:
            self.save()


# Offsets from now, in days, of each timeline date, per phase the edition should be in.
_PHASE_OFFSETS = {
    Phase.UPCOMING: (5, 20, 30, 40, 50),
    Phase.REGISTRATION: (-5, 10, 20, 30, 40),
    Phase.PREPARATION: (-20, -2, 5, 15, 25),
    Phase.HACKING: (-30, -10, -2, 5, 15),
    Phase.JUDGING: (-40, -20, -12, -2, 10),
    Phase.DELIBERATION: (-50, -30, -20, -10, -2),
    Phase.RESULTS: (-60, -40, -30, -20, -10),
}


def timeline_for(phase, now=None):
    """Timeline fields that put an edition in `phase` at `now`."""
    now = now or timezone.now()
    names = (
        "registration_opens",
        "registration_closes",
        "hacking_starts",
        "submissions_close",
        "judging_ends",
    )
    fields = {
        name: now + dt.timedelta(days=offset)
        for name, offset in zip(names, _PHASE_OFFSETS[Phase(phase)], strict=True)
    }
    fields["results_published"] = now - dt.timedelta(days=5) if phase == Phase.RESULTS else None
    return fields


class EditionFactory(factory.django.DjangoModelFactory):
    """An edition in a given phase: `EditionFactory(phase=Phase.HACKING)`; default registration."""

    class Meta:
        model = Edition

    class Params:
        phase = Phase.REGISTRATION

    year = factory.LazyFunction(lambda: timezone.now().year)
    slug = factory.Sequence(lambda n: f"hackqc-{n}")
    name = factory.Sequence(lambda n: f"HackQC {n}")
    theme = "Données ouvertes"
    # Published, as every edition was before drafts existed; `status=Edition.Status.DRAFT`
    # for a draft.
    status = Edition.Status.PUBLISHED

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        phase = kwargs.pop("phase", Phase.REGISTRATION)
        timeline = timeline_for(phase)
        for name, value in timeline.items():
            kwargs.setdefault(name, value)
        return kwargs


class ChallengeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Challenge

    edition = factory.SubFactory(EditionFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Défi {n + 1}")
    partner = "Ville de Montréal"


class HostSiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HostSite

    edition = factory.SubFactory(EditionFactory)
    name = factory.Sequence(lambda n: f"Pôle {n}")
    city = "Québec"


class OrganizerRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EditionOrganizer

    edition = factory.SubFactory(EditionFactory)
    user = factory.SubFactory(UserFactory)
