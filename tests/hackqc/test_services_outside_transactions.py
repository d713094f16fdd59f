"""Every writing service, run as a view or a task runs it: outside any test transaction, on
PostgreSQL, where `select_for_update` outside a transaction is an error (issue 11: editing a
team was a 500 every time, which tests inside a transaction could not see).

Each `@service` of the project needs a scenario here; a new one without fails
`test_every_service_has_a_scenario`.
"""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from hackqc.models import Phase
from hackqc.service import all_services
from tests.factories.catalogue import DatasetFactory, PortalFactory
from tests.factories.core import (
    EditionFactory,
    OrganizerRoleFactory,
    UserFactory,
)
from tests.factories.judging import (
    AssignmentFactory,
    CriterionFactory,
    JudgeFactory,
    RoundFactory,
)
from tests.factories.results import AwardPolicyFactory, PrizeFactory
from tests.factories.submissions import SubmissionFactory, SubmissionVersionFactory
from tests.factories.teams import (
    InvitationFactory,
    JoinRequestFactory,
    MembershipFactory,
    RegistrationFactory,
    TeamFactory,
)
from tests.submissions.images import image_bytes, upload

SCENARIOS = {}


def scenario(*names):
    def register(func):
        for name in names:
            SCENARIOS[name] = func
        return func

    return register


@pytest.fixture
def world(db):
    """An edition in registration with a captain, a teammate, a registered person without a
    team, an organizer and a judge."""

    class World:
        edition = EditionFactory(phase=Phase.REGISTRATION)
        organizer = OrganizerRoleFactory(edition=edition).user
        team = TeamFactory(edition=edition)
        captain = MembershipFactory(team=team, is_captain=True).user
        teammate = MembershipFactory(team=team).user
        solo = RegistrationFactory(edition=edition).user

    return World


def hacking_sheet(*, complete=False):
    """A team's sheet in an edition whose submissions are open; returns (submission, captain)."""
    edition = EditionFactory(phase=Phase.HACKING)
    team = TeamFactory(edition=edition)
    captain = MembershipFactory(team=team, is_captain=True).user
    submission = SubmissionFactory(team=team, complete=complete, with_dataset=complete)
    return submission, captain


def judged_round():
    """An open round with one criterion, a judge assigned one submitted project."""
    edition = EditionFactory(phase=Phase.JUDGING)
    organizer = OrganizerRoleFactory(edition=edition).user
    round_ = RoundFactory(edition=edition, number=1)
    criterion = CriterionFactory(round=round_)
    submission = SubmissionFactory(team__edition=edition, state="submitted")
    SubmissionVersionFactory(submission=submission, number=1)
    assignment = AssignmentFactory(round=round_, submission=submission)
    return round_, criterion, assignment, organizer


# hackqc.privacy ---------------------------------------------------------------------------


@scenario("hackqc.privacy.erasure.erase_account")
def _erase_account(world):
    from hackqc.privacy.erasure import erase_account
    from teams.models import Membership

    erase_account(world.captain, by=world.captain)
    assert Membership.objects.get(team=world.team, is_captain=True).user == world.teammate


@scenario(
    "hackqc.privacy.exporting.request_export",
    "hackqc.privacy.exporting.build_and_mail_export",
    "hackqc.privacy.exporting.delete_expired_exports",
)
def _export(world):
    from hackqc.privacy.exporting import delete_expired_exports, request_export
    from hackqc.privacy.models import DataExport

    export = request_export(world.solo, by=world.solo)  # the eager task builds it on commit
    export.refresh_from_db()
    assert export.state == DataExport.State.READY
    assert delete_expired_exports(now=export.expires_at) == 1


@scenario("hackqc.privacy.retention.anonymise_edition")
def _anonymise_edition(world):
    from hackqc.privacy.retention import anonymise_edition
    from teams.models import Registration

    Registration.objects.filter(user=world.solo).update(bio="Ma vie")
    anonymise_edition(world.edition)
    assert Registration.objects.get(user=world.solo).bio == ""


# hackqc ----------------------------------------------------------------------------------


@scenario("hackqc.services.create_edition")
def _create_edition(world):
    from hackqc.services import create_edition
    from tests.factories.core import timeline_for

    edition = create_edition(
        by=world.organizer, year=2031, slug="hackqc-2031", name="HackQC 2031",
        **{k: v for k, v in timeline_for(Phase.UPCOMING).items() if k != "results_published"},
    )  # fmt: skip
    assert edition.organizer_roles.filter(user=world.organizer).exists()


@scenario("hackqc.services.update_edition")
def _update_edition(world):
    from hackqc.services import update_edition

    update_edition(world.edition, by=world.organizer, theme="Mobilité")
    world.edition.refresh_from_db()
    assert world.edition.theme == "Mobilité"


@scenario("hackqc.cloning.clone_edition")
def _clone_edition(world):
    from hackqc.cloning import clone_edition
    from tests.factories.core import ChallengeFactory

    ChallengeFactory(edition=world.edition, title="Mobilité")
    RoundFactory(edition=world.edition, number=1)
    new = clone_edition(
        world.edition, by=world.organizer, year=world.edition.year + 1, slug="suivante",
        name="La suivante",
    )  # fmt: skip
    assert list(new.challenges.values_list("title", flat=True)) == ["Mobilité"]
    assert (new.rounds.count(), new.teams.count()) == (1, 0)


