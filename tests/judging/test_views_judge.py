import pytest
from django.urls import reverse

from judging import services
from judging.models import Conflict, Judge, JudgeInvitation, Review, ReviewChange
from tests.factories.core import UserFactory
from tests.factories.judging import AssignmentFactory, JudgeFactory
from tests.factories.submissions import SubmissionFactory


def _criteria(round_):
    return list(round_.criteria.order_by("order"))


def _post_review(
    client, round_, submission, values, *, action="draft", version=0, follow=False, **extra
):
    data = {"version": version, "action": action, "feedback": "Bravo", "private_note": "Note"}
    for c, v in zip(_criteria(round_), values, strict=True):
        data[f"criterion_{c.pk}"] = "" if v is None else v
    data.update(extra)
    url = reverse("judging:review", args=[round_.edition.slug, round_.number, submission.pk])
    return client.post(url, data, follow=follow)


@pytest.fixture
def other_judge_review(round_, edition, submitted):
    """Another judge's submitted review of the same project, with a private note."""
    other = JudgeFactory(edition=edition, organisation="Hydro-Québec")
    AssignmentFactory(round=round_, judge=other, submission=submitted)
    c1, c2 = _criteria(round_)
    return services.save_review(
        round_,
        judge=other,
        submission=submitted,
        by=other.user,
        values={c1.pk: 3, c2.pk: 4},
        private_note="SECRET-NOTE-OF-OTHER",
        feedback="OTHER-FEEDBACK",
        version=0,
        submit=True,
    )


def test_round_page_lists_only_own_assignments(client, round_, judge_role, assigned, edition):
    other_sub = SubmissionFactory(team__edition=edition, title="Projet d'un autre juge")
    AssignmentFactory(round=round_, submission=other_sub, judge__edition=edition)
    client.force_login(judge_role.user)

    response = client.get(reverse("judging:round", args=[edition.slug, round_.number]))

    content = response.content.decode()
    assert assigned.submission.title in content
    assert "Projet d'un autre juge" not in content
    assert [a.submission for a in response.context["assignments"]] == [assigned.submission]


@pytest.mark.parametrize("size", [1, 3])
def test_round_page_constant_queries(
    client, round_, judge_role, edition, size, django_assert_num_queries
):
    for _ in range(size):
        sub = SubmissionFactory(team__edition=edition)
        AssignmentFactory(round=round_, judge=judge_role, submission=sub)
        Review.objects.create(round=round_, judge=judge_role, submission=sub, state="draft")
    client.force_login(judge_role.user)
    url = reverse("judging:round", args=[edition.slug, round_.number])

    with django_assert_num_queries(7):
        response = client.get(url)
    assert len(response.context["assignments"]) == size


def test_review_page_shows_project_and_rubric_not_other_judges(
    client, round_, judge_role, assigned, other_judge_review
):
    client.force_login(judge_role.user)
    url = reverse(
        "judging:review", args=[round_.edition.slug, round_.number, assigned.submission_id]
    )

    response = client.get(url)

    content = response.content.decode()
    assert response.status_code == 200
    assert assigned.submission.title in content
    assert "Innovation" in content
    assert "SECRET-NOTE-OF-OTHER" not in content
    assert "OTHER-FEEDBACK" not in content
    assert response.context["review"] is None


def test_review_submit_via_view(client, round_, judge_role, assigned):
    client.force_login(judge_role.user)

    response = _post_review(
        client, round_, assigned.submission, [8, None], action="submit-confirmed"
    )

    assert response.status_code == 302
    review = Review.objects.get(judge=judge_role)
    assert (review.state, review.feedback, review.private_note) == ("submitted", "Bravo", "Note")
    assert dict(review.scores.values_list("criterion__name", "value")) == {
        "Innovation": 8.0,
        "Utilité": None,
    }


def test_review_off_scale_shows_error_saves_nothing(client, round_, judge_role, assigned):
    client.force_login(judge_role.user)

    response = _post_review(client, round_, assigned.submission, [12, 5])

    assert response.status_code == 200
    c1 = _criteria(round_)[0]
    assert response.context["form"].errors[f"criterion_{c1.pk}"]
    assert not Review.objects.exists()


