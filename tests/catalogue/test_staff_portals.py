"""Staff manage the CKAN portals from /organize/portals/: add, edit, enable or disable, sync
now, the runs. Every write is a service that checks staff, refuses addresses the sync must not
fetch (SSRF) and writes the audit log."""

import socket
import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import translation

from hackqc.models import AuditEntry
from submissions.catalogue import addresses, services
from submissions.catalogue.models import Portal, SyncRun
from submissions.catalogue.tasks import task_sync_datasets
from tests.factories.catalogue import PortalFactory, SyncRunFactory
from tests.factories.core import UserFactory

PUBLIC = "https://8.8.8.8/api/3/action/"
FIELDS = {
    "name": "ottawa",
    "title": "Ville d'Ottawa",
    "api_url": PUBLIC,
    "dataset_url_pattern": "https://8.8.8.8/dataset/{name}",
}


@pytest.fixture(autouse=True)
def _english_messages():
    with translation.override("en"):
        yield


@pytest.fixture
def no_queue(monkeypatch):
    monkeypatch.setattr(task_sync_datasets, "delay", lambda **kwargs: None)


# The services -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_staff_add_a_portal_and_the_log_says_so(staff):
    portal = services.create_portal(by=staff, **FIELDS)

    assert Portal.objects.get(name="ottawa").title == "Ville d'Ottawa"
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.target_id) == (
        "catalogue.portal_created",
        staff,
        str(portal.pk),
    )
    assert entry.details == {"api_url": PUBLIC}


@pytest.mark.django_db
def test_an_organizer_who_is_not_staff_cannot_add_change_or_disable_a_portal(organizer):
    portal = PortalFactory()

    with pytest.raises(services.StaffOnlyError):
        services.create_portal(by=organizer, **FIELDS)
    with pytest.raises(services.StaffOnlyError):
        services.update_portal(portal, by=organizer, title="Autre")
    with pytest.raises(services.StaffOnlyError):
        services.set_portal_enabled(portal, by=organizer, enabled=False)

    portal.refresh_from_db()
    assert (Portal.objects.count(), portal.title, portal.is_enabled) == (1, "Données Québec", True)
    # (the default portal, created by a migration, is the only one)
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://8.8.8.8/api/3/action/", "The address must start with https://."),
        ("ftp://8.8.8.8/", "The address must start with https://."),
        ("javascript:alert(1)", "The address must start with https://."),
        ("https://user:secret@8.8.8.8/", "The address must not hold a user name or password."),
        ("https://127.0.0.1/api/", "The host 127.0.0.1 is a private or local address"),
        ("https://10.0.0.5/api/", "The host 10.0.0.5 is a private or local address"),
        ("https://169.254.169.254/latest/", "The host 169.254.169.254 is a private or local"),
        ("https://[::1]/api/", "The host ::1 is a private or local address"),
        ("https://[::ffff:127.0.0.1]/", "The host ::ffff:127.0.0.1 is a private or local"),
        ("https://0.0.0.0/", "The host 0.0.0.0 is a private or local address"),
    ],
)
def test_addresses_the_sync_must_not_fetch_are_refused(staff, url, message):
    with pytest.raises(addresses.PortalAddressError, match=message.replace(".", r"\.")) as exc:
        services.create_portal(by=staff, **{**FIELDS, "api_url": url})

    assert exc.value.field == "api_url"
    assert not Portal.objects.filter(name="ottawa").exists()


@pytest.mark.django_db
def test_a_host_name_that_resolves_to_a_private_address_is_refused(staff, monkeypatch):
    monkeypatch.setattr(addresses, "resolve", lambda host: ["93.184.216.34", "192.168.1.10"])

    with pytest.raises(addresses.PortalAddressError, match="private or local"):
        services.create_portal(by=staff, **{**FIELDS, "api_url": "https://rebind.example/api/"})


@pytest.mark.django_db
def test_a_host_name_that_does_not_resolve_is_refused(staff, monkeypatch):
    def unknown(host):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(addresses, "resolve", unknown)

    with pytest.raises(addresses.PortalAddressError, match="could not be found"):
        services.create_portal(by=staff, **{**FIELDS, "api_url": "https://nowhere.invalid/"})