@scenario("hackqc.services.save_challenge", "hackqc.services.delete_challenge")
def _challenge(world):
    from hackqc.models import Challenge
    from hackqc.services import delete_challenge, save_challenge

    challenge = save_challenge(
        Challenge(edition=world.edition, number=9, title="Défi", partner="Ville"),
        by=world.organizer,
    )
    delete_challenge(challenge, by=world.organizer)
    assert not Challenge.objects.filter(pk=challenge.pk).exists()


@scenario("hackqc.services.save_host_site", "hackqc.services.delete_host_site")
def _host_site(world):
    from hackqc.models import HostSite
    from hackqc.services import delete_host_site, save_host_site

    site = save_host_site(
        HostSite(edition=world.edition, name="Pôle", city="Rimouski"), by=world.organizer
    )
    delete_host_site(site, by=world.organizer)
    assert not HostSite.objects.filter(pk=site.pk).exists()


@scenario("hackqc.services.grant_organizer", "hackqc.services.revoke_organizer")
def _organizer_roles(world):
    from hackqc.models import EditionOrganizer
    from hackqc.services import grant_organizer, revoke_organizer

    person = UserFactory()
    grant_organizer(world.edition, user=person, by=world.organizer)
    assert EditionOrganizer.objects.filter(edition=world.edition, user=person).exists()
    revoke_organizer(world.edition, user=person, by=world.organizer)
    assert not EditionOrganizer.objects.filter(edition=world.edition, user=person).exists()


@scenario("hackqc.services.publish_page")
def _publish_page(world):
    from hackqc.services import publish_page

    first = publish_page(world.edition, kind="rules", body="Un.", by=world.organizer)
    second = publish_page(world.edition, kind="rules", body="Deux.", by=world.organizer)
    assert (first.version, second.version) == (1, 2)


@scenario("hackqc.services.resend_failed_mail")
def _resend_failed_mail(world, mailoutbox):
    from hackqc.models import OutgoingMail
    from hackqc.outbox import queue_mail
    from hackqc.services import resend_failed_mail

    mail = queue_mail(
        "teams/mail/dissolved",
        to="gone@example.org",
        key="scenario:resend",
        context={"team_name": "X", "edition": world.edition, "board_url": "/x/"},
    )  # committed at once (no transaction here) and sent eagerly
    OutgoingMail.objects.filter(pk=mail.pk).update(state="failed", sent_at=None, attempts=3)
    mail = resend_failed_mail(mail, by=world.organizer)
    mail.refresh_from_db()
    assert (mail.state, len(mailoutbox)) == ("sent", 2)


@scenario("hackqc.services.record_heartbeat")
def _heartbeat(world):
    from hackqc.models import WorkerHeartbeat
    from hackqc.services import record_heartbeat

    record_heartbeat(hostname="worker-1")
    assert WorkerHeartbeat.objects.filter(hostname="worker-1").exists()


@scenario("hackqc.services.update_profile")
def _profile(world):
    from hackqc.services import update_profile

    update_profile(world.solo, display_name="Zoé", preferred_language="en")
    world.solo.refresh_from_db()
    assert (world.solo.display_name, world.solo.preferred_language) == ("Zoé", "en")


@scenario("hackqc.agenda.save_agenda_item", "hackqc.agenda.delete_agenda_item")
def _agenda_item(world):
    from hackqc.agenda import delete_agenda_item, save_agenda_item
    from hackqc.models import AgendaItem

    now = timezone.now()
    item = AgendaItem(edition=world.edition, title="Atelier", starts_at=now, ends_at=now)
    save_agenda_item(item, by=world.organizer)
    assert AgendaItem.objects.filter(pk=item.pk).exists()
    delete_agenda_item(item, by=world.organizer)
    assert not AgendaItem.objects.filter(edition=world.edition).exists()


@scenario(
    "hackqc.announcements.create_announcement",
    "hackqc.announcements.update_announcement",
    "hackqc.announcements.send_test_announcement",
    "hackqc.announcements.send_announcement",
    "hackqc.announcements.deliver_announcement",
    "hackqc.announcements.pin_announcement",
    "hackqc.announcements.unpin_announcement",
    "hackqc.announcements.requeue_lapsed_sends",
)
def _announcement(world):
    from hackqc import announcements
    from hackqc.models import Announcement

    texts = {"subject_fr": "Salle", "body_fr": "B-204", "subject_en": "", "body_en": ""}
    draft = announcements.create_announcement(
        world.edition, by=world.organizer, segment="teams.participants", **texts
    )
    announcements.update_announcement(
        draft, by=world.organizer, segment="teams.participants", **{**texts, "body_fr": "B-205"}
    )
    announcements.send_test_announcement(draft, by=world.organizer)
    # The task runs after the commit (eager): the three participants are mailed once each.
    announcements.send_announcement(draft, by=world.organizer)
    assert announcements.deliver_announcement(draft) == 0
    draft.refresh_from_db()
    assert (draft.status, draft.recipient_count) == (Announcement.Status.SENT, 3)
    announcements.pin_announcement(draft, by=world.organizer)
    announcements.unpin_announcement(draft, by=world.organizer)
    # A send whose task was lost is queued again by the sweep; it mails nobody twice.
    Announcement.objects.filter(pk=draft.pk).update(
        status=Announcement.Status.SENDING, sending_since=draft.created_at - dt.timedelta(days=1)
    )
    assert announcements.requeue_lapsed_sends() == 1
    draft.refresh_from_db()
    assert draft.status == Announcement.Status.SENT
    assert announcements.sent_mails(draft).count() == 3


