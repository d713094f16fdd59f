"""One person, one role per edition (issue 11): its organizers, judges and participants are
different people, whichever service, admin page or concurrent writer tries otherwise."""

import threading

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.urls import reverse

from hackqc.models import EditionOrganizer
from hackqc.roles import Role, RoleConflictError, role_conflict
from hackqc.services import grant_organizer
from judging.models import Judge
from judging.services import accept_invitation, invite_judge
from teams.models import Registration
from teams.services import register, update_registration
from tests.factories.core import EditionFactory, OrganizerRoleFactory, UserFactory
from tests.factories.judging import JudgeFactory
from tests.factories.teams import RegistrationFactory

pytestmark = pytest.mark.django_db


def _mentor_on_the_jury(edition):
    """A mentor who accepted a jury invitation: the way in of issue 11's judge-competitor."""
    user = RegistrationFactory(edition=edition, role=Registration.Role.MENTOR).user
    JudgeFactory(edition=edition, user=user)
    return user


def test_judge_cannot_switch_registration_to_participant(edition):
    judge = _mentor_on_the_jury(edition)
    registration = Registration.objects.get(user=judge)

    with pytest.raises(RoleConflictError) as refused:
        update_registration(registration, by=judge, role="participant")

    assert refused.value.field == "role"
    assert Registration.objects.get(user=judge).role == "mentor"


def test_judge_switching_to_participant_sees_a_form_error(client, edition):
    judge = _mentor_on_the_jury(edition)
    client.force_login(judge)

    response = client.post(
        reverse("teams:register", kwargs={"slug": edition.slug}),
        {"role": "participant", "participant_type": "other", "organisation": "MCN"},
    )

    assert response.status_code == 200
    assert "jury" in response.context["form"].errors["role"][0]
    assert Registration.objects.get(user=judge).role == "mentor"


def test_organizer_cannot_register_as_participant_but_may_mentor(edition, organizer):
    with pytest.raises(RoleConflictError):
        register(edition, user=organizer, by=organizer, role="participant", accept_rules=True)

    mentor = register(edition, user=organizer, by=organizer, role="mentor", accept_rules=True)

    assert mentor.role == "mentor"
    with pytest.raises(RoleConflictError):
        update_registration(mentor, by=organizer, role="participant")
    assert Registration.objects.get(user=organizer).role == "mentor"


def test_staff_organize_every_edition_so_cannot_compete(edition, staff):
    with pytest.raises(RoleConflictError):
        register(edition, user=staff, by=staff, role="participant", accept_rules=True)

    assert not Registration.objects.filter(user=staff).exists()


def test_organizer_cannot_accept_a_jury_invitation(edition, organizer):
    other = OrganizerRoleFactory(edition=edition).user
    invitation = invite_judge(edition, by=organizer, email=other.email)

    with pytest.raises(RoleConflictError):
        accept_invitation(invitation, user=other, organisation="MCN")

    assert not Judge.objects.filter(user=other).exists()


@pytest.mark.parametrize("held", ["participant", "judge"])
def test_participant_or_judge_cannot_be_made_organizer(edition, organizer, held):
    person = UserFactory()
    if held == "participant":
        RegistrationFactory(edition=edition, user=person)
    else:
        JudgeFactory(edition=edition, user=person)

    with pytest.raises(RoleConflictError):
        grant_organizer(edition, user=person, by=organizer)

    assert not EditionOrganizer.objects.filter(user=person).exists()
    assert role_conflict(edition, person, Role.ORGANIZER) == held


def test_roles_in_other_editions_do_not_conflict(edition, organizer):
    other_edition = EditionFactory()
    person = RegistrationFactory(edition=other_edition).user

    role = grant_organizer(edition, user=person, by=organizer)

    assert role.user == person
    assert role_conflict(other_edition, person, Role.PARTICIPANT) is None


def test_organizer_page_refuses_a_participant_as_organizer(client, edition, organizer, registered):
    client.force_login(organizer)

    response = client.post(
        reverse("organize:organizer_add", kwargs={"slug": edition.slug}),
        {"email": registered.email},
        follow=True,
    )

    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1
    assert "participant" in messages[0]
    assert not EditionOrganizer.objects.filter(user=registered).exists()


# --- The admin --------------------------------------------------------------------------
# Judges and organizer roles are read-only there: tests/site/test_admin_guards.py shows the
# admin refusing a participant as judge and a judge as organizer, and a judge as staff.


# --- The database -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("held", "wanted"),
    [
        ("judge", "participant"),
        ("organizer", "participant"),
        ("participant", "judge"),
        ("organizer", "judge"),
        ("participant", "organizer"),
        ("judge", "organizer"),
    ],
)
def test_database_refuses_a_second_role(edition, held, wanted):
    person = UserFactory()
    makers = {
        "participant": lambda: Registration.objects.create(edition=edition, user=person),
        "judge": lambda: Judge.objects.create(edition=edition, user=person),
        "organizer": lambda: EditionOrganizer.objects.create(edition=edition, user=person),
    }
    makers[held]()

    with pytest.raises(IntegrityError), transaction.atomic():
        makers[wanted]()


def test_database_refuses_a_raw_switch_to_participant(edition):
    judge = _mentor_on_the_jury(edition)

    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.filter(user=judge).update(role="participant")

    assert Registration.objects.get(user=judge).role == "mentor"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_jury_acceptance_and_switch_to_participant_give_one_role():
    """The mentor accepts the jury invitation in one tab and becomes a participant in
    another, at the same instant: one of the two is refused, never neither."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's concurrent transactions")
    edition = EditionFactory()
    organizer = OrganizerRoleFactory(edition=edition).user
    registration = RegistrationFactory(edition=edition, role=Registration.Role.MENTOR)
    mentor = registration.user
    invitation = invite_judge(edition, by=organizer, email=mentor.email)
    barrier = threading.Barrier(2)
    outcomes = []

    def run(name, action):
        try:
            barrier.wait(timeout=10)
            action()
            outcomes.append(f"{name} done")
        except (RoleConflictError, IntegrityError):
            outcomes.append(f"{name} refused")
        finally:
            connections.close_all()

    def join_jury():
        accept_invitation(invitation, user=mentor, organisation="")

    def compete():
        update_registration(registration, by=mentor, role="participant")

    threads = [
        threading.Thread(target=run, args=("jury", join_jury)),
        threading.Thread(target=run, args=("compete", compete)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(outcomes) == 2
    assert sum(o.endswith("done") for o in outcomes) == 1, outcomes
    is_judge = Judge.objects.filter(edition=edition, user=mentor).exists()
    competes = Registration.objects.filter(user=mentor, role="participant").exists()
    assert (is_judge, competes) in {(True, False), (False, True)}
