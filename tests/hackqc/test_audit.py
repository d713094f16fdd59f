"""The audit log: organizer actions recorded with the action itself, never rewritten, shown
per edition to its organizers and in full to staff."""

import datetime

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from hackqc import audit, services
from hackqc.models import AuditEntry
from tests.factories.core import EditionFactory, OrganizerRoleFactory, UserFactory

pytestmark = pytest.mark.django_db

TESTED = audit.action("tests.tested", "Tested something")


def _log(edition):
    return reverse("organize:audit_log", kwargs={"slug": edition.slug})


def test_an_unregistered_action_is_refused():
    with pytest.raises(ValueError, match="unregistered"):
        audit.record("tests.nobody_registered_this", actor=None)


def test_an_action_registered_twice_must_keep_its_label():
    assert audit.action("tests.tested", "Tested something") == TESTED
    with pytest.raises(ValueError, match="twice"):
        audit.action("tests.tested", "Something else")


def test_entries_are_never_changed_or_deleted_through_the_orm(edition, organizer):
    entry = audit.record(TESTED, actor=organizer, edition=edition, target="round 1", n=1)
    entry.details = {"n": 2}
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.filter(pk=entry.pk).update(details={})
    with pytest.raises(TypeError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    entry.refresh_from_db()
    assert entry.details == {"n": 1}


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE hackqc_auditentry SET action = 'tests.rewritten' WHERE id = %s",
        "UPDATE hackqc_auditentry SET target_label = 'x' WHERE id = %s",
        "DELETE FROM hackqc_auditentry WHERE id = %s",
    ],
)
def test_the_database_refuses_to_rewrite_history(edition, organizer, statement):
    entry = audit.record(TESTED, actor=organizer, edition=edition, target="round 1")
    with (
        pytest.raises((IntegrityError, DatabaseError)),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, [entry.pk])
    entry.refresh_from_db()
    assert (entry.action, entry.target_label) == (TESTED, "round 1")


def test_a_vanished_actor_or_edition_only_empties_its_column():
    edition = EditionFactory()
    actor = UserFactory()
    entry = audit.record(TESTED, actor=actor, edition=edition, target="x")
    actor.delete()
    edition.delete()
    entry.refresh_from_db()
    assert (entry.actor, entry.edition, entry.action) == (None, None, TESTED)


def test_a_person_named_in_the_log_is_shown_as_they_are_now(client, edition, organizer):
    member = UserFactory(display_name="Alice Tremblay")
    audit.record(TESTED, actor=organizer, edition=edition, target=member)
    entry = AuditEntry.objects.get(action=TESTED)
    assert entry.target_label == ""  # no copy of the name in the log
    member.display_name = "A. T."
    member.save()
    client.force_login(organizer)
    page = client.get(_log(edition)).content.decode()
    assert "A. T." in page
    assert "Alice Tremblay" not in page


def test_changing_the_edition_records_old_and_new_dates(edition, organizer):
    later = edition.submissions_close + datetime.timedelta(days=2)
    services.update_edition(edition, by=organizer, submissions_close=later, name=edition.name)
    entry = AuditEntry.objects.get(action=services.EDITION_CHANGED)
    assert entry.actor == organizer
    assert entry.edition == edition
    assert list(entry.details) == ["submissions_close"]  # the unchanged name is not logged
    assert str(later) in entry.details["submissions_close"]


def test_a_refused_change_leaves_no_entry(edition, organizer):
    from django.core.exceptions import ValidationError

    past = timezone.now() - datetime.timedelta(days=1)
    with pytest.raises(ValidationError):
        services.update_edition(edition, by=organizer, submissions_close=past)
    assert not AuditEntry.objects.filter(action=services.EDITION_CHANGED).exists()


def test_granting_and_revoking_an_organizer_are_recorded(edition, organizer):
    newcomer = UserFactory()
    services.grant_organizer(edition, user=newcomer, by=organizer)
    services.grant_organizer(edition, user=newcomer, by=organizer)  # already: nothing new
    services.revoke_organizer(edition, user=newcomer, by=organizer)
    services.revoke_organizer(edition, user=newcomer, by=organizer)  # already gone
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", "target_id"))
    assert actions == [
        (services.ORGANIZER_GRANTED, str(newcomer.pk)),
        (services.ORGANIZER_REVOKED, str(newcomer.pk)),
    ]


