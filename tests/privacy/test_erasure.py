"""Closing an account anonymises the person and keeps the competition as it was: teams keep
a captain, judges' reviews keep counting, published results and their digests stay."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import authenticate

from hackqc.exceptions import HackQCError
from hackqc.models import AuditEntry, OutgoingMail
from hackqc.privacy import registry
from hackqc.privacy.erasure import erase_account
from hackqc.privacy.exporting import build_export
from hackqc.privacy.models import ErasedAccount
from judging.models import Judge, Review
from teams.models import Membership, Registration, Team, TeamLog
from tests.factories.core import PASSWORD, UserFactory
from tests.privacy.people import everything


def test_erasing_empties_every_erase_field_and_renames_the_account(db):
    user = everything()
    before = {e.model: e.rows(user).count() for e in registry.personal_data()}

    erased = erase_account(user, by=user)

    user.refresh_from_db()
    assert user.display_name == f"Personne retirée {erased.number}"
    assert user.email == f"erased-{erased.number}@erased.invalid"
    assert user.is_erased
    assert not user.is_active
    assert not user.has_usable_password()
    assert not EmailAddress.objects.filter(user=user).exists()
    assert authenticate(email="camille@example.org", password=PASSWORD) is None
    for entry in registry.personal_data():
        rows = entry.rows(user)
        if entry.model != "account.EmailAddress":
            # Nothing cascades: every row stays, without what identified the person.
            assert rows.count() == before[entry.model], entry.model
        for obj in rows:
            for name in entry.fields_with(registry.ERASE):
                value = registry.json_value(obj, name)
                assert value in ("", None, [], {}, False), f"{entry.model}.{name} = {value!r}"
    registration = Registration.objects.get(user=user)
    assert registration.organisation == ""
    assert registration.bio == ""
    assert not registration.skills.exists()
    assert not registration.show_profile
    assert "Camille" not in str([section["rows"] for section in build_export(user)["sections"]])
    assert not OutgoingMail.objects.filter(address="camille@example.org").exists()


def test_each_edition_of_the_person_logs_the_closing_without_a_name(db):
    user = everything()
    editions = {r.edition_id for r in user.registrations.all()}
    editions |= {j.edition_id for j in user.judge_roles.all()}
    editions |= {o.edition_id for o in user.organizer_roles.all()}

    erase_account(user, by=user)

    entries = AuditEntry.objects.filter(action="privacy.account_closed")
    assert {e.edition_id for e in entries} == editions
    assert {e.target_id for e in entries} == {str(user.pk)}
    assert all(e.target_label == "" for e in entries)  # a person: resolved when shown


def test_an_account_is_closed_once(db):
    user = UserFactory()
    erase_account(user, by=user)
    with pytest.raises(HackQCError):
        erase_account(user, by=user)


def test_a_captain_hands_over_to_the_longest_standing_member(judged, mailoutbox):
    frozen = judged.frozen()
    team = judged.teams[0]

    erase_account(judged.captain, by=judged.captain)

    memberships = Membership.objects.filter(team=team)
    assert memberships.count() == 2  # the team keeps its size
    assert memberships.get(is_captain=True).user == judged.member
    assert TeamLog.objects.filter(team=team, action="captain", subject=judged.member).exists()
    mail = OutgoingMail.objects.get(key__startswith="teams.new_captain:")
    assert mail.user == judged.member
    assert judged.frozen() == frozen


def test_a_lone_captain_stays_anonymous_and_the_organizers_are_told(judged):
    frozen = judged.frozen()
    team = judged.teams[1]

    erase_account(judged.solo, by=judged.solo)

    membership = Membership.objects.get(team=team)
    assert membership.is_captain
    assert membership.user.is_erased
    assert Team.objects.filter(pk=team.pk).exists()
    mail = OutgoingMail.objects.get(key__startswith="teams.captain_erased:")
    assert mail.user == judged.organizer
    entry = AuditEntry.objects.get(action="teams.captain_erased")
    assert entry.edition == judged.edition
    assert entry.target_label == team.name
    assert judged.frozen() == frozen


def test_erasing_a_member_keeps_the_team_whole(judged):
    frozen = judged.frozen()

    erase_account(judged.member, by=judged.member)

    team = judged.teams[0]
    assert Membership.objects.filter(team=team).count() == 2
    assert Membership.objects.get(team=team, is_captain=True).user == judged.captain
    assert judged.frozen() == frozen


def test_a_judge_with_submitted_reviews_becomes_judge_withdrawn_n(judged):
    frozen = judged.frozen()
    judge = judged.judges[0]

    erased = erase_account(judge.user, by=judge.user)

    judge = Judge.objects.get(pk=judge.pk)
    assert str(judge) == f"Juge retiré {erased.number}"
    assert Review.objects.filter(judge=judge, state="submitted").count() == 2
    assert judged.frozen() == frozen


def test_erasing_the_organizer_who_published_moves_nothing(judged):
    frozen = judged.frozen()

    erase_account(judged.organizer, by=judged.organizer)

    judged.snapshot.refresh_from_db()
    assert judged.snapshot.published_by.is_erased
    assert judged.frozen() == frozen


def test_deleting_a_user_in_the_admin_erases_instead(judged, client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    captain = judged.captain

    response = client.post(f"/fr/admin/hackqc/user/{captain.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    captain.refresh_from_db()
    assert captain.is_erased
    assert ErasedAccount.objects.get(user=captain).reason == "admin"
    assert Membership.objects.get(team=judged.teams[0], is_captain=True).user == judged.member


def test_the_admin_bulk_delete_erases_too(db, client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    people = [UserFactory(), UserFactory()]
    client.force_login(admin)

    client.post(
        "/fr/admin/hackqc/user/",
        {"action": "delete_selected", "_selected_action": [p.pk for p in people], "post": "yes"},
    )

    assert ErasedAccount.objects.filter(user__in=people).count() == 2


def test_a_pending_invitation_to_the_address_is_exported_then_erased(db):
    from teams.models import Invitation
    from tests.factories.teams import InvitationFactory

    person = UserFactory(email="Invitee.Pending@example.org")
    pending = InvitationFactory(email="invitee.pending@example.org")
    someone_else = InvitationFactory(email="other@example.org")

    sections = {s["model"]: s for s in build_export(person)["sections"]}
    rows = sections["teams.Invitation"]["rows"]
    assert [row["id"] for row in rows] == [pending.pk]
    assert rows[0]["email"] == "invitee.pending@example.org"

    erase_account(person, by=person)

    assert "pending" not in Invitation.objects.get(pk=pending.pk).email
    assert Invitation.objects.get(pk=someone_else.pk).email == "other@example.org"
