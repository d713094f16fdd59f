"""An edition's agenda: written by its organizers, read by participants on the edition page,
in Mon espace and in their calendar (.ics)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from icalendar import Calendar

from hackqc import agenda
from hackqc.models import AgendaItem
from tests.factories.core import EditionFactory, HostSiteFactory
from tests.factories.teams import RegistrationFactory


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield


def _item(edition, title="Atelier CKAN", hours=1, site=None, kind="workshop", **extra):
    starts = timezone.now() + dt.timedelta(hours=hours)
    return AgendaItem.objects.create(
        edition=edition,
        title=title,
        kind=kind,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
        host_site=site,
        **extra,
    )


def test_an_item_cannot_end_before_it_starts(edition, organizer):
    now = timezone.now()
    item = AgendaItem(edition=edition, title="x", starts_at=now, ends_at=now - dt.timedelta(1))

    with pytest.raises(ValidationError, match="end cannot come before"):
        agenda.save_agenda_item(item, by=organizer)

    assert not AgendaItem.objects.exists()


def test_an_item_cannot_be_at_a_site_of_another_edition(edition, organizer):
    now = timezone.now()
    item = AgendaItem(
        edition=edition,
        title="x",
        starts_at=now,
        ends_at=now,
        host_site=HostSiteFactory(edition=EditionFactory()),
    )

    with pytest.raises(ValidationError, match="another edition"):
        agenda.save_agenda_item(item, by=organizer)


def test_a_site_sees_its_items_and_those_of_every_site(edition):
    here, there = HostSiteFactory(edition=edition), HostSiteFactory(edition=edition)
    everyone = _item(edition, "Dîner", hours=1, kind="meal")
    local = _item(edition, "Mentorat", hours=2, site=here, kind="mentoring")
    _item(edition, "Ailleurs", hours=3, site=there)

    assert list(agenda.agenda_for(edition, here)) == [everyone, local]
    assert list(agenda.agenda_for(edition, None)) == [everyone]
    assert len(agenda.agenda_for(edition)) == 3


def test_organizer_adds_an_item_through_the_form(client, edition, organizer):
    site = HostSiteFactory(edition=edition)
    client.force_login(organizer)

    response = client.post(
        f"/en/organize/{edition.slug}/agenda/new/",
        {
            "kind": "pitch",
            "title": "Ordre de passage des pitchs",
            "starts_at": "2027-03-05T14:00",
            "ends_at": "2027-03-05T16:00",
            "host_site": site.pk,
            "location": "Salle B-204",
        },
    )

    assert response.status_code == 302
    item = AgendaItem.objects.get()
    assert (item.kind, item.host_site, item.location) == ("pitch", site, "Salle B-204")
    assert timezone.localtime(item.starts_at).hour == 14


def test_form_refuses_an_end_before_the_start_and_keeps_the_text(client, edition, organizer):
    client.force_login(organizer)

    response = client.post(
        f"/en/organize/{edition.slug}/agenda/new/",
        {
            "kind": "meal",
            "title": "Souper",
            "starts_at": "2027-03-05T18:00",
            "ends_at": "2027-03-05T17:00",
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "The end cannot come before the start." in page
    assert 'value="Souper"' in page
    assert not AgendaItem.objects.exists()


def test_organizer_edits_and_deletes_an_item(client, edition, organizer):
    item = _item(edition)
    client.force_login(organizer)
    url = f"/en/organize/{edition.slug}/agenda/{item.pk}/"
    data = {
        "kind": "workshop",
        "title": "Atelier pandas",
        "starts_at": "2027-03-05T10:00",
        "ends_at": "2027-03-05T11:00",
    }

    client.post(url, data)
    assert AgendaItem.objects.get().title == "Atelier pandas"
    client.post(url + "delete/")
    assert not AgendaItem.objects.exists()


def test_another_editions_organizer_cannot_touch_the_agenda(client, edition, other_organizer):
    item = _item(edition)
    client.force_login(other_organizer)

    assert client.get(f"/en/organize/{edition.slug}/agenda/").status_code == 403
    assert client.post(f"/en/organize/{edition.slug}/agenda/{item.pk}/delete/").status_code == 403
    assert AgendaItem.objects.filter(pk=item.pk).exists()


def test_an_item_of_another_edition_is_not_found(client, edition, organizer):
    elsewhere = _item(EditionFactory())
    client.force_login(organizer)

    response = client.post(f"/en/organize/{edition.slug}/agenda/{elsewhere.pk}/delete/")

    assert response.status_code == 404
    assert AgendaItem.objects.filter(pk=elsewhere.pk).exists()


def test_edition_page_shows_the_agenda(client, edition):
    _item(edition, "Atelier Données Québec", location="Salle 1")

    page = client.get(f"/en/editions/{edition.slug}/").content.decode()

    assert 'id="agenda"' in page
    assert "Atelier Données Québec" in page
    assert f"/en/editions/{edition.slug}/agenda.ics" in page


def test_agenda_ics_parses_and_keeps_one_sites_items(client, edition):
    here, there = (
        HostSiteFactory(edition=edition, name="Pôle Lévis"),
        HostSiteFactory(edition=edition),
    )
    meal = _item(edition, "Dîner", kind="meal")
    _item(edition, "Mentorat", site=here, location="Salle 3")
    _item(edition, "Ailleurs", site=there)

    response = client.get(f"/en/editions/{edition.slug}/agenda.ics?site={here.pk}")

    assert response["Content-Type"] == "text/calendar"
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["Dîner", "Mentorat"]
    assert str(events[1]["location"]) == "Salle 3, Pôle Lévis (Québec)"
    assert events[0]["dtstart"].dt == meal.starts_at.replace(microsecond=0)
    assert str(events[0]["uid"]) == f"{edition.slug}-agenda-{meal.pk}@hackqc"


def test_agenda_ics_of_everything_without_a_site(client, edition):
    _item(edition, "Dîner")
    _item(edition, "Mentorat", site=HostSiteFactory(edition=edition))

    response = client.get(f"/en/editions/{edition.slug}/agenda.ics")

    assert len(Calendar.from_ical(response.content).walk("VEVENT")) == 2


def test_space_shows_whats_coming_for_the_persons_site(client, edition):
    here = HostSiteFactory(edition=edition)
    person = RegistrationFactory(edition=edition, host_site=here)
    _item(edition, "Atelier ici", site=here)
    _item(edition, "Atelier ailleurs", site=HostSiteFactory(edition=edition))
    _item(edition, "Déjà fini", hours=-5)
    client.force_login(person.user)

    page = client.get("/en/space/").content.decode()

    assert "Coming up" in page
    assert "Atelier ici" in page
    assert "Atelier ailleurs" not in page
    assert "Déjà fini" not in page


def test_edition_page_agenda_costs_the_same_queries_for_one_or_three_items(client, edition):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = f"/en/editions/{edition.slug}/"
    counts = []
    for hour in range(3):
        _item(edition, f"Atelier {hour}", hours=hour + 1, site=HostSiteFactory(edition=edition))
        if hour in (0, 2):
            client.get(url)  # warm caches
            with CaptureQueriesContext(connection) as queries:
                page = client.get(url).content.decode()
            counts.append(len(queries))
    assert counts[0] == counts[1]
    assert all(f"Atelier {hour}" in page for hour in range(3))