# teams -----------------------------------------------------------------------------------


@scenario("teams.services.registrations.register")
def _register(world):
    from teams.services import register

    person = UserFactory()
    registration = register(
        world.edition, user=person, by=person, role="participant", accept_rules=True
    )
    assert registration.pk


@scenario(
    "teams.services.registrations.update_consent",
    "teams.services.registrations.update_registration",
    "teams.services.registrations.withdraw_registration",
)
def _registration(world):
    from teams.models import Registration
    from teams.services import update_consent, update_registration, withdraw_registration

    registration = Registration.objects.get(edition=world.edition, user=world.solo)
    update_registration(registration, by=world.solo, role="mentor", bio="Mentor en données")
    update_consent(registration, by=world.solo, show_profile=False)
    registration.refresh_from_db()
    assert (registration.role, registration.show_profile) == ("mentor", False)
    withdraw_registration(registration, by=world.solo)
    assert not Registration.objects.filter(pk=registration.pk).exists()


@scenario("teams.services.corrections.correct_registration")
def _correct_registration(world):
    from hackqc.models import HostSite
    from hackqc.privacy.models import ConsentChange
    from teams.models import Registration
    from teams.services import correct_registration

    site = HostSite.objects.create(edition=world.edition, name="Pôle", city="Lévis", capacity=1)
    registration = Registration.objects.get(edition=world.edition, user=world.solo)
    correct_registration(
        registration, by=world.organizer, reason="Au téléphone", role="mentor", host_site=site,
        show_profile=True,
    )  # fmt: skip
    registration.refresh_from_db()
    assert (registration.role, registration.host_site, registration.show_profile) == (
        "mentor",
        site,
        True,
    )
    assert ConsentChange.objects.get(user=world.solo, consent="show_profile").by == world.organizer


@scenario("teams.services.sites.choose_host_site", "teams.services.sites.check_in")
def _host_site_day(world):
    from hackqc.models import HostSite
    from teams.models import Registration
    from teams.services import check_in, choose_host_site, update_team

    site = HostSite.objects.create(edition=world.edition, name="Pôle", city="Lévis", capacity=3)
    registration = Registration.objects.get(edition=world.edition, user=world.solo)
    choose_host_site(registration, site=site, by=world.solo)
    update_team(world.team, by=world.captain, host_site=site)  # seats both members: 3 of 3
    assert Registration.objects.filter(host_site=site).count() == 3
    assert check_in(registration, by=world.organizer) is True
    assert check_in(registration, by=world.organizer) is False


@scenario("teams.services.teams.create_team")
def _create_team(world):
    from teams.services import create_team

    team = create_team(world.edition, by=world.solo, name="Les Ours")
    assert team.memberships.get().user == world.solo
    assert team.submission.pk


@scenario("teams.services.teams.update_team")
def _update_team(world):
    from teams.services import update_team

    update_team(world.team, by=world.captain, name="Les Loups", description="Nouveau")
    world.team.refresh_from_db()
    assert (world.team.name, world.team.description) == ("Les Loups", "Nouveau")


@scenario("teams.services.teams.regenerate_join_code", "teams.services.joining.join_with_code")
def _join_code(world):
    from teams.services import join_with_code, regenerate_join_code

    team = regenerate_join_code(world.team, by=world.captain)
    join_with_code(world.edition, code=team.join_code, user=world.solo)
    assert world.team.memberships.filter(user=world.solo).exists()


@scenario("teams.services.teams.add_member")
def _add_member(world):
    from teams.services.teams import add_member

    add_member(world.team, world.solo, by=world.captain)
    assert world.team.memberships.filter(user=world.solo).exists()


@scenario("teams.services.teams.transfer_captaincy")
def _transfer(world):
    from teams.services import transfer_captaincy

    transfer_captaincy(world.team, to=world.teammate, by=world.captain)
    assert world.team.memberships.get(is_captain=True).user == world.teammate


@scenario("teams.services.teams.remove_member")
def _remove(world):
    from teams.services import remove_member

    remove_member(world.team.memberships.get(user=world.teammate), by=world.captain)
    assert not world.team.memberships.filter(user=world.teammate).exists()


@scenario("teams.services.teams.leave_team")
def _leave(world):
    from teams.services import leave_team

    leave_team(world.team.memberships.get(user=world.teammate), by=world.teammate)
    assert not world.team.memberships.filter(user=world.teammate).exists()


@scenario("teams.services.teams.dissolve_team")
def _dissolve(world):
    from teams.models import Team
    from teams.services import dissolve_team

    dissolve_team(world.team, by=world.captain)
    assert not Team.objects.filter(pk=world.team.pk).exists()


@scenario("teams.services.teams.move_participant")
def _move(world):
    from teams.services import move_participant

    move_participant(world.edition, user=world.solo, to_team=world.team, by=world.organizer)
    assert world.team.memberships.filter(user=world.solo).exists()


@scenario("teams.services.joining.invite_member", "teams.services.joining.revoke_invitation")
def _invite(world):
    from teams.services import invite_member, revoke_invitation

    invitation = invite_member(world.team, email="new@example.org", by=world.captain)
    revoke_invitation(invitation, by=world.captain)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


@scenario("teams.services.joining.accept_invitation")
def _accept(world):
    from teams.services import accept_invitation

    invitation = InvitationFactory(team=world.team, email=world.solo.email)
    accept_invitation(invitation.token, user=world.solo)
    assert world.team.memberships.filter(user=world.solo).exists()


