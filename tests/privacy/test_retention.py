"""Editions older than the retention period lose their personal data, not their results."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from hackqc.privacy.models import RetiredEdition
from hackqc.privacy.retention import anonymise_old_editions
from judging.models import Judge
from submissions.models import SubmissionVersion
from teams.models import Membership, Registration, Team
from tests.factories.core import EditionFactory, UserFactory
from tests.factories.teams import RegistrationFactory


@pytest.fixture
def old(judged, settings):
    """`judged`, moved four years back, and a newer edition in which the member registered."""
    settings.PRIVACY_RETENTION_YEARS = 3
    years = dt.timedelta(days=4 * 365)
    edition = judged.edition
    edition.refresh_from_db()
    for name in (
        "registration_opens",
        "registration_closes",
        "hacking_starts",
        "submissions_close",
        "judging_ends",
        "results_published",
    ):
        setattr(edition, name, getattr(edition, name) - years)
    edition.save()
    Registration.objects.filter(edition=edition).update(
        bio="Ma bio", organisation="Cégep de Rimouski", show_profile=True
    )
    get = type(judged.member).objects.filter
    get(pk__in=[judged.captain.pk, judged.solo.pk]).update(
        date_joined=timezone.now() - years, last_login=None
    )
    RegistrationFactory(edition=EditionFactory(), user=judged.member)
    return judged


def test_dry_run_says_what_it_would_do_and_changes_nothing(old, capsys):
    frozen = old.frozen()

    call_command("anonymise_old_editions", "--dry-run")

    out = capsys.readouterr().out
    assert f"[dry run] edition {old.edition.slug}" in out
    assert "teams.Registration: 3" in out
    assert "accounts erased: 2" in out
    assert Registration.objects.filter(edition=old.edition, bio="Ma bio").count() == 3
    assert not RetiredEdition.objects.exists()
    assert old.frozen() == frozen


def test_old_editions_are_anonymised_keeping_projects_teams_scores_and_results(old):
    frozen = old.frozen()
    names = [t.name for t in old.teams]

    lines = anonymise_old_editions()

    assert lines
    registrations = Registration.objects.filter(edition=old.edition)
    assert set(registrations.values_list("bio", "organisation", "show_profile")) == {
        ("", "", False)
    }
    assert RetiredEdition.objects.filter(edition=old.edition).exists()
    assert [t.name for t in Team.objects.filter(edition=old.edition).order_by("name")] == names
    assert Membership.objects.filter(edition=old.edition).count() == 3
    for version in SubmissionVersion.objects.filter(submission__edition=old.edition):
        assert version.data["team"].get("members", []) == []
    old.captain.refresh_from_db()
    old.member.refresh_from_db()
    assert old.captain.is_erased  # no role in a newer edition, unused since
    assert not old.member.is_erased  # registered in a newer edition
    assert old.frozen() == frozen
    assert anonymise_old_editions() == []  # once


def test_recent_editions_and_staff_are_left_alone(judged, settings):
    settings.PRIVACY_RETENTION_YEARS = 3
    staff = UserFactory(is_staff=True, date_joined=timezone.now() - dt.timedelta(days=4000))

    assert anonymise_old_editions() == []
    staff.refresh_from_db()
    assert not staff.is_erased
    assert Judge.objects.filter(edition=judged.edition).count() == 2
