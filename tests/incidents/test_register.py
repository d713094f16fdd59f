"""The register of confidentiality incidents: an edition's organizers keep theirs, staff the
whole site's; every write is in the audit log; outsiders see nothing of it."""

import datetime as dt

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from hackqc.incidents.models import Incident
from hackqc.incidents.services import record_incident, update_incident
from hackqc.models import AuditEntry
from tests.factories.core import EditionFactory, OrganizerRoleFactory, UserFactory
from tests.factories.judging import JudgeFactory

pytestmark = pytest.mark.django_db
FORMAT = "%Y-%m-%dT%H:%M"
NOW = timezone.now().replace(second=0, microsecond=0)


def _fields(**overrides):
    fields = {
        "title": "Courriel envoyé à la mauvaise liste",
        "circumstances": "L'annonce est partie à toutes les équipes.",
        "information_involved": "Adresses courriel",
        "occurred_at": NOW - dt.timedelta(days=2),
        "occurred_until": None,
        "discovered_at": NOW - dt.timedelta(days=1),
        "people_affected": "Les participants de l'édition",
        "people_count": 42,
        "serious_risk": False,
        "risk_assessment": "",
        "measures": "Excuses envoyées; liste corrigée.",
        "cai_notified_at": None,
        "people_notified_at": None,
    }
    fields.update(overrides)
    return fields


def _post_data(**overrides):
    data = {}
    for name, value in _fields(**overrides).items():
        if isinstance(value, dt.datetime):
            value = timezone.localtime(value).strftime(FORMAT)
        if value is None or value is False:
            continue
        data[name] = value
    return data


def _incident(edition, by, **overrides):
    return record_incident(edition=edition, by=by, **_fields(**overrides))


def test_organizer_records_an_incident_in_the_editions_register(client, organizer, edition):
    client.force_login(organizer)

    response = client.post(reverse("incidents:create", args=[edition.slug]), _post_data())

    incident = Incident.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("incidents:detail", args=[edition.slug, incident.pk])
    assert (incident.edition, incident.recorded_by, incident.people_count) == (
        edition,
        organizer,
        42,
    )
    assert incident.occurred_at == NOW - dt.timedelta(days=2)
    assert list(AuditEntry.objects.values_list("action", "actor", "edition", "target_label")) == [
        ("incident.recorded", organizer.pk, edition.pk, "Courriel envoyé à la mauvaise liste")
    ]
    page = client.get(response.url).content.decode()
    assert "Courriel envoyé à la mauvaise liste" in page
    assert "Excuses envoyées; liste corrigée." in page


def test_completing_an_incident_logs_the_fields_that_changed(client, organizer, edition):
    incident = _incident(edition, organizer, serious_risk=True)
    client.force_login(organizer)
    notified = NOW - dt.timedelta(hours=3)

    response = client.post(
        reverse("incidents:update", args=[edition.slug, incident.pk]),
        _post_data(serious_risk=True, cai_notified_at=notified, people_notified_at=notified),
    )

    incident.refresh_from_db()
    assert response.status_code == 302
    assert incident.cai_notified_at == incident.people_notified_at == notified
    updated = AuditEntry.objects.get(action="incident.updated")
    assert updated.details == {"changed": ["cai_notified_at", "people_notified_at"]}


def test_saving_without_change_writes_nothing(organizer, edition):
    incident = _incident(edition, organizer)

    update_incident(incident, by=organizer, **_fields())

    assert AuditEntry.objects.filter(action="incident.updated").count() == 0


