import json

import pytest
from django.urls import reverse

from judging import services
from judging.models import (
    Assignment,
    AssignmentBlock,
    Conflict,
    Criterion,
    JudgeInvitation,
    OrganizerJob,
    ReminderSent,
    Review,
    Round,
)
from tests.factories.judging import AssignmentFactory, JudgeFactory
from tests.factories.submissions import SubmissionFactory


def _url(name, round_, *args):
    return reverse(f"judging:{name}", args=[round_.edition.slug, round_.number, *args])


def _submit(round_, judge, submission, values):
    ids = list(round_.criteria.order_by("order").values_list("pk", flat=True))
    return services.save_review(
        round_,
        judge=judge,
        submission=submission,
        by=judge.user,
        values=dict(zip(ids, values, strict=True)),
        private_note="NOTE-PRIVEE",
        version=0,
        submit=True,
    )


@pytest.fixture
def reviewed(round_, judge_role, assigned):
    return _submit(round_, judge_role, assigned.submission, [8, 6])


ORGANIZER_PAGES = [
    ("organize", False),
    ("conflicts", False),
    ("organize_round", True),
    ("rankings", True),
    ("close", True),
]


@pytest.mark.parametrize(("name", "is_round"), ORGANIZER_PAGES)
@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("participant", 403),
        ("outsider", 403),
        ("other_organizer", 403),
        ("organizer", 200),
        ("staff", 200),
    ],
)
def test_organizer_pages_permissions(
    client, request, round_, reviewed, name, is_round, persona, status
):
    client.force_login(request.getfixturevalue(persona))
    url = _url(name, round_) if is_round else reverse(f"judging:{name}", args=[round_.edition.slug])

    response = client.get(url)

    assert response.status_code == status
    if status == 403:
        assert b"NOTE-PRIVEE" not in response.content


@pytest.mark.parametrize(("name", "is_round"), ORGANIZER_PAGES)
def test_organizer_pages_refuse_judges(client, round_, judge_role, reviewed, name, is_round):
    client.force_login(judge_role.user)
    url = _url(name, round_) if is_round else reverse(f"judging:{name}", args=[round_.edition.slug])
    assert client.get(url).status_code == 403


def test_organizer_pages_redirect_anonymous(client, round_):
    response = client.get(_url("rankings", round_))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_rankings_page_shows_three_methods_and_biases(client, organizer, round_, reviewed):
    client.force_login(organizer)

    response = client.get(_url("rankings", round_))

    assert [m["name"] for m in response.context["methods"]] == ["bias", "mean", "zscore"]
    assert [row["label"] for row in response.context["rows"]] == [reviewed.submission.title]
    assert [judge for judge, _bias in response.context["biases"]] == [reviewed.judge]
    assert (
        "Judges&#x27; estimated biases" in response.content.decode()
        or "biases" in response.content.decode()
    )


