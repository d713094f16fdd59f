"""The admin cannot bypass the services (issue 13): what a service guards (deadline lock,
conflicts of interest, one role per person and edition, publication) is read-only there,
even for a superuser; staff change it on the organizer pages, which call the services."""

import datetime as dt

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from hackqc.models import Edition, EditionOrganizer
from judging.models import Assignment, Conflict, Judge, Round
from tests.factories.core import EditionFactory, UserFactory
from tests.factories.judging import AssignmentFactory, CriterionFactory, JudgeFactory
from tests.factories.results import PrizeFactory
from tests.factories.submissions import SubmissionFactory
from tests.factories.teams import RegistrationFactory

pytestmark = pytest.mark.django_db

# Registered models whose rows no service guards, with the reason they stay editable.
EDITABLE = {
    "auth.group": "Django's permission groups",
    "account.emailaddress": "allauth's addresses (support: a bounced or mistyped address)",
    "hackqc.user": "accounts (becoming staff is checked against the roles: StaffForm)",
    "submissions.technology": "a vocabulary of technology names",
    "catalogue.organization": "names the sync refreshes",
    "catalogue.licence": "a vocabulary",
    "catalogue.group": "a vocabulary",
    "catalogue.format": "a vocabulary",
    "catalogue.syncrun": "a log: no add or change, deletable to clean up",
}


def _label(model):
    return f"{model._meta.app_label}.{model._meta.model_name}"


