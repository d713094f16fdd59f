import itertools
from collections import Counter

import pytest

from judging import services
from judging.errors import (
    AssignmentError,
    ConflictOfInterestError,
    InvitationError,
    RoundSetupError,
)
from judging.models import Assignment, Conflict, Finalist, Judge, Review, Round
from judging.queries import (
    conflict_map,
    has_conflict,
    judge_progress,
    pending_judges,
    submission_progress,
)
from tests.factories.core import ChallengeFactory
from tests.factories.judging import AssignmentFactory, CriterionFactory, JudgeFactory, RoundFactory
from tests.factories.submissions import SubmissionFactory, SubmissionVersionFactory
from tests.factories.teams import MembershipFactory, RegistrationFactory, TeamFactory


def _project(edition, challenge=None, org="École A"):
    team = TeamFactory(edition=edition, challenge=challenge)
    registration = RegistrationFactory(edition=edition, organisation=org)
    MembershipFactory(team=team, user=registration.user)
    sub = SubmissionFactory(team=team, challenge=challenge, state="submitted")
    SubmissionVersionFactory(submission=sub, number=1)
    return sub


# --- Conflicts ------------------------------------------------------------------------------


def test_conflict_map_automatic_by_membership_and_organisation(edition):
    sub_a = _project(edition, org="  université LAVAL ")
    sub_b = _project(edition, org="Ville de Laval")
    # A team member cannot be a judge any more (hackqc.roles and a trigger refuse it): the
    # "member" conflict stays for rows written before the rule.
    org_judge = JudgeFactory(edition=edition, organisation="Université Laval")
    free_judge = JudgeFactory(edition=edition, organisation="Ailleurs")

    conflicts = conflict_map(edition)

    assert {key: [r.kind for r in reasons] for key, reasons in conflicts.items()} == {
        (org_judge.pk, sub_a.team_id): ["organisation"],
    }
    assert sub_b.team_id not in {team for _judge, team in conflicts}
    assert (free_judge.pk, sub_a.team_id) not in conflicts


def test_conflict_map_declared_org_and_lift_and_waiver(edition, organizer):
    sub = _project(edition, org="Hydro-Québec")
    judge = JudgeFactory(edition=edition, organisation="Hydro-Québec")
    declared = services.declare_conflict(
        judge, by=judge.user, organisation="hydro-québec", reason="Employeur"
    )
    assert [r.kind for r in conflict_map(edition)[judge.pk, sub.team_id]] == [
        "organisation",
        "declared",
    ]

    services.lift_conflict(declared, by=organizer, reason="Double emploi")
    services.waive_automatic_conflict(judge, sub.team, by=organizer, reason="Autre division")

    assert conflict_map(edition) == {}
    assert Conflict.objects.filter(kind="waiver", created_by=organizer).count() == 1


def test_declare_conflict_needs_reason(edition):
    judge = JudgeFactory(edition=edition)
    with pytest.raises(InvitationError):
        services.declare_conflict(judge, by=judge.user, organisation="X", reason="  ")
    assert not Conflict.objects.exists()


def test_one_pairs_conflicts_are_those_of_the_whole_map(edition, organizer):
    """Saving a review asks about one judge and one team: the narrowed reading must find
    exactly what the edition's whole map says about that pair, whatever the kind."""
    subs = [_project(edition, org=org) for org in ("Hydro-Québec", "Ville de Laval", "Mila")]
    judges = [JudgeFactory(edition=edition, organisation=org) for org in ("hydro-québec", "")]
    judges.append(JudgeFactory(edition=edition, organisation="Mila"))
    services.declare_conflict(
        judges[1], by=judges[1].user, organisation="VILLE de laval", reason="Employeur"
    )
    services.add_conflict(judges[1], by=organizer, team=subs[2].team, reason="Parent")
    services.waive_automatic_conflict(
        judges[2], subs[2].team, by=organizer, reason="Autre division"
    )

    whole = conflict_map(edition)

    for judge, sub in itertools.product(judges, subs):
        pair = conflict_map(edition, judge=judge, team=sub.team)
        assert pair.get((judge.pk, sub.team_id)) == whole.get((judge.pk, sub.team_id))
        assert has_conflict(judge, sub.team) == ((judge.pk, sub.team_id) in whole)
    assert len(whole) == 3  # organisation, declared organisation, added for a team


def test_conflict_map_constant_queries(edition, django_assert_num_queries):
    for _ in range(3):
        _project(edition)
        JudgeFactory(edition=edition)
    with django_assert_num_queries(4):
        conflict_map(edition)


# --- Assignment -----------------------------------------------------------------------------