def test_review_stale_tab_keeps_input_and_newer_save(client, round_, judge_role, assigned):
    client.force_login(judge_role.user)
    _post_review(client, round_, assigned.submission, [5, 5])  # tab A, creates v1
    _post_review(client, round_, assigned.submission, [6, 6], version=1)  # tab A again, v2

    response = _post_review(client, round_, assigned.submission, [1, 1], version=1)  # tab B

    assert response.status_code == 409
    content = response.content.decode()
    assert "saved elsewhere" in content
    form = response.context["form"]
    c1 = _criteria(round_)[0]
    assert form.data[f"criterion_{c1.pk}"] == "1"  # the user's input is kept
    assert form.data["version"] == 2  # saving again deliberately replaces the newer save
    review = Review.objects.get()
    assert review.version == 2
    assert dict(review.scores.values_list("criterion__name", "value"))["Innovation"] == 6.0


def test_review_unassigned_project_404(client, round_, judge_role, other_submitted):
    client.force_login(judge_role.user)
    url = reverse("judging:review", args=[round_.edition.slug, round_.number, other_submitted.pk])

    assert client.get(url).status_code == 404
    assert _post_review(client, round_, other_submitted, [5, 5]).status_code == 404
    assert not Review.objects.exists()


def test_review_closed_round_read_only(client, round_, judge_role, assigned):
    client.force_login(judge_role.user)
    _post_review(client, round_, assigned.submission, [5, 5], action="submit")
    services.close_round(round_, by=None)

    response = _post_review(client, round_, assigned.submission, [9, 9], version=1)

    assert "This round is closed" in response.content.decode()
    assert Review.objects.get().version == 1


def test_recuse_view_records_reason(client, round_, judge_role, assigned):
    client.force_login(judge_role.user)
    url = reverse(
        "judging:recuse", args=[round_.edition.slug, round_.number, assigned.submission_id]
    )

    response = client.post(url, {"reason": "Ma sœur est dans l'équipe", "version": 0})

    assert response.status_code == 302
    review = Review.objects.get()
    assert (review.state, review.recusal_reason) == ("recused", "Ma sœur est dans l'équipe")
    assert Conflict.objects.filter(kind="recusal", judge=judge_role).exists()


@pytest.mark.parametrize(
    "persona", ["participant", "teammate", "outsider", "other_organizer", "registered"]
)
def test_jury_pages_hidden_from_non_judges(client, request, persona, round_, assigned, edition):
    client.force_login(request.getfixturevalue(persona))
    slug, n, sid = edition.slug, round_.number, assigned.submission_id
    # Organizers of another edition reach the jury home and the method page, nothing else.
    general = (
        []
        if persona == "other_organizer"
        else [
            reverse("judging:home"),
            reverse("judging:method"),
        ]
    )
    urls = [
        *general,
        reverse("judging:profile", args=[slug]),
        reverse("judging:round", args=[slug, n]),
        reverse("judging:review", args=[slug, n, sid]),
    ]
    assert [client.get(url).status_code for url in urls] == [404] * len(urls)
    assert (
        client.post(reverse("judging:recuse", args=[slug, n, sid]), {"reason": "x"}).status_code
        == 404
    )


def test_jury_pages_redirect_anonymous(client, round_, assigned, edition):
    url = reverse("judging:review", args=[edition.slug, round_.number, assigned.submission_id])
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_judge_of_other_edition_gets_404(client, round_, assigned, edition):
    stranger = JudgeFactory()  # judges another edition
    client.force_login(stranger.user)
    url = reverse("judging:round", args=[edition.slug, round_.number])
    assert client.get(url).status_code == 404


def test_sponsor_judge_cannot_open_general_round(client, round_, edition):
    sponsor_judge = JudgeFactory(edition=edition, sponsor="Hydro-Québec")
    client.force_login(sponsor_judge.user)
    assert (
        client.get(reverse("judging:round", args=[edition.slug, round_.number])).status_code == 404
    )