@scenario(
    "teams.services.joining.request_to_join",
    "teams.services.joining.accept_join_request",
)
def _join_request(world):
    from teams.services import accept_join_request, request_to_join

    join_request = request_to_join(world.team, user=world.solo, message="Bonjour")
    accept_join_request(join_request, by=world.captain)
    assert world.team.memberships.filter(user=world.solo).exists()


@scenario("teams.services.joining.decline_join_request")
def _decline(world):
    from teams.services import decline_join_request

    join_request = JoinRequestFactory(team=world.team, user=world.solo)
    decline_join_request(join_request, by=world.captain)
    join_request.refresh_from_db()
    assert join_request.status == "declined"


@scenario("teams.services.joining.withdraw_join_request")
def _withdraw_request(world):
    from teams.services import withdraw_join_request

    join_request = JoinRequestFactory(team=world.team, user=world.solo)
    withdraw_join_request(join_request, by=world.solo)
    join_request.refresh_from_db()
    assert join_request.status == "withdrawn"


# submissions ------------------------------------------------------------------------------


@scenario("submissions.services.sheet.create_submission")
def _create_submission(world):
    from submissions.services import create_submission

    team = TeamFactory(edition=world.edition)
    assert create_submission(team).pk


@scenario("submissions.services.sheet.update_sheet")
def _update_sheet(world):
    from submissions.services import update_sheet

    submission, captain = hacking_sheet()
    update_sheet(
        submission, by=captain, lock_version=submission.lock_version, title="Vélo",
        technologies=["Python"], libraries=[("Django", "5.2")],
    )  # fmt: skip
    submission.refresh_from_db()
    assert submission.title == "Vélo"


@scenario(
    "submissions.services.datasets.link_dataset", "submissions.services.datasets.unlink_dataset"
)
def _datasets(world):
    from submissions.services import link_dataset, unlink_dataset

    submission, captain = hacking_sheet()
    link = link_dataset(submission, by=captain, dataset=DatasetFactory(), usage="Carte")
    unlink_dataset(link, by=captain)
    assert not submission.dataset_links.exists()


@scenario(
    "submissions.services.sheet_images.set_logo", "submissions.services.sheet_images.remove_logo"
)
def _logo(world):
    from submissions.services import remove_logo, set_logo

    submission, captain = hacking_sheet()
    set_logo(submission, by=captain, upload=upload(image_bytes()))
    submission.refresh_from_db()
    assert submission.logo
    remove_logo(submission, by=captain)
    submission.refresh_from_db()
    assert not submission.logo


@scenario(
    "submissions.services.sheet_images.add_screenshot",
    "submissions.services.sheet_images.remove_screenshot",
)
def _screenshots(world):
    from submissions.services import add_screenshot, remove_screenshot

    submission, captain = hacking_sheet()
    shot = add_screenshot(submission, by=captain, upload=upload(image_bytes()), alt_text="Carte")
    remove_screenshot(shot, by=captain)
    assert not submission.screenshots.exists()


@scenario(
    "submissions.services.submitting.submit_project",
    "submissions.services.submitting.copy_version_relations",
    "submissions.services.submitting.record_confirmation",
    "submissions.services.submitting.store_versions",
)
def _submit(world):
    from submissions.models import SubmitConfirmation
    from submissions.services import submit_project

    submission, captain = hacking_sheet(complete=True)
    version = submit_project(submission, by=captain)
    assert version.datasets.count() == 1
    assert SubmitConfirmation.objects.filter(version=version, user=captain).exists()


@scenario("submissions.services.submitting.record_reminder")
def _reminder(world):
    from submissions.services import record_reminder

    assert record_reminder(world.team, "24h") is True
    assert record_reminder(world.team, "24h") is False


@scenario(
    "submissions.services.decisions.reopen_submission",
    "submissions.services.decisions.disqualify_submission",
)
def _organizer_decisions(world):
    from submissions.services import disqualify_submission, reopen_submission

    edition = EditionFactory(phase=Phase.JUDGING)
    organizer = OrganizerRoleFactory(edition=edition).user
    submission = SubmissionFactory(team__edition=edition, state="submitted")
    until = timezone.now() + dt.timedelta(days=1)
    reopen_submission(submission, by=organizer, reason="Panne", until=until)
    disqualify_submission(submission, by=organizer, reason="Plagiat")
    assert set(submission.decisions.values_list("kind", flat=True)) == {
        "reopened",
        "disqualified",
    }


@scenario(
    "submissions.catalogue.services.request_sync",
    "submissions.catalogue.services.create_sync_run",
    "submissions.catalogue.services.get_default_portal",
)
def _request_sync(world, monkeypatch):
    from submissions.catalogue import services, tasks

    monkeypatch.setattr(tasks.task_sync_datasets, "delay", lambda **kwargs: None)
    run = services.request_sync(services.get_default_portal(), by=world.organizer)
    assert run.status == "pending"


@scenario(
    "submissions.catalogue.services.create_portal",
    "submissions.catalogue.services.update_portal",
    "submissions.catalogue.services.set_portal_enabled",
)
def _manage_portal(world):
    from submissions.catalogue import services

    staff = UserFactory(is_staff=True)
    portal = services.create_portal(
        by=staff,
        name="ottawa",
        title="Ottawa",
        api_url="https://8.8.8.8/api/3/action/",
        dataset_url_pattern="https://8.8.8.8/dataset/{name}",
    )
    services.update_portal(portal, by=staff, title="Ville d'Ottawa")
    services.set_portal_enabled(portal, by=staff, enabled=False)
    portal.refresh_from_db()
    assert (portal.title, portal.is_enabled) == ("Ville d'Ottawa", False)