def _brute_force(judges, subs, k, conflicts, prefs, challenge_of):
    """Best (max load, -preferred) over every assignment: small cases only."""
    best = None
    options = [
        [
            combo
            for combo in itertools.combinations(judges, k)
            if not any((j, s) in conflicts for j in combo)
        ]
        for s in subs
    ]
    for choice in itertools.product(*options):
        loads = Counter(j for combo in choice for j in combo)
        preferred = sum(
            challenge_of[s] in prefs[j]
            for s, combo in zip(subs, choice, strict=True)
            for j in combo
        )
        key = (max(loads.values()), -preferred)
        best = key if best is None or key < best else best
    return best


def test_run_assignment_optimal_against_brute_force(edition):
    c1, c2 = ChallengeFactory(edition=edition), ChallengeFactory(edition=edition)
    subs = [
        _project(edition, challenge=c, org=f"Org {i}") for i, c in enumerate([c1, c1, c2, c2, c1])
    ]
    judges = [JudgeFactory(edition=edition, organisation=f"Jury {i}") for i in range(4)]
    judges[0].preferred_challenges.set([c1])
    judges[1].preferred_challenges.set([c2])
    judges[3].organisation = "Org 0"
    judges[3].save()  # automatic conflict with subs[0]
    services.declare_conflict(judges[2], by=None, team=subs[2].team, reason="Ami")
    round_ = RoundFactory(edition=edition, judges_per_submission=2)

    outcome = services.run_assignment(round_, by=None)

    pairs = set(Assignment.objects.filter(round=round_).values_list("judge", "submission"))
    assert Counter(s for _j, s in pairs) == {s.pk: 2 for s in subs}
    assert (judges[3].pk, subs[0].pk) not in pairs
    assert (judges[2].pk, subs[2].pk) not in pairs
    conflicts = {(judges[3].pk, subs[0].pk), (judges[2].pk, subs[2].pk)}
    prefs = {j.pk: {c.pk for c in j.preferred_challenges.all()} for j in judges}
    best = _brute_force(
        [j.pk for j in judges],
        [s.pk for s in subs],
        2,
        conflicts,
        prefs,
        {s.pk: s.challenge_id for s in subs},
    )
    assert (outcome.result.max_load, -outcome.result.preferred_matches) == best


def test_run_assignment_keeps_started_and_pinned_and_tops_up_recusal(edition):
    subs = [_project(edition, org=f"Org {i}") for i in range(3)]
    [JudgeFactory(edition=edition, organisation=f"Jury {i}") for i in range(3)]
    round_ = RoundFactory(edition=edition, judges_per_submission=1)
    CriterionFactory(round=round_)
    services.run_assignment(round_, by=None)
    first = dict(Assignment.objects.values_list("submission", "judge"))
    started_sub = subs[0].pk
    judge0 = Judge.objects.get(pk=first[started_sub])
    services.save_review(round_, judge=judge0, submission=subs[0], by=None, values={}, version=0)
    recused_sub = subs[1]
    judge1 = Judge.objects.get(pk=first[recused_sub.pk])
    services.recuse_review(round_, judge=judge1, submission=recused_sub, by=None, reason="Conflit")

    assert [
        r["missing"] for r in submission_progress(round_) if r["submission"] == recused_sub
    ] == [1]
    services.run_assignment(round_, by=None)

    after = set(Assignment.objects.values_list("judge", "submission"))
    assert (judge0.pk, started_sub) in after
    assert (judge1.pk, recused_sub.pk) in after  # kept for the record, no longer counted
    active = next(r for r in submission_progress(round_) if r["submission"] == recused_sub)
    assert (active["active"], active["missing"]) == (1, 0)


def test_run_assignment_infeasible_changes_nothing(edition):
    sub = _project(edition, org="Même org")
    judges = [JudgeFactory(edition=edition, organisation=" même ORG") for _ in range(2)]
    round_ = RoundFactory(edition=edition, judges_per_submission=1)
    other = _project(edition)
    AssignmentFactory(round=round_, judge=judges[0], submission=other)

    with pytest.raises(AssignmentError) as exc:
        services.run_assignment(round_, by=None)

    assert [(s.submission_id, s.eligible_judges) for s in exc.value.shortfalls] == [(sub.pk, 0)]
    assert "only 0 judges without a conflict" in exc.value.shortfalls[0].reason
    assert list(Assignment.objects.values_list("judge", "submission")) == [(judges[0].pk, other.pk)]


def test_withdraw_judge_then_rerun_replaces(edition):
    subs = [_project(edition, org=f"Org {i}") for i in range(2)]
    judges = [JudgeFactory(edition=edition, organisation=f"Jury {i}") for i in range(3)]
    round_ = RoundFactory(edition=edition, judges_per_submission=2)
    services.run_assignment(round_, by=None)
    leaving = judges[0]

    services.withdraw_judge(round_, judge=leaving, by=None, reason="Malade")
    services.run_assignment(round_, by=None)

    assert not Assignment.objects.filter(judge=leaving).exists()
    assert Counter(Assignment.objects.values_list("submission", flat=True)) == {
        s.pk: 2 for s in subs
    }