def test_invite_judge_sends_mail(
    client, organizer, edition, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(organizer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("judging:organize", args=[edition.slug]),
            {"email": "nouvelle.juge@example.org", "sponsor": ""},
        )

    assert response.status_code == 302
    invitation = JudgeInvitation.objects.get()
    assert [m.to for m in mailoutbox] == [["nouvelle.juge@example.org"]]
    assert invitation.token in mailoutbox[0].body


def test_invite_existing_judge_refused(client, organizer, edition, judge_role):
    client.force_login(organizer)
    response = client.post(
        reverse("judging:organize", args=[edition.slug]), {"email": judge_role.user.email}
    )
    assert response.context["invite_form"].errors["email"]
    assert not JudgeInvitation.objects.exists()


def test_conflicts_page_shows_automatic_and_waives(client, organizer, edition, team, participant):
    from teams.models import Registration

    Registration.objects.filter(user=participant).update(organisation="Ville de Lévis")
    colleague = JudgeFactory(edition=edition, organisation="ville de lévis")
    client.force_login(organizer)

    response = client.get(reverse("judging:conflicts", args=[edition.slug]))
    assert [
        (r["judge"], r["team"], r["kinds"], r["active"]) for r in response.context["automatic"]
    ] == [(colleague, team, ["organisation"], True)]

    client.post(
        reverse("judging:conflict_waive", args=[edition.slug, colleague.pk, team.pk]),
        {"reason": "Rôle d'observateur seulement"},
    )
    waiver = Conflict.objects.get()
    assert (waiver.kind, waiver.created_by, waiver.reason) == (
        "waiver",
        organizer,
        "Rôle d'observateur seulement",
    )
    response = client.get(reverse("judging:conflicts", args=[edition.slug]))
    assert response.context["automatic"][0]["active"] is False


def test_organizer_adds_and_lifts_conflict(client, organizer, edition, judge_role, other_team):
    client.force_login(organizer)
    client.post(
        reverse("judging:conflicts", args=[edition.slug]),
        {"judge": judge_role.pk, "team": other_team.pk, "reason": "Mentor de l'équipe"},
    )
    conflict = Conflict.objects.get()
    assert (conflict.kind, conflict.created_by) == ("added", organizer)

    client.post(
        reverse("judging:conflict_lift", args=[edition.slug, conflict.pk]), {"reason": "Erreur"}
    )

    conflict.refresh_from_db()
    assert (conflict.lifted_by, conflict.lift_reason) == (organizer, "Erreur")
    assert conflict.lifted_at is not None


def test_lift_conflict_of_other_edition_404(client, organizer, edition):
    foreign = Conflict.objects.create(judge=JudgeFactory(), organisation="X", reason="r")
    client.force_login(organizer)
    response = client.post(
        reverse("judging:conflict_lift", args=[edition.slug, foreign.pk]), {"reason": "r"}
    )
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.lifted_at is None


def test_create_round_and_criterion(client, organizer, edition):
    client.force_login(organizer)
    response = client.post(
        reverse("judging:round_create", args=[edition.slug]),
        {
            "name": "Préliminaire",
            "opens_at": "2030-01-01T09:00",
            "closes_at": "2030-01-10T17:00",
            "judges_per_submission": 3,
            "scope": "all",
            "method": "bias",
            "missing_policy": "renormalise",
            "bias_lambda": 0,
        },
    )
    round_ = Round.objects.get()
    assert response["Location"] == _url("organize_round", round_)
    client.post(
        _url("criterion_create", round_),
        {
            "name": "Innovation",
            "weight": 2,
            "min_value": 0,
            "max_value": 10,
            "order": 1,
            "is_tiebreak": "on",
        },
    )
    assert list(Criterion.objects.values_list("name", "weight", "is_tiebreak")) == [
        ("Innovation", 2.0, True)
    ]


def test_create_round_challenge_scope_needs_challenge(client, organizer, edition):
    client.force_login(organizer)
    response = client.post(
        reverse("judging:round_create", args=[edition.slug]),
        {
            "name": "Défi",
            "opens_at": "2030-01-01T09:00",
            "closes_at": "2030-01-10T17:00",
            "judges_per_submission": 3,
            "scope": "challenge",
            "method": "bias",
            "missing_policy": "renormalise",
            "bias_lambda": 0,
        },
    )
    assert response.context["form"].errors["scope_challenge"]
    assert not Round.objects.exists()


def test_run_assignment_view(
    client,
    organizer,
    round_,
    edition,
    submitted,
    other_submitted,
    django_capture_on_commit_callbacks,
):
    judges = [JudgeFactory(edition=edition, organisation=f"Org {i}") for i in range(3)]
    round_.judges_per_submission = 2
    round_.save()
    client.force_login(organizer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("assign", round_))

    job = OrganizerJob.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert job.state == OrganizerJob.State.DONE
    pairs = set(Assignment.objects.values_list("judge", "submission"))
    assert len(pairs) == 4
    assert {s for _j, s in pairs} == {submitted.pk, other_submitted.pk}
    assert (
        max(list(Assignment.objects.values_list("judge", flat=True)).count(j.pk) for j in judges)
        == 2
    )


def test_run_assignment_infeasible_names_submissions(
    client, organizer, round_, edition, submitted, team, django_capture_on_commit_callbacks
):
    only = JudgeFactory(edition=edition)
    services.declare_conflict(only, by=only.user, team=team, reason="Mon équipe d'avant")
    round_.judges_per_submission = 1
    round_.save()
    client.force_login(organizer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("assign", round_))

    job = OrganizerJob.objects.get()
    assert job.state == OrganizerJob.State.FAILED
    assert any(submitted.title in line and "0 judge" in line for line in job.details), job.details
    page = client.get(response["Location"]).content.decode()
    assert f"{submitted.title}: " in page
    assert 'role="alert"' in page
    assert 'http-equiv="refresh"' not in page
    assert not Assignment.objects.exists()


def test_pin_remove_and_withdraw(client, organizer, round_, edition, submitted, judge_role):
    client.force_login(organizer)
    client.post(
        _url("assignment_pin", round_), {"judge": judge_role.pk, "submission": submitted.pk}
    )
    assert list(Assignment.objects.values_list("judge", "submission", "pinned")) == [
        (judge_role.pk, submitted.pk, True)
    ]

    client.post(
        _url("assignment_remove", round_, judge_role.pk, submitted.pk), {"reason": "Absent"}
    )
    assert not Assignment.objects.exists()
    assert AssignmentBlock.objects.filter(judge=judge_role, submission=submitted).exists()

    client.post(_url("judge_withdraw", round_, judge_role.pk), {"reason": "Malade"})
    assert AssignmentBlock.objects.filter(judge=judge_role, submission=None).exists()


@pytest.mark.parametrize("reason", ["Absent\0", "x" * 2_001])
def test_remove_assignment_refuses_a_bad_reason_and_changes_nothing(
    client, organizer, round_, assigned, judge_role, submitted, reason
):
    client.force_login(organizer)

    response = client.post(
        _url("assignment_remove", round_, judge_role.pk, submitted.pk), {"reason": reason}
    )
    withdraw = client.post(_url("judge_withdraw", round_, judge_role.pk), {"reason": reason})

    assert (response.status_code, withdraw.status_code) == (302, 302)
    assert Assignment.objects.count() == 1
    assert not AssignmentBlock.objects.exists()


def test_remove_submitted_assignment_refused(client, organizer, round_, reviewed, judge_role):
    client.force_login(organizer)
    response = client.post(
        _url("assignment_remove", round_, judge_role.pk, reviewed.submission_id), follow=True
    )
    assert "already submitted" in " ".join(str(m) for m in response.context["messages"])
    assert Assignment.objects.count() == 1


def test_remind_judges_once_per_click(
    client,
    organizer,
    round_,
    edition,
    assigned,
    judge_role,
    reviewed,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    late = JudgeFactory(edition=edition, user__email="late@example.org")
    AssignmentFactory(round=round_, judge=late, submission=assigned.submission)
    client.force_login(organizer)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("remind", round_))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("remind", round_))

    assert [m.to for m in mailoutbox] == [["late@example.org"], ["late@example.org"]]
    assert ReminderSent.objects.count() == 2