@scenario("submissions.catalogue.services.portal_for_url")
def _portal_for_url(world):
    from submissions.catalogue.services import portal_for_url

    portal = portal_for_url("https://open.canada.ca/data/api/3/action/")
    assert portal.pk


@scenario("submissions.catalogue.services.apply_catalogue")
def _apply_catalogue(world):
    from submissions.catalogue.ckan import parse_packages
    from submissions.catalogue.services import apply_catalogue
    from tests.catalogue.conftest import DQ_PAGES
    from tests.catalogue.replay import recorded_packages

    packages, _skipped = parse_packages(recorded_packages(*DQ_PAGES)[:3])
    counts = apply_catalogue(PortalFactory(), packages, full=False, synced_at=timezone.now())
    assert counts["created"] == 3


# judging ----------------------------------------------------------------------------------


@scenario(
    "judging.services.judges.invite_judge",
    "judging.services.judges.accept_invitation",
    "judging.services.judges.update_judge_profile",
)
def _jury_invitation(world):
    from judging.services import accept_invitation, invite_judge, update_judge_profile

    person = UserFactory(email="mentor@example.org")
    invitation = invite_judge(world.edition, by=world.organizer, email=person.email)
    judge = accept_invitation(invitation, user=person, organisation="Ville")
    update_judge_profile(judge, by=person, organisation="MCN", preferred_challenges=[])
    judge.refresh_from_db()
    assert judge.organisation == "MCN"


@scenario("judging.services.judges.revoke_invitation")
def _revoke_jury_invitation(world):
    from judging.services import invite_judge, revoke_invitation

    invitation = invite_judge(world.edition, by=world.organizer, email="x@example.org")
    revoke_invitation(invitation, by=world.organizer)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


@scenario(
    "judging.services.judges.declare_conflict",
    "judging.services.judges.add_conflict",
    "judging.services.judges.lift_conflict",
    "judging.services.judges.waive_automatic_conflict",
)
def _conflicts(world):
    from judging.services import (
        add_conflict,
        declare_conflict,
        lift_conflict,
        waive_automatic_conflict,
    )

    judge = JudgeFactory(edition=world.edition)
    declared = declare_conflict(judge, by=judge.user, team=world.team, reason="Ma sœur")
    add_conflict(judge, by=world.organizer, organisation="Ville", reason="Employeur")
    lift_conflict(declared, by=world.organizer, reason="Erreur")
    other = TeamFactory(edition=world.edition)
    waive_automatic_conflict(judge, other, by=world.organizer, reason="Service différent")
    assert judge.conflicts.count() == 3


@scenario(
    "judging.services.rounds.create_round",
    "judging.services.rounds.update_round",
    "judging.services.rounds.save_criterion",
    "judging.services.rounds.delete_criterion",
)
def _rounds(world):
    from judging.models import Criterion
    from judging.services import create_round, delete_criterion, save_criterion, update_round

    now = timezone.now()
    round_ = create_round(
        world.edition, by=world.organizer, name="Ronde", opens_at=now,
        closes_at=now + dt.timedelta(days=2),
    )  # fmt: skip
    update_round(round_, by=world.organizer, name="Préliminaire")
    criterion = save_criterion(Criterion(round=round_, name="Impact", weight=1), by=world.organizer)
    delete_criterion(criterion, by=world.organizer)
    assert (round_.name, round_.criteria.count()) == ("Préliminaire", 0)


@scenario("judging.services.rounds.copy_rubric")
def _copy_rubric(world):
    from judging.models import Criterion
    from judging.services import copy_rubric, create_round, save_criterion

    now = timezone.now()
    rounds = [
        create_round(
            world.edition, by=world.organizer, name=name, opens_at=now,
            closes_at=now + dt.timedelta(days=2),
        )
        for name in ("Préliminaire", "Finale")
    ]  # fmt: skip
    save_criterion(Criterion(round=rounds[0], name="Impact", weight=2), by=world.organizer)
    copy_rubric(rounds[1], source=rounds[0], by=world.organizer)
    assert list(rounds[1].criteria.values_list("name", "weight")) == [("Impact", 2.0)]


@scenario(
    "judging.services.reviews.save_review",
    "judging.services.rounds.close_round",
    "judging.services.rounds.reopen_round",
)
def _review(world):
    from judging.models import Review
    from judging.services import close_round, reopen_round, save_review

    round_, criterion, assignment, organizer = judged_round()
    save_review(
        round_, judge=assignment.judge, submission=assignment.submission,
        by=assignment.judge.user, values={criterion.pk: 7}, submit=True,
    )  # fmt: skip
    close_round(round_, by=organizer)
    assert Review.objects.get().state == "submitted"
    assert round_.closed_at is not None
    reopen_round(round_, by=organizer, reason="Une évaluation manquait")
    assert round_.reopenings.get().reason == "Une évaluation manquait"
    close_round(round_, by=organizer)