def test_a_serious_risk_without_notices_is_flagged(client, organizer, edition):
    _incident(edition, organizer, serious_risk=True)
    _incident(edition, organizer, title="Sans gravité")
    client.force_login(organizer)

    page = client.get(reverse("incidents:list", args=[edition.slug])).content.decode()

    assert page.count("Avis à donner") == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"discovered_at": NOW - dt.timedelta(days=3)}, "discovered_at"),
        ({"occurred_until": NOW - dt.timedelta(days=3)}, "occurred_until"),
        ({"cai_notified_at": NOW - dt.timedelta(days=3)}, "cai_notified_at"),
        ({"title": "a\x00b"}, "title"),
        ({"people_count": "9" * 40}, "people_count"),
        ({"occurred_at": "2026-13-45T99:99"}, "occurred_at"),
    ],
)
def test_bad_input_is_refused_by_field_and_saves_nothing(
    client, organizer, edition, overrides, field
):
    client.force_login(organizer)

    response = client.post(
        reverse("incidents:create", args=[edition.slug]), _post_data(**overrides)
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert Incident.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_the_database_refuses_a_period_out_of_order(organizer, edition):
    with pytest.raises(IntegrityError):
        Incident.objects.create(
            edition=edition,
            recorded_by=organizer,
            **_fields(occurred_until=NOW - dt.timedelta(days=9)),
        )


def _outsiders(edition, outsider):
    return {
        "anonymous": None,
        "other team": outsider,
        "unassigned judge": JudgeFactory(edition=edition).user,
        "organizer of another edition": OrganizerRoleFactory(edition=EditionFactory()).user,
    }


def test_outsiders_see_nothing_of_an_editions_register(client, organizer, edition, outsider):
    incident = _incident(edition, organizer)
    names = ["list", "create"]
    for persona, user in _outsiders(edition, outsider).items():
        client.logout()
        if user is not None:
            client.force_login(user)
        answers = [client.get(reverse(f"incidents:{n}", args=[edition.slug])) for n in names]
        answers += [
            client.get(reverse(f"incidents:{n}", args=[edition.slug, incident.pk]))
            for n in ("detail", "update")
        ]
        answers.append(client.post(reverse("incidents:create", args=[edition.slug]), _post_data()))
        expected = {302} if user is None else {403, 404}
        assert {a.status_code for a in answers} <= expected, persona
        assert "Courriel envoyé" not in "".join(a.content.decode() for a in answers), persona
    assert Incident.objects.count() == 1


def test_another_editions_organizer_cannot_reach_it_through_their_own_edition(
    client, organizer, edition
):
    incident = _incident(edition, organizer)
    other = OrganizerRoleFactory(edition=EditionFactory())
    client.force_login(other.user)

    response = client.get(reverse("incidents:detail", args=[other.edition.slug, incident.pk]))

    assert response.status_code == 404


def test_the_whole_sites_register_is_for_staff(client, organizer, edition):
    staff = UserFactory(is_staff=True)
    _incident(edition, organizer, title="De l'édition")
    site_wide = _incident(None, staff, title="Sauvegarde égarée")

    client.force_login(organizer)
    refused = [
        client.get(reverse("incidents:site_list")).status_code,
        client.get(reverse("incidents:site_detail", args=[site_wide.pk])).status_code,
    ]
    client.force_login(staff)
    page = client.get(reverse("incidents:site_list")).content.decode()

    assert refused == [403, 403]
    assert "De l&#x27;édition" in page
    assert "Sauvegarde égarée" in page
    assert AuditEntry.objects.filter(edition=None, action="incident.recorded").count() == 1


def test_staff_record_a_site_wide_incident(client):
    staff = UserFactory(is_staff=True)
    client.force_login(staff)

    response = client.post(reverse("incidents:site_create"), _post_data())

    incident = Incident.objects.get()
    assert incident.edition is None
    assert response.url == reverse("incidents:site_detail", args=[incident.pk])


@pytest.mark.parametrize("count", [1, 3])
def test_register_list_queries_are_constant(
    client, organizer, edition, count, django_assert_num_queries
):
    for _ in range(count):
        _incident(edition, organizer)
    client.force_login(organizer)

    # Session, user, edition, organizer check, menu, count, page.
    with django_assert_num_queries(7):
        response = client.get(reverse("incidents:list", args=[edition.slug]))

    assert len(response.context["incidents"]) == count


def test_the_dashboard_links_the_register(client, organizer, edition):
    client.force_login(organizer)

    page = client.get(reverse("organize:dashboard", args=[edition.slug])).content.decode()

    assert f'href="{reverse("incidents:list", args=[edition.slug])}"' in page


def test_register_pages_are_accessible(client, organizer, edition):
    from tests.a11y import assert_accessible

    incident = _incident(edition, organizer, serious_risk=True)
    client.force_login(organizer)
    for name, args in [
        ("incidents:list", [edition.slug]),
        ("incidents:create", [edition.slug]),
        ("incidents:detail", [edition.slug, incident.pk]),
        ("incidents:update", [edition.slug, incident.pk]),
    ]:
        assert_accessible(client.get(reverse(name, args=args)))
