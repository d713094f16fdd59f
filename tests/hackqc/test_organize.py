"""Organizer pages: only the edition's organizers (and staff) may use them."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from hackqc.models import Challenge, Edition, EditionOrganizer, HostSite
from tests.factories.core import ChallengeFactory, HostSiteFactory, UserFactory


def login(client, user):
    client.force_login(user)
    return client


def organizer_urls(edition, challenge, site):
    slug = edition.slug
    return [
        reverse("organize:dashboard", args=[slug]),
        reverse("organize:edition_update", args=[slug]),
        reverse("organize:challenge_create", args=[slug]),
        reverse("organize:challenge_update", args=[slug, challenge.pk]),
        reverse("organize:site_create", args=[slug]),
        reverse("organize:site_update", args=[slug, site.pk]),
    ]


@pytest.fixture
def challenge(edition):
    return ChallengeFactory(edition=edition, number=1, title="Mobilité")


@pytest.fixture
def site(edition):
    return HostSiteFactory(edition=edition, name="Pôle de Québec")


def test_anonymous_is_sent_to_login(client, edition, challenge, site):
    for url in organizer_urls(edition, challenge, site):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize("persona", ["participant", "outsider", "judge", "other_organizer"])
def test_non_organizers_are_refused(client, edition, challenge, site, persona, request):
    login(client, request.getfixturevalue(persona))
    for url in organizer_urls(edition, challenge, site):
        assert client.get(url).status_code == 403, url
    delete = reverse("organize:challenge_delete", args=[edition.slug, challenge.pk])
    assert client.post(delete).status_code == 403
    assert Challenge.objects.filter(pk=challenge.pk).exists()


@pytest.mark.parametrize("persona", ["organizer", "staff"])
def test_organizers_and_staff_reach_every_page(client, edition, challenge, site, persona, request):
    login(client, request.getfixturevalue(persona))
    for url in organizer_urls(edition, challenge, site):
        assert client.get(url).status_code == 200, url


def test_dashboard_shows_challenges_sites_and_organizers(
    client, organizer, edition, challenge, site
):
    page = login(client, organizer).get(reverse("organize:dashboard", args=[edition.slug]))
    text = page.content.decode()
    assert "Mobilité" in text
    assert "Pôle de Québec" in text
    assert organizer.email in text


def test_organizer_list_shows_only_own_editions(client, organizer, other_organizer, edition):
    other_edition = EditionOrganizer.objects.get(user=other_organizer).edition
    text = login(client, organizer).get(reverse("organize:editions")).content.decode()
    assert edition.name in text
    assert other_edition.name not in text


def timeline_post(edition, **changes):
    fmt = "%Y-%m-%dT%H:%M"
    data = {
        "year": edition.year,
        "slug": edition.slug,
        "name": edition.name,
        "theme": edition.theme,
        "description": "",
        "team_size_min": 4,
        "team_size_max": 6,
        "min_datasets": 1,
    }
    for name in (
        "registration_opens",
        "registration_closes",
        "hacking_starts",
        "submissions_close",
        "judging_ends",
    ):
        data[name] = getattr(edition, name).astimezone(edition_tz()).strftime(fmt)
    data.update(changes)
    return data


def edition_tz():
    from zoneinfo import ZoneInfo

    return ZoneInfo("America/Montreal")


def test_edition_form_refuses_dates_out_of_order_next_to_the_field(client, organizer, edition):
    before = Edition.objects.get(pk=edition.pk)
    data = timeline_post(edition, hacking_starts="2000-01-01T09:00", name="Renamed")
    response = login(client, organizer).post(
        reverse("organize:edition_update", args=[edition.slug]), data
    )
    assert response.status_code == 200
    assert "hacking_starts" in response.context["form"].errors
    after = Edition.objects.get(pk=edition.pk)
    assert after.name == before.name
    assert after.hacking_starts == before.hacking_starts


def test_edition_form_reads_dates_in_quebec_time(client, organizer, edition):
    import datetime as dt

    data = timeline_post(edition, submissions_close=None)
    data["judging_ends"] = "2099-12-31T17:00"
    data["submissions_close"] = "2099-07-01T12:00"
    response = login(client, organizer).post(
        reverse("organize:edition_update", args=[edition.slug]), data
    )
    assert response.status_code == 302
    edition.refresh_from_db()
    # Noon in July is EDT (UTC-4).
    assert edition.submissions_close == dt.datetime(2099, 7, 1, 16, tzinfo=dt.UTC)


def test_only_staff_create_editions(client, organizer, staff, edition):
    url = reverse("organize:edition_create")
    assert login(client, organizer).get(url).status_code == 403
    data = timeline_post(edition, slug="hackqc-2099", name="HackQC 2099", year=2099)
    response = login(client, staff).post(url, data)
    assert response.status_code == 302
    created = Edition.objects.get(slug="hackqc-2099")
    assert set(created.organizer_roles.values_list("user__email", flat=True)) == {staff.email}


def test_challenge_number_must_be_unique_in_the_edition(client, organizer, edition, challenge):
    response = login(client, organizer).post(
        reverse("organize:challenge_create", args=[edition.slug]),
        {"number": challenge.number, "title": "Doublon", "partner": "Hydro-Québec"},
    )
    assert response.status_code == 200
    assert "number" in response.context["form"].errors
    assert list(Challenge.objects.filter(edition=edition).values_list("title", flat=True)) == [
        "Mobilité"
    ]


def test_organizer_adds_edits_and_deletes_a_challenge(client, organizer, edition):
    login(client, organizer)
    client.post(
        reverse("organize:challenge_create", args=[edition.slug]),
        {"number": 7, "title": "Santé", "partner": "MSSS", "description": "Accès aux soins"},
    )
    challenge = Challenge.objects.get(edition=edition, number=7)
    client.post(
        reverse("organize:challenge_update", args=[edition.slug, challenge.pk]),
        {"number": 7, "title": "Santé en région", "partner": "MSSS"},
    )
    challenge.refresh_from_db()
    assert challenge.title == "Santé en région"
    client.post(reverse("organize:challenge_delete", args=[edition.slug, challenge.pk]))
    assert not Challenge.objects.filter(pk=challenge.pk).exists()


def test_challenge_of_another_edition_is_404(client, organizer, edition, other_organizer):
    foreign = ChallengeFactory(edition=EditionOrganizer.objects.get(user=other_organizer).edition)
    login(client, organizer)
    url = reverse("organize:challenge_update", args=[edition.slug, foreign.pk])
    assert client.get(url).status_code == 404


def test_organizer_adds_a_host_site(client, organizer, edition):
    login(client, organizer).post(
        reverse("organize:site_create", args=[edition.slug]),
        {"name": "Pôle de Gatineau", "city": "Gatineau", "address": ""},
    )
    assert list(HostSite.objects.filter(edition=edition).values_list("city", flat=True)) == [
        "Gatineau"
    ]


def test_organizer_grants_and_revokes_the_role(client, organizer, edition):
    newcomer = UserFactory(email="new@example.org")
    login(client, organizer).post(
        reverse("organize:organizer_add", args=[edition.slug]), {"email": "NEW@example.org"}
    )
    role = EditionOrganizer.objects.get(edition=edition, user=newcomer)
    client.post(reverse("organize:organizer_remove", args=[edition.slug, role.pk]))
    assert not EditionOrganizer.objects.filter(edition=edition, user=newcomer).exists()


def test_organizer_cannot_remove_themself(client, organizer, edition):
    role = EditionOrganizer.objects.get(edition=edition, user=organizer)
    login(client, organizer).post(
        reverse("organize:organizer_remove", args=[edition.slug, role.pk])
    )
    assert EditionOrganizer.objects.filter(pk=role.pk).exists()


def test_granting_an_unknown_address_changes_nothing(client, organizer, edition):
    login(client, organizer).post(
        reverse("organize:organizer_add", args=[edition.slug]), {"email": "ghost@example.org"}
    )
    assert EditionOrganizer.objects.filter(edition=edition).count() == 1


def test_health_page_is_for_staff(client, staff, organizer, db):
    from hackqc.services import record_heartbeat

    record_heartbeat(hostname="celery@worker-1")
    assert login(client, organizer).get(reverse("organize:health")).status_code == 403
    page = login(client, staff).get(reverse("organize:health")).content.decode()
    assert "celery@worker-1" in page


def test_new_organizer_is_mailed_once_in_their_language(
    client, organizer, edition, mailoutbox, django_capture_on_commit_callbacks
):
    newcomer = UserFactory(email="new@example.org", preferred_language="en")
    login(client, organizer)
    url = reverse("organize:organizer_add", args=[edition.slug])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"email": newcomer.email})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"email": newcomer.email})
    assert [m.to for m in mailoutbox] == [["new@example.org"]]
    assert mailoutbox[0].subject == f"[HackQC] You now organize {edition.name}"
    assert f"/en/organize/{edition.slug}/" in mailoutbox[0].body


def test_deleting_a_challenge_in_use_is_refused_with_a_message(client, organizer, edition, team):
    challenge = ChallengeFactory(edition=edition, number=9, title="Utilisé")
    team.challenge = challenge
    team.save()
    response = login(client, organizer).post(
        reverse("organize:challenge_delete", args=[edition.slug, challenge.pk]), follow=True
    )
    assert response.status_code == 200
    assert Challenge.objects.filter(pk=challenge.pk).exists()
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_deleting_a_host_site_in_use_is_refused_with_a_message(client, organizer, edition, team):
    site = HostSiteFactory(edition=edition, name="Pôle utilisé")
    team.host_site = site
    team.save()
    response = login(client, organizer).post(
        reverse("organize:site_delete", args=[edition.slug, site.pk]), follow=True
    )
    assert response.status_code == 200
    assert HostSite.objects.filter(pk=site.pk).exists()


def test_a_passed_deadline_cannot_move(client, organizer, db):
    from hackqc.models import Phase
    from tests.factories.core import EditionFactory, OrganizerRoleFactory

    judged = EditionFactory(phase=Phase.RESULTS)
    OrganizerRoleFactory(edition=judged, user=organizer)
    before = judged.submissions_close
    data = timeline_post(judged, submissions_close="2099-01-01T12:00")
    data["judging_ends"] = "2099-02-01T12:00"
    response = login(client, organizer).post(
        reverse("organize:edition_update", args=[judged.slug]), data
    )
    assert response.status_code == 200
    assert "submissions_close" in response.context["form"].errors
    judged.refresh_from_db()
    assert judged.submissions_close == before


def test_organizer_still_edits_other_fields_after_the_deadline(client, organizer, db):
    from hackqc.models import Phase
    from tests.factories.core import EditionFactory, OrganizerRoleFactory

    judged = EditionFactory(phase=Phase.RESULTS)
    OrganizerRoleFactory(edition=judged, user=organizer)
    response = login(client, organizer).post(
        reverse("organize:edition_update", args=[judged.slug]),
        timeline_post(judged, name="HackQC renommé"),
    )
    assert response.status_code == 302
    judged.refresh_from_db()
    assert judged.name == "HackQC renommé"


def test_a_future_deadline_cannot_move_into_the_past(client, organizer, db):
    """Issue 11: moving the deadline back to yesterday would leave out of the jury the
    versions submitted since; the form says so and nothing moves."""
    from hackqc.models import Phase
    from tests.factories.core import EditionFactory, OrganizerRoleFactory

    hacking = EditionFactory(phase=Phase.HACKING)
    OrganizerRoleFactory(edition=hacking, user=organizer)
    before = hacking.submissions_close
    yesterday = timezone.localtime(timezone.now() - dt.timedelta(days=1))
    data = timeline_post(hacking, submissions_close=yesterday.strftime("%Y-%m-%dT%H:%M"))
    data["hacking_starts"] = (yesterday - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")

    response = login(client, organizer).post(
        reverse("organize:edition_update", args=[hacking.slug]), data
    )

    assert response.status_code == 200
    assert response.context["form"].errors["submissions_close"] == [
        "La date limite ne peut pas être reculée dans le passé\u00a0: cela changerait les "
        "versions que le jury évalue. Choisissez un moment à venir."
    ]
    hacking.refresh_from_db()
    assert hacking.submissions_close == before


def test_update_edition_refuses_a_past_deadline_even_on_a_changed_instance(organizer, db):
    """The service compares with the stored deadline, not with the instance a form changed."""
    from django.core.exceptions import ValidationError

    from hackqc.models import Phase
    from hackqc.services import update_edition
    from tests.factories.core import EditionFactory

    hacking = EditionFactory(phase=Phase.HACKING)
    before = hacking.submissions_close
    past = timezone.now() - dt.timedelta(hours=1)
    hacking.submissions_close = past

    with pytest.raises(ValidationError) as refused:
        update_edition(hacking, by=organizer, submissions_close=past)

    assert list(refused.value.error_dict) == ["submissions_close"]
    hacking.refresh_from_db()
    assert hacking.submissions_close == before
    later = before + dt.timedelta(days=1)
    assert update_edition(hacking, by=organizer, submissions_close=later).submissions_close == later