def test_organizers_see_their_edition_log_only(client, edition, organizer):
    audit.record(TESTED, actor=organizer, edition=edition, target="ours")
    audit.record(TESTED, actor=None, edition=EditionFactory(), target="theirs")
    client.force_login(organizer)
    page = client.get(_log(edition)).content.decode()
    assert "ours" in page
    assert "theirs" not in page
    assert "Tested something" in page


def test_the_log_filters_by_action_actor_and_dates(client, edition, organizer):
    other = OrganizerRoleFactory(edition=edition).user
    audit.record(TESTED, actor=organizer, edition=edition, target="mine")
    audit.record(TESTED, actor=other, edition=edition, target="theirs")
    audit.record(services.EDITION_CHANGED, actor=organizer, edition=edition, target="changed")
    audit.record(TESTED, actor=organizer, edition=edition, target="old")
    client.force_login(organizer)

    def shown(**query):
        entries = client.get(_log(edition), query).context["entries"]
        return sorted(e.target_label for e in entries)

    assert shown(action=TESTED, actor=organizer.pk) == ["mine", "old"]
    assert shown(actor=other.pk) == ["theirs"]
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    assert shown(since=tomorrow) == []
    assert shown(until=tomorrow) == ["changed", "mine", "old", "theirs"]
    # Nonsense filters are ignored, not an error.
    assert shown(action="<script>", actor="x", since="2026-13-45") == [
        "changed", "mine", "old", "theirs"
    ]  # fmt: skip


def test_the_log_pages_keep_the_filters(client, edition, organizer):
    for n in range(55):
        audit.record(TESTED, actor=organizer, edition=edition, target=f"entry {n}")
    client.force_login(organizer)
    page = client.get(_log(edition), {"action": TESTED}).content.decode()
    assert f"?action={TESTED}&amp;page=2" in page


def test_the_log_takes_the_same_queries_for_5_or_50_entries(
    client, edition, organizer, django_assert_max_num_queries
):
    people = UserFactory.create_batch(5)
    for person in people:
        audit.record(TESTED, actor=organizer, edition=edition, target=person)
    client.force_login(organizer)
    client.get(_log(edition))  # warm the session
    with django_assert_max_num_queries(12) as few:
        client.get(_log(edition))
    for n in range(45):
        audit.record(TESTED, actor=UserFactory(), edition=edition, target=people[n % 5])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(_log(edition))


def test_the_site_log_is_for_staff(client, edition, organizer, staff):
    audit.record(TESTED, actor=organizer, edition=edition, target="ours")
    audit.record(TESTED, actor=None, edition=EditionFactory(), target="theirs")
    client.force_login(organizer)
    assert client.get(reverse("organize:audit_log_all")).status_code == 403
    client.force_login(staff)
    response = client.get(reverse("organize:audit_log_all"))
    assert sorted(e.target_label for e in response.context["entries"]) == ["ours", "theirs"]
    response = client.get(reverse("organize:audit_log_all"), {"edition": edition.pk})
    assert [e.target_label for e in response.context["entries"]] == ["ours"]


def test_a_row_that_belongs_to_a_person_is_kept_as_a_key_and_forgets_their_name(
    client, edition, organizer
):
    from hackqc.privacy.erasure import erase_account
    from tests.factories.teams import RegistrationFactory

    person = UserFactory(display_name="Zénobie Tremblay-Ouellet")
    registration = RegistrationFactory(edition=edition, user=person)
    entry = audit.record(TESTED, actor=organizer, edition=edition, target=registration)
    assert "Zénobie" not in entry.target_label
    assert "Tremblay" not in entry.target_label
    assert entry.target_id == str(registration.pk)
    client.force_login(organizer)
    assert "Tremblay-Ouellet" in client.get(_log(edition)).content.decode()

    erase_account(person, by=person)

    page = client.get(_log(edition)).content.decode()
    assert "Tremblay-Ouellet" not in page
    assert "Zénobie" not in page
    assert f"#{registration.pk}" in page