def test_pin_conflicted_refused(edition, team, participant, submitted):
    judge = JudgeFactory(edition=edition)
    services.declare_conflict(judge, by=judge.user, team=team, reason="Ancien collègue")
    round_ = RoundFactory(edition=edition)
    with pytest.raises(ConflictOfInterestError):
        services.pin_assignment(round_, judge=judge, submission=submitted, by=None)
    assert not Assignment.objects.exists()


def test_sponsor_round_uses_sponsor_judges_only(edition):
    _project(edition)
    general = JudgeFactory(edition=edition, organisation="A")
    sponsor = JudgeFactory(edition=edition, organisation="B", sponsor="Hydro-Québec")
    round_ = RoundFactory(edition=edition, judges_per_submission=1, sponsor="Hydro-Québec")

    services.run_assignment(round_, by=None)

    assert list(Assignment.objects.values_list("judge", flat=True)) == [sponsor.pk]
    assert general.pk not in Assignment.objects.values_list("judge", flat=True)


def test_challenge_scope_round(edition):
    c1, c2 = ChallengeFactory(edition=edition), ChallengeFactory(edition=edition)
    inside = _project(edition, challenge=c1)
    _project(edition, challenge=c2)
    JudgeFactory(edition=edition, organisation="A")
    round_ = RoundFactory(
        edition=edition, judges_per_submission=1, scope="challenge", scope_challenge=c1
    )

    services.run_assignment(round_, by=None)

    assert list(Assignment.objects.values_list("submission", flat=True)) == [inside.pk]


def test_progress_queries(edition, django_assert_num_queries):
    round_ = RoundFactory(edition=edition)
    judge = JudgeFactory(edition=edition)
    subs = [_project(edition) for _ in range(3)]
    for s in subs:
        AssignmentFactory(round=round_, judge=judge, submission=s)
    Review.objects.create(round=round_, judge=judge, submission=subs[0], state="submitted")
    Review.objects.create(round=round_, judge=judge, submission=subs[1], state="draft")

    with django_assert_num_queries(2):
        rows = judge_progress(round_)
    assert [(r["assigned"], r["done"], r["drafts"], r["pending"]) for r in rows] == [(3, 1, 1, 2)]
    assert pending_judges(round_) == {judge.pk: 2}


# --- Invitations --------------------------------------------------------------------------


def test_accept_revoked_invitation_refused(edition, judge, organizer):
    invitation = services.invite_judge(edition, by=organizer, email=judge.email)
    services.revoke_invitation(invitation, by=organizer)
    with pytest.raises(InvitationError):
        services.accept_invitation(invitation, user=judge, organisation="X")
    assert not Judge.objects.exists()


def test_participant_of_the_edition_cannot_join_its_jury(edition, participant, organizer):
    from hackqc.roles import RoleConflictError

    invitation = services.invite_judge(edition, by=organizer, email=participant.email)
    with pytest.raises(RoleConflictError):
        services.accept_invitation(invitation, user=participant, organisation="X")
    assert not Judge.objects.exists()


def test_expired_invitation_refused_until_sent_again(edition, judge, organizer):
    import datetime as dt

    import time_machine

    invitation = services.invite_judge(edition, by=organizer, email=judge.email)
    with time_machine.travel(dt.timedelta(days=31)):
        with pytest.raises(InvitationError):
            services.accept_invitation(invitation, user=judge, organisation="X")
        assert not Judge.objects.exists()
        services.invite_judge(edition, by=organizer, email=judge.email)
        invitation.refresh_from_db()
        role = services.accept_invitation(invitation, user=judge, organisation="X")
    assert role.accepted_at is not None


def test_judge_cannot_register_as_a_participant(edition, judge):
    from hackqc.roles import RoleConflictError
    from teams import services as team_services
    from teams.models import Registration

    JudgeFactory(edition=edition, user=judge)
    with pytest.raises(RoleConflictError):
        team_services.register(edition, user=judge, by=judge, role="participant", accept_rules=True)
    assert not Registration.objects.filter(user=judge).exists()
    team_services.register(edition, user=judge, by=judge, role="mentor", accept_rules=True)


def test_invite_twice_reuses_pending(edition, organizer):
    first = services.invite_judge(edition, by=organizer, email="a@example.org")
    second = services.invite_judge(edition, by=organizer, email="A@example.org")
    assert first.pk == second.pk


def test_accept_invitation_with_sponsor(edition, judge, organizer):
    invitation = services.invite_judge(
        edition, by=organizer, email=judge.email, sponsor="Hydro-Québec"
    )
    role = services.accept_invitation(invitation, user=judge, organisation="Hydro")
    assert (role.sponsor, role.organisation, role.accepted_at is not None) == (
        "Hydro-Québec",
        "Hydro",
        True,
    )