def test_reminder_delivered_twice_mails_once(
    round_, assigned, organizer, mailoutbox, django_capture_on_commit_callbacks
):
    from hackqc.models import OutgoingMail
    from hackqc.tasks import task_send_mail
    from judging.services.rounds import request_reminders

    with django_capture_on_commit_callbacks(execute=True):
        request_reminders(round_, by=organizer)
    (mail,) = OutgoingMail.objects.all()
    task_send_mail(mail_id=mail.pk)  # the send task delivered a second time

    assert len(mailoutbox) == 1
    assert "1" in mailoutbox[0].subject


def test_close_round_asks_for_confirmation_first(client, organizer, round_, judge_role, assigned):
    services.save_review(
        round_, judge=judge_role, submission=assigned.submission, by=judge_role.user,
        values={}, version=0, submit=False,
    )  # fmt: skip
    client.force_login(organizer)

    page = client.get(_url("close", round_))
    unconfirmed = client.post(_url("close", round_))

    round_.refresh_from_db()
    assert round_.closed_at is None
    assert page.context["drafts"] == 1
    assert "1 review is still a draft" in page.content.decode()
    assert unconfirmed.status_code == 200
    assert 'name="confirm" value="yes"' in unconfirmed.content.decode()


def test_close_round_view(client, organizer, round_):
    client.force_login(organizer)
    response = client.post(_url("close", round_), {"confirm": "yes"})
    round_.refresh_from_db()
    assert round_.closed_at is not None
    assert response["Location"] == _url("organize_round", round_)