def test_home_lists_rounds_with_progress(client, round_, judge_role, assigned):
    client.force_login(judge_role.user)
    response = client.get(reverse("judging:home"))
    assert response.status_code == 200
    ((role, rounds),) = response.context["roles"]
    assert role == judge_role
    assert [(r["round"], r["assigned"], r["done"]) for r in rounds] == [(round_, 1, 0)]


def test_method_page_for_judges(client, judge_role):
    client.force_login(judge_role.user)
    response = client.get(reverse("judging:method"))
    assert "Judge-bias model" in response.content.decode()


def test_invitation_accept_flow(client, edition, judge):
    from tests.factories.core import ChallengeFactory

    challenge = ChallengeFactory(edition=edition)
    invitation = JudgeInvitation.objects.create(edition=edition, email=judge.email)
    client.force_login(judge)
    url = reverse("judging:invitation", args=[invitation.token])
    assert "Accept the invitation" in client.get(url).content.decode()

    response = client.post(
        url, {"organisation": " Ville de Québec ", "preferred_challenges": [challenge.pk]}
    )

    assert response.status_code == 302
    role = Judge.objects.get(user=judge, edition=edition)
    assert role.organisation == "Ville de Québec"
    assert list(role.preferred_challenges.all()) == [challenge]
    invitation.refresh_from_db()
    assert invitation.judge == role
    assert client.post(url, {"organisation": "x"}).status_code == 404  # used: refused
    assert Judge.objects.count() == 1


@pytest.mark.parametrize("kind", ["forged", "expired", "used", "revoked"])
def test_invitation_bad_links_get_one_answer(client, edition, judge, organizer, kind):
    """Forged, expired, used or withdrawn: the same 404, so the link tells nothing more."""
    import datetime as dt

    from django.utils import timezone

    invitation = JudgeInvitation.objects.create(edition=edition, email=judge.email)
    long_ago = timezone.now() - dt.timedelta(days=365)
    changes = {
        "expired": {"created_at": long_ago, "mail_requested_at": long_ago},
        "used": {"accepted_at": timezone.now()},
        "revoked": {"revoked_at": timezone.now()},
    }.get(kind, {})
    JudgeInvitation.objects.filter(pk=invitation.pk).update(**changes)
    token = "forged" + invitation.token if kind == "forged" else invitation.token
    client.force_login(judge)
    url = reverse("judging:invitation", args=[token])

    assert (client.get(url).status_code, client.post(url, {"organisation": "x"}).status_code) == (
        404,
        404,
    )
    assert not Judge.objects.exists()


def test_invitation_refused_to_an_account_without_the_invited_address(client, edition, judge):
    """Issue 11: another account holding the link is told to ask the organizers."""
    invitation = JudgeInvitation.objects.create(edition=edition, email="expert@example.org")
    client.force_login(judge)
    url = reverse("judging:invitation", args=[invitation.token])

    response = client.post(url, {"organisation": "Ville"})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "This invitation was sent to another e-mail address than your account's. Log in with "
        f"the invited account, or ask the organizers to invite {judge.email}."
    ]
    assert not Judge.objects.exists()
    invitation.refresh_from_db()
    assert invitation.is_pending


def test_invitation_bad_token_404(client, judge):
    client.force_login(judge)
    assert client.get(reverse("judging:invitation", args=["nope"])).status_code == 404


def test_profile_declare_conflict(client, judge_role, other_team):
    client.force_login(judge_role.user)
    url = reverse("judging:declare_conflict", args=[judge_role.edition.slug])

    response = client.post(url, {"team": other_team.pk, "reason": "Ancien employeur"})

    assert response.status_code == 302
    conflict = Conflict.objects.get()
    assert (conflict.judge, conflict.team, conflict.kind, conflict.created_by) == (
        judge_role,
        other_team,
        "declared",
        judge_role.user,
    )