@pytest.fixture
def superuser(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def superuser_client(client, superuser):
    client.force_login(superuser)
    return client


def test_every_other_registered_model_is_read_only_even_for_a_superuser(superuser):
    request = RequestFactory().get("/")
    request.user = superuser
    guarded = [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if _label(model) not in EDITABLE
    ]

    assert len(guarded) >= 20
    for model, model_admin in guarded:
        assert not model_admin.has_add_permission(request), _label(model)
        assert not model_admin.has_change_permission(request, None), _label(model)
        assert not model_admin.has_delete_permission(request, None), _label(model)
        assert model_admin.has_view_permission(request, None), _label(model)
        for inline in model_admin.get_inline_instances(request):
            assert not inline.has_add_permission(request, None), _label(model)
            assert not inline.has_change_permission(request, None), _label(model)
            assert not inline.has_delete_permission(request, None), _label(model)


def test_the_editable_list_names_only_registered_models():
    registered = {_label(model) for model in admin.site._registry}

    assert set(EDITABLE) <= registered


def test_a_passed_deadline_cannot_move_through_the_admin(superuser_client):
    edition = EditionFactory(phase="judging")
    closed = edition.submissions_close
    url = reverse("admin:hackqc_edition_change", args=[edition.pk])
    later = closed + dt.timedelta(days=3)

    page = superuser_client.get(url)
    response = superuser_client.post(
        url,
        {"name": edition.name, "submissions_close_0": later.date(), "submissions_close_1": "12:00"},
    )

    assert page.status_code == 200  # staff still read every field
    assert response.status_code == 403
    edition.refresh_from_db()
    assert edition.submissions_close == closed


@pytest.mark.parametrize(
    "name", ["hackqc_edition", "judging_round", "judging_judge", "judging_conflict",
             "judging_assignment", "judging_finalist", "results_prize", "submissions_submission"]
)  # fmt: skip
def test_nothing_guarded_can_be_added_through_the_admin(superuser_client, name):
    assert superuser_client.get(reverse(f"admin:{name}_add")).status_code == 403
    assert superuser_client.post(reverse(f"admin:{name}_add"), {}).status_code == 403


def test_a_participant_cannot_be_made_a_judge_through_the_admin(superuser_client, edition):
    participant = RegistrationFactory(edition=edition).user

    response = superuser_client.post(
        reverse("admin:judging_judge_add"), {"edition": edition.pk, "user": participant.pk}
    )

    assert response.status_code == 403
    assert not Judge.objects.filter(user=participant).exists()


def test_a_judge_cannot_be_made_an_organizer_through_the_edition_admin(superuser_client, edition):
    judge = JudgeFactory(edition=edition).user
    url = reverse("admin:hackqc_edition_change", args=[edition.pk])

    response = superuser_client.post(
        url,
        {"organizer_roles-TOTAL_FORMS": 1, "organizer_roles-INITIAL_FORMS": 0,
         "organizer_roles-0-user": judge.pk},
    )  # fmt: skip

    assert response.status_code == 403
    assert not EditionOrganizer.objects.filter(user=judge).exists()


def test_an_assignment_skipping_the_conflict_check_cannot_be_made_or_deleted(superuser_client):
    assignment = AssignmentFactory()
    other = SubmissionFactory(team__edition=assignment.round.edition)

    added = superuser_client.post(
        reverse("admin:judging_assignment_add"),
        {"round": assignment.round.pk, "judge": assignment.judge.pk, "submission": other.pk},
    )
    delete_url = reverse("admin:judging_assignment_delete", args=[assignment.pk])
    deleted = superuser_client.post(delete_url, {"post": "yes"})
    bulk = superuser_client.post(
        reverse("admin:judging_assignment_changelist"),
        {"action": "delete_selected", "_selected_action": [assignment.pk], "post": "yes"},
    )

    assert (added.status_code, deleted.status_code) == (403, 403)
    assert bulk.status_code in (200, 302)
    assert list(Assignment.objects.values_list("pk", flat=True)) == [assignment.pk]


def test_a_rubric_cannot_change_through_the_round_admin(superuser_client):
    criterion = CriterionFactory(weight=2)
    round_ = criterion.round
    url = reverse("admin:judging_round_change", args=[round_.pk])

    response = superuser_client.post(
        url,
        {"name": "Autre", "criteria-TOTAL_FORMS": 1, "criteria-INITIAL_FORMS": 1,
         "criteria-0-id": criterion.pk, "criteria-0-weight": 99},
    )  # fmt: skip

    assert response.status_code == 403
    criterion.refresh_from_db()
    assert (criterion.weight, Round.objects.get().name) == (2, round_.name)


def test_a_prize_cannot_change_through_the_admin(superuser_client):
    prize = PrizeFactory()
    url = reverse("admin:results_prize_change", args=[prize.pk])

    assert superuser_client.post(url, {"name": "Autre"}).status_code == 403
    assert (
        superuser_client.post(
            reverse("admin:results_prize_delete", args=[prize.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    prize.refresh_from_db()
    assert prize.name != "Autre"


def test_no_conflict_can_be_lifted_through_the_admin(superuser_client, edition):
    judge = JudgeFactory(edition=edition)
    conflict = Conflict.objects.create(judge=judge, organisation="Ville", kind="declared")

    response = superuser_client.post(
        reverse("admin:judging_conflict_delete", args=[conflict.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert Conflict.objects.filter(pk=conflict.pk).exists()


# --- Becoming staff: staff organize every edition ----------------------------------------


def _staff_form_data(user, **changes):
    data = {"email": user.email, "display_name": user.display_name or "x",
            "preferred_language": "fr", "is_active": "on", "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00"}  # fmt: skip
    data.update(changes)
    return data


@pytest.mark.parametrize("role", ["judge", "participant"])
def test_a_judge_or_participant_cannot_be_made_staff(superuser_client, edition, role):
    if role == "judge":
        person = JudgeFactory(edition=edition).user
    else:
        person = RegistrationFactory(edition=edition).user
    url = reverse("admin:hackqc_user_change", args=[person.pk])

    response = superuser_client.post(url, _staff_form_data(person, is_staff="on"))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["is_staff"]
    assert edition.name in errors[0]
    person.refresh_from_db()
    assert not person.is_staff


def test_anyone_else_can_be_made_staff(superuser_client, edition):
    person = UserFactory()

    response = superuser_client.post(
        reverse("admin:hackqc_user_change", args=[person.pk]),
        _staff_form_data(person, is_staff="on"),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    person.refresh_from_db()
    assert person.is_staff
    assert Edition.objects.filter(pk=edition.pk).exists()