def test_closed_round_shows_no_remove_for_criteria(client, organizer, round_):
    services.close_round(round_, by=organizer)
    client.force_login(organizer)
    body = client.get(_url("organize_round", round_)).content.decode()
    assert "/delete/" not in body


def test_reopen_round_with_reason_is_logged(client, organizer, round_):
    services.close_round(round_, by=organizer)
    client.force_login(organizer)

    refused = client.post(_url("reopen", round_), {"reason": ""})
    round_.refresh_from_db()
    assert round_.closed_at is not None
    assert refused.status_code == 302

    client.post(_url("reopen", round_), {"reason": "Un juge avait oublié d'envoyer"})
    round_.refresh_from_db()
    assert round_.closed_at is None
    [entry] = round_.reopenings.all()
    assert (entry.reason, entry.reopened_by) == ("Un juge avait oublié d'envoyer", organizer)
    page = client.get(_url("organize_round", round_)).content.decode()
    assert "Un juge avait oublié d&#x27;envoyer" in page


def test_reopen_round_refused_once_results_are_published(organizer, round_):
    import datetime as dt

    from django.db.models import F

    from judging.errors import RoundSetupError
    from judging.models import Round

    services.close_round(round_, by=organizer)
    type(round_.edition).objects.filter(pk=round_.edition.pk).update(
        results_published=F("submissions_close") + dt.timedelta(days=1)
    )
    with pytest.raises(RoundSetupError, match="results are published"):
        services.reopen_round(round_, by=organizer, reason="Trop tard")
    assert Round.objects.get(pk=round_.pk).closed_at is not None
    assert not round_.reopenings.exists()


def test_reopen_round_past_its_end_needs_a_new_end(organizer, round_):
    import datetime as dt

    from django.utils import timezone

    from judging.errors import RoundSetupError

    services.close_round(round_, by=organizer)
    type(round_).objects.filter(pk=round_.pk).update(
        closes_at=timezone.now() - dt.timedelta(hours=1)
    )
    with pytest.raises(RoundSetupError):
        services.reopen_round(round_, by=organizer, reason="Oubli")
    until = timezone.now() + dt.timedelta(days=1)
    services.reopen_round(round_, by=organizer, reason="Oubli", until=until)
    assert (round_.closed_at, round_.closes_at) == (None, until)
    assert services.is_round_open(round_)


def test_export_json_and_csv(client, organizer, round_, reviewed):
    client.force_login(organizer)

    data = json.loads(client.get(_url("export", round_, "json")).content)
    csv_text = client.get(_url("export", round_, "csv")).content.decode("utf-8-sig")

    assert set(data) >= {"edition", "round", "method", "criteria", "scores", "rankings"}
    assert [s["value"] for s in data["scores"]] == [8.0, 6.0]
    assert data["rankings"]["mean"] == [
        {"submission": reviewed.submission_id, "score": 22 / 3, "rank": 1}
    ]
    assert csv_text.splitlines()[0].startswith("table,id,name")
    assert client.get(_url("export", round_, "xml")).status_code == 404


def test_export_refused_to_judge(client, round_, judge_role, reviewed):
    client.force_login(judge_role.user)
    assert client.get(_url("export", round_, "json")).status_code == 403