@scenario(
    "judging.pairwise.services.number_tables",
    "judging.pairwise.services.start_walk",
    "judging.pairwise.services.walk_step",
)
def _expo_walk(world):
    from judging.models import Comparison, ExpoWalk
    from judging.pairwise.services import start_walk, walk_step
    from tests.factories.submissions import record_submitted_version

    edition = EditionFactory(phase=Phase.JUDGING)
    round_ = RoundFactory(edition=edition, number=1, mode="pairwise", method="pairwise")
    for _ in range(3):
        submission = SubmissionFactory(team__edition=edition, state="submitted")
        record_submitted_version(submission)
    judge = JudgeFactory(edition=edition)
    walk = start_walk(round_, judge=judge, by=judge.user)  # numbers the tables too
    assert round_.expo_tables.count() == 3
    walk = walk_step(round_, judge=judge, by=judge.user, action="start", shown=walk.current_id)
    walk_step(round_, judge=judge, by=judge.user, action="current", shown=walk.current_id)
    walk = ExpoWalk.objects.get(round=round_, judge=judge)
    walk_step(round_, judge=judge, by=judge.user, action="skip", shown=walk.current_id)
    assert Comparison.objects.filter(round=round_).count() == 2


@scenario(
    "judging.pairwise.tables.set_table_numbers",
    "judging.pairwise.tables.number_tables_in_order",
)
def _expo_table_plan(world):
    from judging.pairwise.queries import table_numbers
    from judging.pairwise.tables import number_tables_in_order, plan_version, set_table_numbers
    from tests.factories.submissions import record_submitted_version

    edition = EditionFactory(phase=Phase.JUDGING)
    organizer = OrganizerRoleFactory(edition=edition).user
    round_ = RoundFactory(edition=edition, number=1, mode="pairwise", method="pairwise")
    first, second = (SubmissionFactory(team__edition=edition, state="submitted") for _ in range(2))
    for submission in (first, second):
        record_submitted_version(submission)
    set_table_numbers(round_, by=organizer, numbers={first.pk: 7, second.pk: 3}, expected=None)
    swapped = {first.pk: 3, second.pk: 7}
    set_table_numbers(
        round_, by=organizer, numbers=swapped, expected=plan_version(table_numbers(round_))
    )
    assert table_numbers(round_) == swapped
    number_tables_in_order(round_, by=organizer, order="table")
    assert table_numbers(round_) == {first.pk: 1, second.pk: 2}


@scenario(
    "judging.public_vote.services.set_vote_window",
    "judging.public_vote.services.cast_vote",
    "judging.public_vote.services.void_vote",
)
def _public_vote(world):
    from judging.public_vote.services import cast_vote, set_vote_window, void_vote
    from tests.factories.submissions import record_submitted_version

    edition = EditionFactory(phase=Phase.JUDGING)
    organizer = OrganizerRoleFactory(edition=edition).user
    submission = SubmissionFactory(team__edition=edition, state="submitted")
    record_submitted_version(submission)
    prize = PrizeFactory(edition=edition, round=None)
    now = timezone.now()
    set_vote_window(
        edition, by=organizer, prize=prize, opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(hours=1),
    )  # fmt: skip
    vote = cast_vote(edition, user=UserFactory(), submission=submission)
    vote = cast_vote(edition, user=vote.user, submission=submission)
    void_vote(vote, by=organizer, reason="Compte en double")
    vote.refresh_from_db()
    assert vote.voided_at is not None


@scenario(
    "judging.live.services.set_timing",
    "judging.live.services.set_running_order",
    "judging.live.services.advance",
)
def _live_final(world):
    from judging.live.services import advance, set_running_order, set_timing
    from tests.factories.submissions import record_submitted_version

    edition = EditionFactory(phase=Phase.JUDGING)
    organizer = OrganizerRoleFactory(edition=edition).user
    round_ = RoundFactory(edition=edition, number=1, mode="live")
    for _ in range(2):
        submission = SubmissionFactory(team__edition=edition, state="submitted")
        record_submitted_version(submission)
    set_timing(round_, by=organizer, pitch_seconds=120, qa_seconds=60)
    set_running_order(round_, by=organizer, seed=7)
    for position in range(3):
        final = advance(round_, by=organizer, expected=position)
    assert final.ended_at is not None
    round_.refresh_from_db()
    assert round_.closed_at is not None


@scenario("judging.services.reviews.recuse_review")
def _recuse(world):
    from judging.services import recuse_review

    round_, _criterion, assignment, _organizer = judged_round()
    review = recuse_review(
        round_, judge=assignment.judge, submission=assignment.submission,
        by=assignment.judge.user, reason="Mon ancien employeur",
    )  # fmt: skip
    assert review.state == "recused"


@scenario(
    "judging.services.assignment.run_assignment",
    "judging.services.assignment.pin_assignment",
    "judging.services.assignment.remove_assignment",
    "judging.services.assignment.withdraw_judge",
)
def _assignment(world):
    from judging.models import Assignment
    from judging.services import pin_assignment, remove_assignment, run_assignment, withdraw_judge

    round_, _criterion, assignment, organizer = judged_round()
    round_.judges_per_submission = 1
    round_.save()
    run_assignment(round_, by=organizer)
    other = JudgeFactory(edition=round_.edition)
    pin_assignment(round_, judge=other, submission=assignment.submission, by=organizer)
    remove_assignment(round_, judge=other, submission=assignment.submission, by=organizer)
    withdraw_judge(round_, judge=assignment.judge, by=organizer, reason="Malade")
    assert not Assignment.objects.filter(round=round_).exists()