# --- Rounds and finalists -------------------------------------------------------------------


def _score_round(round_, judge, subs_scores):
    crit = round_.criteria.get()
    for sub, value in subs_scores:
        AssignmentFactory(round=round_, judge=judge, submission=sub)
        services.save_review(
            round_,
            judge=judge,
            submission=sub,
            by=None,
            values={crit.pk: value},
            version=0,
            submit=True,
        )


def test_select_finalists_top_per_challenge_and_wildcards(edition):
    c1, c2 = ChallengeFactory(edition=edition), ChallengeFactory(edition=edition)
    subs1 = [_project(edition, challenge=c1, org=f"A{i}") for i in range(3)]
    subs2 = [_project(edition, challenge=c2, org=f"B{i}") for i in range(3)]
    prelim = RoundFactory(edition=edition, number=1, method="mean")
    CriterionFactory(round=prelim)
    judge = JudgeFactory(edition=edition, organisation="J")
    _score_round(
        prelim,
        judge,
        [(subs1[0], 9), (subs1[1], 8), (subs1[2], 1), (subs2[0], 5), (subs2[1], 4), (subs2[2], 3)],
    )
    final = RoundFactory(edition=edition, number=2, scope="finalists", source_round=prelim)

    with pytest.raises(RoundSetupError):
        services.select_finalists(prelim, final, by=None, top_n=1)
    services.close_round(prelim, by=None)
    services.select_finalists(prelim, final, by=None, top_n=1, wildcards=1)

    chosen = dict(Finalist.objects.values_list("submission", "reason"))
    # Normalised within the challenge, 8 among (9, 8, 1) beats 4 among (5, 4, 3).
    assert chosen == {subs1[0].pk: "top", subs2[0].pk: "top", subs1[1].pk: "wildcard"}
    from judging.queries import round_submissions

    assert set(round_submissions(final)) == {subs1[0], subs2[0], subs1[1]}


def test_update_closed_round_refused(edition):
    round_ = RoundFactory(edition=edition)
    services.close_round(round_, by=None)
    with pytest.raises(RoundSetupError):
        services.update_round(round_, by=None, name="Autre")
    assert Round.objects.get().name == round_.name


def test_scale_locked_once_reviews_exist(round_, judge_role, assigned):
    c1 = round_.criteria.get(name="Innovation")
    services.save_review(
        round_,
        judge=judge_role,
        submission=assigned.submission,
        by=None,
        values={c1.pk: 5},
        version=0,
    )
    c1.max_value = 5
    with pytest.raises(RoundSetupError):
        services.save_criterion(c1, by=None)
    with pytest.raises(RoundSetupError):
        services.delete_criterion(c1, by=None)


def test_one_tiebreak_per_round(round_):
    c1 = round_.criteria.get(name="Innovation")
    c1.is_tiebreak = True
    services.save_criterion(c1, by=None)
    assert list(round_.criteria.filter(is_tiebreak=True)) == [c1]


def test_judge_progress_flags_late_judges_near_the_end(edition):
    import datetime as dt

    round_ = RoundFactory(edition=edition)
    judge = JudgeFactory(edition=edition)
    AssignmentFactory(round=round_, judge=judge, submission=_project(edition))

    early = judge_progress(round_, now=round_.closes_at - dt.timedelta(days=3))
    late = judge_progress(round_, now=round_.closes_at - dt.timedelta(days=1))

    assert [r["late"] for r in early] == [False]
    assert [r["late"] for r in late] == [True]


def test_invitation_mail_once_per_request(
    edition, organizer, mailoutbox, django_capture_on_commit_callbacks
):
    from hackqc.models import OutgoingMail
    from hackqc.tasks import task_send_mail

    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invite_judge(edition, by=organizer, email="j@example.org")
    task_send_mail(mail_id=OutgoingMail.objects.get().pk)  # the task delivered twice
    assert len(mailoutbox) == 1

    with django_capture_on_commit_callbacks(execute=True):
        services.invite_judge(edition, by=organizer, email="j@example.org")  # resend asked
    assert len(mailoutbox) == 2
    assert invitation.token in mailoutbox[1].body


def test_run_assignment_more_pins_than_k_explained(edition):
    sub = _project(edition)
    round_ = RoundFactory(edition=edition, judges_per_submission=1)
    for i in range(2):
        services.pin_assignment(
            round_,
            judge=JudgeFactory(edition=edition, organisation=f"J{i}"),
            submission=sub,
            by=None,
        )

    with pytest.raises(AssignmentError, match="more than 1 judges"):
        services.run_assignment(round_, by=None)
    assert Assignment.objects.count() == 2