def test_review_audit_page(client, organizer, round_, reviewed):
    client.force_login(organizer)
    response = client.get(_url("review_audit", round_, reviewed.pk))
    assert [c["change"].action for c in response.context["changes"]] == ["submit"]
    assert "NOTE-PRIVEE" in response.content.decode()


@pytest.mark.parametrize("size", [1, 3])
def test_progress_page_constant_queries(
    client, organizer, round_, edition, size, django_assert_num_queries
):
    for i in range(size):
        judge = JudgeFactory(edition=edition, organisation=f"Org {i}")
        for _ in range(size):
            sub = SubmissionFactory(team__edition=edition, state="submitted")
            sub.versions.create(number=1, data={"title": "x"})
            AssignmentFactory(round=round_, judge=judge, submission=sub)
            Review.objects.create(round=round_, judge=judge, submission=sub, state="submitted")
    client.force_login(organizer)

    with django_assert_num_queries(19):  # + copyable rubrics, + reopenings, + judge graph
        response = client.get(_url("organize_round", round_))
    assert len(response.context["submission_rows"]) == size * size


def test_organizer_of_other_edition_cannot_act(
    client, other_organizer, round_, submitted, judge_role
):
    client.force_login(other_organizer)
    assert client.post(_url("assign", round_)).status_code == 403
    assert client.post(_url("close", round_), {"confirm": "yes"}).status_code == 403
    assert client.post(_url("reopen", round_), {"reason": "x"}).status_code == 403
    round_.refresh_from_db()
    assert round_.closed_at is None
    assert not Assignment.objects.exists()


def test_judge_cannot_read_another_judges_review(client, round_, edition, judge_role, reviewed):
    other = JudgeFactory(edition=edition, organisation="Ailleurs")
    client.force_login(other.user)

    audit = client.get(_url("review_audit", round_, reviewed.pk))
    review_page = client.get(
        _url("review", round_, reviewed.submission_id).replace("/organize", "")
    )

    assert audit.status_code == 403
    assert review_page.status_code == 404
    assert b"NOTE-PRIVEE" not in audit.content + review_page.content


def test_export_keeps_empty_values_as_null(client, organizer, round_, judge_role, assigned):
    _submit(round_, judge_role, assigned.submission, [7, None])
    client.force_login(organizer)

    data = json.loads(client.get(_url("export", round_, "json")).content)

    assert [s["value"] for s in data["scores"]] == [7.0, None]
    assert all(s["submitted_at"] for s in data["scores"])


def _fill(round_, edition, size):
    criterion = round_.criteria.first()
    for i in range(size):
        judge = JudgeFactory(edition=edition, organisation=f"Org {i}")
        for _ in range(size):
            sub = SubmissionFactory(team__edition=edition, state="submitted")
            AssignmentFactory(round=round_, judge=judge, submission=sub)
            review = Review.objects.create(
                round=round_, judge=judge, submission=sub, state="submitted"
            )
            review.scores.create(criterion=criterion, value=5 + i)


@pytest.mark.parametrize("size", [1, 3])
def test_rankings_page_constant_queries(
    client, organizer, round_, edition, size, django_assert_num_queries
):
    _fill(round_, edition, size)
    client.force_login(organizer)
    with django_assert_num_queries(12):  # 11 + the tie-break criterion's name
        response = client.get(_url("rankings", round_))
    assert len(response.context["rows"]) == size * size


@pytest.mark.parametrize("size", [1, 3])
def test_conflicts_page_constant_queries(
    client, organizer, edition, size, django_assert_num_queries
):
    for i in range(size):
        judge = JudgeFactory(edition=edition, organisation=f"Org {i}")
        Conflict.objects.create(judge=judge, organisation=f"Org {i}", reason="r")
    client.force_login(organizer)
    with django_assert_num_queries(15):
        response = client.get(reverse("judging:conflicts", args=[edition.slug]))
    assert len(response.context["recorded"]) == size