@scenario("judging.jobs.start_job")
def _start_job(world):
    from judging.jobs import Kind, start_job
    from judging.models import OrganizerJob

    round_, _criterion, _assignment, organizer = judged_round()
    round_.judges_per_submission = 1
    round_.save()
    job = start_job(Kind.ASSIGNMENT, edition=round_.edition, round=round_, by=organizer)
    # Committed, so the (eager) worker ran it at once.
    assert OrganizerJob.objects.get(pk=job.pk).state == OrganizerJob.State.DONE


@scenario("judging.services.rounds.request_reminders")
def _reminders(world, mailoutbox):
    from judging.services import request_reminders

    round_, _criterion, assignment, organizer = judged_round()
    request_reminders(round_, by=organizer)
    assert [m.to for m in mailoutbox] == [[assignment.judge.user.email]]


@scenario("judging.services.rounds.select_finalists")
def _finalists(world):
    from judging.models import Round
    from judging.services import close_round, save_review, select_finalists

    round_, criterion, assignment, organizer = judged_round()
    save_review(
        round_, judge=assignment.judge, submission=assignment.submission,
        by=assignment.judge.user, values={criterion.pk: 7}, submit=True,
    )  # fmt: skip
    close_round(round_, by=organizer)
    final = RoundFactory(
        edition=round_.edition, number=2, scope=Round.Scope.FINALISTS, source_round=round_
    )
    finalists = select_finalists(round_, final, by=organizer, top_n=1)
    assert [f.submission_id for f in finalists] == [assignment.submission_id]


# results ----------------------------------------------------------------------------------


@scenario(
    "judging.results.services.prizes.update_award_policy",
    "judging.results.services.prizes.save_prize",
    "judging.results.services.prizes.delete_prize",
)
def _prizes(world):
    from judging.results.models import Prize
    from judging.results.services import delete_prize, save_prize, update_award_policy

    update_award_policy(
        world.edition, by=world.organizer, require_repository=False, require_licence=False
    )
    prize = save_prize(
        Prize(edition=world.edition, name="Grand prix", places=1, priority=1), by=world.organizer
    )
    delete_prize(prize, by=world.organizer)
    assert not Prize.objects.filter(pk=prize.pk).exists()


@scenario(
    "judging.results.services.computing.compute_results",
    "judging.results.services.awards.override_award",
    "judging.results.services.awards.swap_places",
    "judging.results.services.publishing.approve_results",
    "judging.results.services.publishing.publish_results",
    "judging.results.services.publishing.withdraw_results",
)
def _results(world):
    from judging.results import services
    from judging.services import close_round, save_review

    round_, criterion, assignment, organizer = judged_round()
    AwardPolicyFactory(edition=round_.edition, require_repository=False, require_licence=False)
    save_review(
        round_, judge=assignment.judge, submission=assignment.submission,
        by=assignment.judge.user, values={criterion.pk: 7}, submit=True,
    )  # fmt: skip
    close_round(round_, by=organizer)
    PrizeFactory(edition=round_.edition, round=round_, places=2)
    snapshot = services.compute_results(round_.edition, by=organizer)
    award = snapshot.awards.get(place=1)
    services.override_award(award, by=organizer, submission=award.submission, reason="Confirmé")
    services.swap_places(award, snapshot.awards.get(place=2), by=organizer, reason="Échange")
    assert snapshot.awards.get(place=2).submission == assignment.submission
    services.approve_results(snapshot, by=organizer)
    services.publish_results(snapshot, by=organizer, announce=False)
    snapshot = services.withdraw_results(snapshot, by=organizer, reason="Correction")
    assert snapshot.state == "withdrawn"


@scenario(
    "judging.results.certificates.issue_certificate",
    "judging.results.certificates.set_certificate_name_public",
)
def _certificates(world):
    from judging.results import services
    from judging.results.certificates import issue_certificates, set_certificate_name_public
    from judging.results.models import Certificate
    from judging.services import save_review

    round_, criterion, assignment, organizer = judged_round()
    submission = assignment.submission
    submission.versions.update(submitted_at=round_.edition.submissions_close)
    member = MembershipFactory(team=submission.team, is_captain=True).user
    AwardPolicyFactory(edition=round_.edition, require_repository=False, require_licence=False)
    save_review(
        round_, judge=assignment.judge, submission=submission,
        by=assignment.judge.user, values={criterion.pk: 7}, submit=True,
    )  # fmt: skip
    PrizeFactory(edition=round_.edition, round=round_, places=1)
    snapshot = services.compute_results(round_.edition, by=organizer)
    services.approve_results(snapshot, by=organizer)
    services.publish_results(snapshot, by=organizer, announce=False)
    assert issue_certificates(snapshot) == 2  # participation and the prize
    certificate = Certificate.objects.get(user=member, kind="prize")
    set_certificate_name_public(certificate, public=True)
    assert Certificate.objects.get(pk=certificate.pk).name_is_public


@scenario(
    "hackqc.incidents.services.record_incident",
    "hackqc.incidents.services.update_incident",
)
def _incidents(world):
    from hackqc.incidents.models import Incident
    from hackqc.incidents.services import record_incident, update_incident

    now = timezone.now()
    incident = record_incident(
        edition=world.edition, by=world.organizer, title="Fuite", circumstances="Courriel",
        information_involved="Adresses", occurred_at=now - dt.timedelta(days=1),
        discovered_at=now, people_affected="Participants", measures="Corrigé",
    )  # fmt: skip
    update_incident(incident, by=world.organizer, cai_notified_at=now)
    assert Incident.objects.get().cai_notified_at == now