@pytest.mark.django_db
def test_local_addresses_are_allowed_on_a_developers_machine(staff, settings):
    settings.DEBUG = True

    portal = services.create_portal(by=staff, **{**FIELDS, "api_url": "http://localhost:5000/"})

    assert portal.api_url == "http://localhost:5000/"


@pytest.mark.django_db
def test_the_dataset_link_pattern_must_be_an_address_with_the_name(staff):
    with pytest.raises(services.HackQCError, match="must hold") as exc:
        services.create_portal(by=staff, **{**FIELDS, "dataset_url_pattern": "https://8.8.8.8/"})
    assert exc.value.field == "dataset_url_pattern"
    with pytest.raises(addresses.PortalAddressError):
        services.create_portal(
            by=staff, **{**FIELDS, "dataset_url_pattern": "javascript:alert('{name}')"}
        )


@pytest.mark.django_db
def test_update_logs_the_fields_changed_and_nothing_when_nothing_changed(staff):
    portal = services.create_portal(by=staff, **FIELDS)

    services.update_portal(portal, by=staff, title="Ottawa", api_url="https://8.8.4.4/api/")
    services.update_portal(portal, by=staff, title="Ottawa")

    entries = AuditEntry.objects.filter(action="catalogue.portal_updated")
    assert [e.details for e in entries] == [
        {"fields": ["api_url", "title"], "api_url": "https://8.8.4.4/api/"}
    ]


@pytest.mark.django_db
def test_a_second_portal_cannot_take_a_name(staff):
    PortalFactory(name="ottawa")

    with pytest.raises(services.HackQCError, match=r"^Another portal has this name\.$") as exc:
        services.create_portal(by=staff, **FIELDS)

    assert exc.value.field == "name"


@pytest.mark.django_db
def test_a_disabled_portal_is_neither_synced_on_request_nor_at_night(staff, no_queue):
    portal = PortalFactory()
    services.set_portal_enabled(portal, by=staff, enabled=False)
    services.set_portal_enabled(portal, by=staff, enabled=False)

    with pytest.raises(services.PortalDisabledError):
        services.request_sync(portal, by=staff)
    assert task_sync_datasets(portal=portal.name) is None

    assert SyncRun.objects.count() == 0
    assert list(AuditEntry.objects.values_list("action", flat=True)) == [
        "catalogue.portal_disabled"
    ]


@pytest.mark.django_db
def test_sync_now_queues_one_run_and_logs_it(staff, no_queue):
    portal = PortalFactory()

    run = services.request_sync(portal, by=staff, full=True)

    entry = AuditEntry.objects.get()
    assert (entry.action, entry.details) == (
        "catalogue.sync_requested",
        {"run": run.pk, "full": True},
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sync_now_clicks_at_once_make_one_run(no_queue):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's concurrent transactions")
    staff = UserFactory(is_staff=True)
    portal = PortalFactory()
    barrier, outcomes = threading.Barrier(2), []

    def click():
        barrier.wait()
        try:
            outcomes.append(services.request_sync(portal, by=staff).status)
        except services.SyncAlreadyRunningError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["pending", "refused"]
    assert SyncRun.objects.count() == 1
    assert AuditEntry.objects.filter(action="catalogue.sync_requested").count() == 1


# The pages --------------------------------------------------------------------------------


@pytest.fixture
def staff_client(staff):
    client = Client(enforce_csrf_checks=False)
    client.force_login(staff)
    return client


@pytest.mark.django_db
def test_the_list_shows_each_portal_with_its_last_run_in_constant_queries(
    staff_client, django_assert_num_queries
):
    def shown():
        with django_assert_num_queries(5):
            return staff_client.get(reverse("portals:list"))

    Portal.objects.exclude(name="donnees-quebec").delete()
    first = PortalFactory()
    SyncRunFactory(portal=first, status="failed", errors=[{"error": "Timeout"}])
    one = shown()
    for n in range(2):
        SyncRunFactory(portal=PortalFactory(name=f"p{n}", title=f"Portail {n}"), created=7)
    three = shown()

    assert [p.last_run.status for p in one.context["portals"]] == ["failed"]
    assert len(three.context["portals"]) == 3
    assert "1 error" in one.content.decode()


@pytest.mark.django_db
def test_adding_a_portal_by_the_form(staff_client):
    response = staff_client.post(reverse("portals:create"), FIELDS)

    portal = Portal.objects.get(name="ottawa")
    assert response.url == reverse("portals:list") + f"#portal-{portal.pk}"


@pytest.mark.django_db
def test_a_refused_address_keeps_what_was_typed(staff_client):
    typed = {**FIELDS, "title": "Mon portail à moi", "api_url": "https://127.0.0.1/api/"}

    response = staff_client.post(reverse("portals:create"), typed)

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "api_url": ["The host 127.0.0.1 is a private or local address: the sync may not read it."]
    }
    html = response.content.decode()
    assert 'value="Mon portail à moi"' in html
    assert 'value="https://127.0.0.1/api/"' in html
    assert not Portal.objects.filter(name="ottawa").exists()