def test_progress_page_shows_projects_a_page_at_a_time(client, organizer, round_, edition):
    from judging.views.organize.rounds import PROJECTS_PER_PAGE

    Round.objects.filter(pk=round_.pk).update(judges_per_submission=1)
    judge = JudgeFactory(edition=edition, organisation="Org")
    total = PROJECTS_PER_PAGE + 3
    for i in range(total):
        sub = SubmissionFactory(team__edition=edition, state="submitted", title=f"P{i:03d}")
        sub.versions.create(number=1, data={"title": sub.title})
        if i % 2:  # every other project has its judge
            AssignmentFactory(round=round_, judge=judge, submission=sub)
    client.force_login(organizer)

    first = client.get(_url("organize_round", round_))
    assert len(first.context["submission_rows"]) == PROJECTS_PER_PAGE
    html = first.content.decode()
    assert html.count('name="csrfmiddlewaretoken"') < PROJECTS_PER_PAGE + 20
    assert "page=2" in html
    second = client.get(_url("organize_round", round_), {"page": 2})
    assert [r["submission"].title for r in second.context["submission_rows"]] == [
        f"P{i:03d}" for i in range(PROJECTS_PER_PAGE, total)
    ]
    # Assignments of the page's projects only, with their judge.
    assert all(
        len(row["assignments"]) == row["assigned"] for row in second.context["submission_rows"]
    )

    lacking = client.get(_url("organize_round", round_), {"missing": "1"})
    rows = lacking.context["submission_rows"]
    assert rows
    assert all(row["missing"] for row in rows)
    assert lacking.context["missing_total"] == (total + 1) // 2
    assert len(rows) == (total + 1) // 2


def test_rankings_page_shows_a_review_at_once(
    client, organizer, round_, edition, judge_role, reviewed, django_assert_max_num_queries
):
    client.force_login(organizer)
    url = _url("rankings", round_)
    assert [row["label"] for row in client.get(url).context["rows"]] == [reviewed.submission.title]
    with django_assert_max_num_queries(8):  # session, user, round, roles: no ranking query
        cached = client.get(url)
    assert reviewed.submission.title in cached.content.decode()
    assert "rows" not in cached.context  # not computed: the fragment came from the cache

    other = SubmissionFactory(team__edition=edition, state="submitted", title="Deuxième")
    other.versions.create(number=1, data={"title": other.title})
    AssignmentFactory(round=round_, judge=judge_role, submission=other)
    _submit(round_, judge_role, other, [5, 5])

    assert "Deuxième" in client.get(url).content.decode()


def test_progress_page_shows_a_review_at_once(
    client, organizer, round_, judge_role, assigned, django_assert_max_num_queries
):
    client.force_login(organizer)
    url = _url("organize_round", round_)
    [row] = client.get(url).context["submission_rows"]
    assert row["done"] == 0
    with django_assert_max_num_queries(13):  # the counts come from the cache
        client.get(url)
    _submit(round_, judge_role, assigned.submission, [8, 6])
    [row] = client.get(url).context["submission_rows"]
    assert row["done"] == 1


def test_cached_progress_page_forms_carry_each_requests_csrf_token(organizer, round_, assigned):
    import re

    from django.test import Client

    from hackqc.templatetags.hackqc_tags import CSRF_PLACEHOLDER

    url = _url("organize_round", round_)
    first = Client(enforce_csrf_checks=True)
    first.force_login(organizer)
    first.get(url)
    cached = first.get(url).content.decode()  # from the cache
    assert CSRF_PLACEHOLDER not in cached
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', cached)[1]
    response = first.post(_url("remind", round_), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302  # accepted: the token is this session's

    second = Client(enforce_csrf_checks=True)
    second.force_login(organizer)
    other = second.get(url).content.decode()
    other_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', other)[1]
    assert second.post(_url("remind", round_), {"csrfmiddlewaretoken": token}).status_code == 403
    response = second.post(_url("remind", round_), {"csrfmiddlewaretoken": other_token})
    assert response.status_code == 302