# hackqc.lifecycle -------------------------------------------------------------------------


@scenario(
    "hackqc.lifecycle.publish_edition",
    "hackqc.lifecycle.unpublish_edition",
    "hackqc.lifecycle.feature_edition",
    "hackqc.lifecycle.delete_edition",
)
def _edition_lifecycle(world):
    from hackqc import lifecycle
    from hackqc.models import Edition

    draft = EditionFactory(status=Edition.Status.DRAFT, phase=Phase.UPCOMING)
    lifecycle.publish_edition(draft, by=world.organizer)
    lifecycle.feature_edition(draft, by=world.organizer)
    lifecycle.unpublish_edition(draft, by=world.organizer)
    lifecycle.delete_edition(draft, by=world.organizer)
    assert not Edition.objects.filter(pk=draft.pk).exists()


@scenario("hackqc.lifecycle.archive_edition", "hackqc.lifecycle.unarchive_edition")
def _archive_and_back(world):
    from hackqc import lifecycle
    from hackqc.models import Edition

    over = EditionFactory(phase=Phase.RESULTS)
    lifecycle.archive_edition(over, by=world.organizer)
    assert Edition.objects.get(pk=over.pk).status == Edition.Status.ARCHIVED
    lifecycle.unarchive_edition(over, by=world.organizer)
    assert Edition.objects.get(pk=over.pk).status == Edition.Status.PUBLISHED


# The tests --------------------------------------------------------------------------------


def test_every_service_has_a_scenario():
    assert set(all_services()) - set(SCENARIOS) == set()
    assert set(SCENARIOS) - set(all_services()) == set()


# Public functions of services modules that are not `@service`, and why.
NOT_SERVICES = {
    # Reads and checks, no write.
    "judging.results.services.prizes.award_policy": "read",
    "judging.results.services.publishing.due_snapshots": "read",
    "judging.results.services.computing.is_stale": "read",
    "judging.results.services.computing.stale_snapshot_ids": "read",
    "judging.results.services.computing.ranking_round": "read",
    "judging.results.services.computing.default_ranking_round": "pure function",
    "judging.results.services.announcements.corrected_snapshot": "read",
    "judging.results.services.announcements.correction_changes": "read",
    "judging.results.services.computing.scores_hash": "pure function",
    "judging.services.reviews.check_may_review": "check",
    "judging.services.reviews.check_round_open": "check",
    "judging.services.reviews.is_round_open": "predicate",
    "submissions.catalogue.services.portal_for_file": "read; portal_for_url creates a portal",
    "submissions.catalogue.services.portal_source": "builds a source; marks a first run full",
    "submissions.catalogue.services.previous_sync": "read",
    "submissions.catalogue.services.refresh_search_vectors": "part of apply_catalogue",
    "submissions.catalogue.services.sync_under_way": "read",
    "submissions.services.sheet.can_edit_now": "predicate",
    "submissions.services.datasets.resolve_dataset_reference": "read",
    "teams.services.joining.check_invitation": "check",
    "teams.services.joining.check_invited_address": "check",
    "teams.services.joining.normalize_code": "pure function",
    # Jobs: long runs that commit step by step on purpose, each step its own transaction.
    "judging.results.services.announcements.send_announcements": (
        "job: one transaction per mail, resumable"
    ),
    "submissions.catalogue.services.run_sync": "job: progress committed as pages arrive",
    "submissions.catalogue.services.sync_from_file": "job: run_sync from a file",
    "submissions.catalogue.services.sync_portal": "job: run_sync from the portal",
    "submissions.services.sheet_images.make_thumbnails": (
        "job: one transaction per thumbnail, no lock held while images are decoded"
    ),
}


def _public_functions_of_services_modules():
    import importlib
    import inspect
    import pkgutil

    from django.apps import apps

    names = set()
    for config in apps.get_app_configs():
        if config.name.split(".")[0] not in {"hackqc", "teams", "submissions", "judging"}:
            continue
        try:
            package = importlib.import_module(f"{config.name}.services")
        except ModuleNotFoundError:
            continue
        modules = [package]
        if hasattr(package, "__path__"):
            modules += [
                importlib.import_module(f"{package.__name__}.{info.name}")
                for info in pkgutil.iter_modules(package.__path__)
                if not info.name.startswith("_")
            ]
        for module in modules:
            for attr, func in inspect.getmembers(module, inspect.isfunction):
                if func.__module__ == module.__name__ and not attr.startswith("_"):
                    names.add(f"{module.__name__}.{attr}")
    return names


def test_every_public_function_of_a_services_module_is_a_service_or_explained():
    undeclared = _public_functions_of_services_modules() - set(all_services()) - set(NOT_SERVICES)
    assert undeclared == set(), "decorate these with @service, or say in NOT_SERVICES why not"


def _unique_scenarios():
    return {func.__name__.strip("_"): func for func in SCENARIOS.values()}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("func", _unique_scenarios().values(), ids=_unique_scenarios().keys())
def test_service_commits_outside_a_transaction(func, request):
    if connection.vendor != "postgresql":
        pytest.skip("select_for_update outside a transaction fails on PostgreSQL only")
    world = request.getfixturevalue("world")
    extra = func.__code__.co_varnames[1 : func.__code__.co_argcount]
    assert not connection.in_atomic_block
    func(world, *(request.getfixturevalue(name) for name in extra))
    assert not connection.in_atomic_block