def test_profile_declare_conflict_needs_target(client, judge_role):
    client.force_login(judge_role.user)
    url = reverse("judging:declare_conflict", args=[judge_role.edition.slug])
    response = client.post(url, {"reason": "?"})
    assert response.context["conflict_form"].errors["team"]
    assert not Conflict.objects.exists()


def test_audit_trail_via_views(client, round_, judge_role, assigned):
    client.force_login(judge_role.user)
    _post_review(client, round_, assigned.submission, [5, None])
    _post_review(client, round_, assigned.submission, [7, 3], action="submit", version=1)

    changes = list(ReviewChange.objects.order_by("version"))
    assert [(c.action, c.changed_by) for c in changes] == [
        ("draft", judge_role.user),
        ("submit", judge_role.user),
    ]
    c1, c2 = _criteria(round_)
    assert changes[1].old["scores"] == {str(c1.pk): 5.0, str(c2.pk): None}
    assert changes[1].new["scores"] == {str(c1.pk): 7.0, str(c2.pk): 3.0}


def test_nav_shows_jury_link_to_judges_only(client, judge_role, participant):
    client.force_login(judge_role.user)
    assert reverse("judging:home") in client.get(reverse("home")).content.decode()
    client.force_login(participant)
    assert reverse("judging:home") not in client.get(reverse("home")).content.decode()


def test_unaccepted_judge_has_no_access(client, edition, round_):
    user = UserFactory()
    JudgeFactory(edition=edition, user=user, accepted_at=None)
    client.force_login(user)
    assert (
        client.get(reverse("judging:round", args=[edition.slug, round_.number])).status_code == 404
    )


def test_draft_after_submit_warns_it_no_longer_counts(client, round_, judge_role, assigned):
    client.force_login(judge_role.user)
    _post_review(client, round_, assigned.submission, [5, 5], action="submit")

    response = _post_review(
        client, round_, assigned.submission, [6, 6], action="draft-confirmed", version=1,
        follow=True,
    )  # fmt: skip

    assert "no longer counts" in " ".join(str(m) for m in response.context["messages"])
    assert Review.objects.get().state == "draft"


def test_invitation_link_sends_anonymous_to_login_and_back(client, edition):
    invitation = JudgeInvitation.objects.create(edition=edition, email="new@example.org")
    url = reverse("judging:invitation", args=[invitation.token])

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=" in response["Location"]


def test_review_page_marks_datasets_withdrawn_from_the_portal(client, round_, judge_role, assigned):
    from submissions.catalogue.models import Dataset
    from submissions.snapshots import build_snapshot
    from tests.factories.submissions import DatasetLinkFactory

    submission = assigned.submission
    link = DatasetLinkFactory(submission=submission)
    submission.versions.update(data=build_snapshot(submission))
    Dataset.objects.filter(pk=link.dataset_id).update(state=Dataset.State.WITHDRAWN)
    client.force_login(judge_role.user)

    response = client.get(
        reverse("judging:review", args=[round_.edition.slug, round_.number, submission.pk])
    )

    assert response.context["withdrawn_ids"] == {link.dataset_id}
    assert "Withdrawn from the portal" in response.content.decode()


def test_review_page_shows_the_submitted_version_not_a_later_edit(
    client, round_, judge_role, assigned
):
    from submissions.models import Submission

    submission = assigned.submission
    submitted_title = submission.versions.get().data["title"]
    Submission.objects.filter(pk=submission.pk).update(title="Modifié après l'échéance")
    client.force_login(judge_role.user)

    response = client.get(
        reverse("judging:review", args=[round_.edition.slug, round_.number, submission.pk])
    )

    html = response.content.decode()
    assert response.context["version"].data["title"] == submitted_title
    assert "Modifié après l&#x27;échéance" not in html
    assert "Modifié après l'échéance" not in html
    listing = client.get(reverse("judging:round", args=[round_.edition.slug, round_.number]))
    assert submitted_title in listing.content.decode()
    assert "Modifié après" not in listing.content.decode()