@pytest.mark.django_db
def test_a_second_click_on_sync_now_says_a_run_is_under_way(staff_client, no_queue):
    portal = PortalFactory()

    staff_client.post(reverse("portals:sync", args=[portal.pk]))
    response = staff_client.post(reverse("portals:sync", args=[portal.pk]), follow=True)

    assert SyncRun.objects.count() == 1
    assert [str(m) for m in response.context["messages"]] == [
        "The sync of Données Québec is queued.",
        "A sync of Données Québec is already queued or running: its result will appear below. "
        "Start another once it is finished.",
    ]


@pytest.mark.django_db
def test_disabling_then_enabling_from_the_list(staff_client):
    portal = PortalFactory()

    staff_client.post(reverse("portals:set_enabled", args=[portal.pk]), {"enabled": "0"})
    portal.refresh_from_db()
    assert portal.is_enabled is False
    staff_client.post(reverse("portals:set_enabled", args=[portal.pk]), {"enabled": "1"})
    portal.refresh_from_db()
    assert portal.is_enabled is True


@pytest.mark.django_db
def test_the_runs_are_paginated_in_constant_queries(staff_client, django_assert_num_queries):
    portal = PortalFactory()
    SyncRunFactory(portal=portal, status="succeeded")
    with django_assert_num_queries(7):
        one = staff_client.get(reverse("portals:runs", args=[portal.pk]))
    for _ in range(29):
        SyncRunFactory(portal=portal, status="succeeded")
    with django_assert_num_queries(7):
        many = staff_client.get(reverse("portals:runs", args=[portal.pk]))

    assert len(one.context["runs"]) == 1
    assert (len(many.context["runs"]), many.context["paginator"].count) == (25, 30)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "participant", "organizer", "judge"])
def test_nobody_but_staff_reaches_the_portal_pages_or_changes_a_portal(
    request, who, client, no_queue
):
    portal = PortalFactory()
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    gets = ["portals:list", "portals:create", "organize:staff"]
    for name in gets:
        response = client.get(reverse(name))
        assert response.status_code in {302, 403}, name
        if response.status_code == 302:
            assert response.url.startswith(reverse("account_login"))
    for name in ["portals:update", "portals:runs"]:
        assert client.get(reverse(name, args=[portal.pk])).status_code in {302, 403}
    for name in ["portals:update", "portals:set_enabled", "portals:sync"]:
        response = client.post(reverse(name, args=[portal.pk]), {**FIELDS, "enabled": "0"})
        assert response.status_code in {302, 403}, name

    portal.refresh_from_db()
    assert (portal.name, portal.is_enabled) == ("donnees-quebec", True)
    assert (SyncRun.objects.count(), Portal.objects.count()) == (0, 1)


@pytest.mark.django_db
def test_the_staff_page_links_every_staff_tool(staff_client, edition):
    html = staff_client.get(reverse("organize:staff")).content.decode()

    for url in [
        reverse("portals:list"),
        reverse("organize:audit_log_all"),
        reverse("organize:failed_mails", args=[edition.slug]),
        reverse("organize:dashboard", args=[edition.slug]) + "#organizers",
    ]:
        assert f'href="{url}"' in html
