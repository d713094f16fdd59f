"""Announcements: organizers write once in French and English to one segment; each person
is mailed once, in their language; a sent announcement is never changed or sent again."""

import datetime as dt
import re
import threading

import pytest
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from hackqc import announcements, audit
from hackqc.announcements import AnnouncementError
from hackqc.models import Announcement, AuditEntry, HostSite, OutgoingMail
from hackqc.tasks import task_send_announcement
from tests.factories.core import EditionFactory, HostSiteFactory
from tests.factories.teams import MembershipFactory, RegistrationFactory, TeamFactory

TEXTS = {
    "subject_fr": "Salle changée",
    "body_fr": "Rendez-vous au **local B-204**.",
    "subject_en": "Room changed",
    "body_en": "Meet in **room B-204**.",
}


def draft(edition, organizer, segment="teams.participants", **texts):
    return announcements.create_announcement(
        edition, by=organizer, segment=segment, **{**TEXTS, **texts}
    )


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Sends, then runs the task and the outbox (eager) after the commit, as the organizer's
    click and the workers do."""

    def send(announcement, organizer):
        with django_capture_on_commit_callbacks(execute=True):
            return announcements.send_announcement(announcement, by=organizer)

    return send


def sent_earlier(announcement):
    """Marks `announcement` sent without mailing anyone: only a sent one can be pinned."""
    Announcement.objects.filter(pk=announcement.pk).update(status="sent", sent_at=timezone.now())
    announcement.refresh_from_db()
    return announcement


def keys(announcement):
    return set(announcements.sent_mails(announcement).values_list("key", flat=True))


def key(announcement, user):
    return f"hackqc.announcement:{announcement.pk}:{user.pk}"


# Writing -----------------------------------------------------------------------------------


def test_create_announcement_writes_a_draft_and_logs_it(edition, organizer):
    announcement = draft(edition, organizer)

    assert announcement.status == Announcement.Status.DRAFT
    assert (announcement.author, announcement.segment) == (organizer, "teams.participants")
    assert list(AuditEntry.objects.values_list("action", "target_id")) == [
        (announcements.CREATED, str(announcement.pk))
    ]
    assert OutgoingMail.objects.count() == 0


def test_create_announcement_in_one_language_only(edition, organizer):
    announcement = draft(edition, organizer, subject_en="", body_en="")

    assert (announcement.subject_fr, announcement.subject_en) == ("Salle changée", "")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"subject_fr": "", "body_fr": "", "subject_en": "", "body_en": ""}, "subject_fr"),
        ({"body_en": "  "}, "body_en"),
        ({"subject_fr": ""}, "subject_fr"),
        ({"segment": "teams.nobody"}, "segment"),
        ({"segment": "teams.site"}, "segment"),
    ],
)
def test_create_announcement_refuses_incomplete_texts_or_unknown_segment(
    edition, organizer, fields, field
):
    with pytest.raises(AnnouncementError) as refusal:
        announcements.create_announcement(
            edition, by=organizer, **{"segment": "teams.participants", **TEXTS, **fields}
        )

    assert refusal.value.field == field
    assert Announcement.objects.count() == 0


def test_site_segment_refuses_another_editions_site(edition, organizer):
    elsewhere = HostSiteFactory()

    with pytest.raises(AnnouncementError):
        draft(edition, organizer, segment=f"teams.site:{elsewhere.pk}")


def test_update_announcement_changes_a_draft(edition, organizer):
    announcement = draft(edition, organizer)

    announcements.update_announcement(
        announcement, by=organizer, segment="teams.mentors", **{**TEXTS, "subject_fr": "Nouveau"}
    )

    announcement.refresh_from_db()
    assert (announcement.segment, announcement.subject_fr) == ("teams.mentors", "Nouveau")


def test_update_announcement_refuses_a_sent_one(edition, organizer, participant, sent):
    announcement = sent(draft(edition, organizer), organizer)

    with pytest.raises(AnnouncementError):
        announcements.update_announcement(
            announcement, by=organizer, segment="teams.participants", **TEXTS
        )

    announcement.refresh_from_db()
    assert announcement.subject_fr == "Salle changée"


# Sending -----------------------------------------------------------------------------------


def test_send_announcement_mails_each_participant_once_and_marks_it_sent(
    edition, organizer, participant, teammate, registered, outsider, sent
):
    announcement = sent(draft(edition, organizer), organizer)

    announcement.refresh_from_db()
    people = [participant, teammate, registered, outsider]
    assert keys(announcement) == {key(announcement, person) for person in people}
    assert announcement.status == Announcement.Status.SENT
    assert announcement.recipient_count == 4
    assert announcement.sent_at is not None
    assert set(AuditEntry.objects.values_list("action", flat=True)) == {
        announcements.CREATED,
        announcements.SENT,
        announcements.MAILED,
    }


def test_send_announcement_twice_is_refused_with_a_message(edition, organizer, participant, sent):
    announcement = sent(draft(edition, organizer), organizer)

    with pytest.raises(AnnouncementError, match="déjà été envoyée"):
        sent(announcement, organizer)

    assert len(keys(announcement)) == 1


def test_send_announcement_refuses_when_the_segment_changed_since_the_preview(
    edition, organizer, participant
):
    announcement = draft(edition, organizer)

    with pytest.raises(AnnouncementError, match="compte maintenant 1"):
        announcements.send_announcement(announcement, by=organizer, expected=2)

    announcement.refresh_from_db()
    assert announcement.status == Announcement.Status.DRAFT


def test_send_announcement_refuses_an_empty_segment(edition, organizer, participant, sent):
    announcement = draft(edition, organizer, segment="teams.mentors")

    with pytest.raises(AnnouncementError, match="groupe est vide"):
        sent(announcement, organizer)


def test_task_run_twice_mails_each_recipient_once(edition, organizer, participant, teammate):
    announcement = draft(edition, organizer)
    Announcement.objects.filter(pk=announcement.pk).update(status="sending")
    Announcement.objects.filter(pk=announcement.pk).update(sending_since=announcement.created_at)

    task_send_announcement.apply(kwargs={"announcement_id": announcement.pk})
    task_send_announcement.apply(kwargs={"announcement_id": announcement.pk})

    assert keys(announcement) == {key(announcement, participant), key(announcement, teammate)}
    assert AuditEntry.objects.filter(action=announcements.MAILED).count() == 1


def test_task_for_a_deleted_announcement_does_nothing(db):
    task_send_announcement.apply(kwargs={"announcement_id": 999_999})

    assert OutgoingMail.objects.count() == 0


def test_each_person_is_mailed_in_their_language(edition, organizer, participant, teammate, sent):
    teammate.preferred_language = "en"
    teammate.save()
    announcement = sent(draft(edition, organizer), organizer)

    mails = {m.user: m for m in announcements.sent_mails(announcement)}

    assert mails[participant].language == "fr"
    assert mails[participant].context["subject"] == "Salle changée"
    assert mails[teammate].language == "en"
    assert mails[teammate].context["subject"] == "Room changed"
    assert mails[teammate].context["body"] == "Meet in **room B-204**."


def test_a_person_gets_the_other_language_when_theirs_is_missing(
    edition, organizer, participant, sent
):
    participant.preferred_language = "en"
    participant.save()

    announcement = sent(draft(edition, organizer, subject_en="", body_en=""), organizer)

    [mail] = announcements.sent_mails(announcement)
    assert mail.context["subject"] == "Salle changée"


def test_the_mail_reads_in_the_persons_language(
    edition, organizer, participant, teammate, mailoutbox, sent
):
    teammate.preferred_language = "en"
    teammate.save()

    sent(draft(edition, organizer), organizer)

    subjects = {m.to[0]: m.subject for m in mailoutbox}
    bodies = {m.to[0]: m.body for m in mailoutbox}
    assert subjects[participant.email].endswith("Salle changée")
    assert subjects[teammate.email].endswith("Room changed")
    assert "local B-204" in bodies[participant.email]
    assert "The organizers of" in bodies[teammate.email]


def test_erased_and_unverified_people_are_skipped(edition, organizer, participant, teammate, sent):
    from hackqc.privacy.erasure import erase_account

    erase_account(teammate, by=teammate)
    unverified = RegistrationFactory(edition=edition, user__verified=False).user
    inactive = RegistrationFactory(edition=edition, user__is_active=False).user

    announcement = sent(draft(edition, organizer), organizer)

    from teams.segments import participants

    assert {unverified, inactive, teammate} <= set(participants(edition))
    assert keys(announcement) == {key(announcement, participant)}


def test_send_test_announcement_mails_only_the_organizer_and_keeps_the_draft(
    edition, organizer, participant, mailoutbox, django_capture_on_commit_callbacks
):
    announcement = draft(edition, organizer)

    with django_capture_on_commit_callbacks(execute=True):
        announcements.send_test_announcement(announcement, by=organizer)

    announcement.refresh_from_db()
    assert announcement.status == Announcement.Status.DRAFT
    assert keys(announcement) == set()
    assert sorted(m.subject.split("[Essai] ", 1)[-1] for m in mailoutbox) == sorted(
        [TEXTS["subject_fr"], TEXTS["subject_en"]]
    )
    assert {tuple(m.to) for m in mailoutbox} == {(organizer.email,)}
    assert all("Ceci est un essai" in m.body for m in mailoutbox)
    assert AuditEntry.objects.filter(action=announcements.TEST_SENT).count() == 1


# Pinning -----------------------------------------------------------------------------------


def test_pin_and_unpin_announcement(edition, organizer):
    announcement = sent_earlier(draft(edition, organizer))

    announcements.pin_announcement(announcement, by=organizer)
    assert list(announcements.pinned(edition)) == [announcement]

    announcements.unpin_announcement(announcement, by=organizer)
    assert list(announcements.pinned(edition)) == []
    assert [e.action for e in audit.entries_for(edition)][:2] == [
        announcements.UNPINNED,
        announcements.PINNED,
    ]


def test_edition_page_shows_pinned_announcements_in_the_readers_language(
    client, edition, organizer
):
    first = draft(edition, organizer)
    second = draft(
        edition, organizer, subject_fr="Repas", body_fr="Pizza à midi.", subject_en="", body_en=""
    )
    draft(edition, organizer, subject_fr="Pas épinglé", body_fr="Non.")
    announcements.pin_announcement(sent_earlier(first), by=organizer)
    announcements.pin_announcement(sent_earlier(second), by=organizer)

    page = client.get(f"/en{edition.get_absolute_url().removeprefix('/fr')}").content.decode()

    assert page.index("Repas") < page.index("Room changed")
    assert '<article class="border-start border-primary border-3 ps-3 mb-3" lang="fr">' in page
    assert "<strong>room B-204</strong>" in page
    assert "Pas épinglé" not in page
    assert "Salle changée" not in page


def test_home_page_shows_the_featured_editions_pinned_announcements(client, edition, organizer):
    announcements.pin_announcement(sent_earlier(draft(edition, organizer)), by=organizer)

    page = client.get("/fr/").content.decode()

    assert "Salle changée" in page


# Concurrency (PostgreSQL, outside a test transaction) -------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sends_at_once_give_one_sending_and_one_mail_per_person(edition):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    from tests.factories.core import OrganizerRoleFactory

    organizer = OrganizerRoleFactory(edition=edition).user
    team = TeamFactory(edition=edition)
    people = [MembershipFactory(team=team).user for _i in range(3)]
    announcement = draft(edition, organizer)
    barrier = threading.Barrier(2)
    outcomes = []

    def send():
        try:
            barrier.wait(timeout=10)
            announcements.send_announcement(announcement, by=organizer)
            outcomes.append("sent")
        except AnnouncementError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["refused", "sent"]
    assert keys(announcement) == {key(announcement, person) for person in people}
    assert AuditEntry.objects.filter(action=announcements.SENT).count() == 1


# Pages -------------------------------------------------------------------------------------


def test_organizer_writes_previews_and_sends_from_the_pages(
    client, edition, organizer, participant, teammate, django_capture_on_commit_callbacks
):
    client.force_login(organizer)
    base = f"/fr/organize/{edition.slug}/announcements/"

    form = client.get(f"{base}new/").content.decode()
    response = client.post(f"{base}new/", {"segment": "teams.participants", **TEXTS})

    announcement = Announcement.objects.get()
    preview_url = reverse(
        "organize:announcement_preview", kwargs={"slug": edition.slug, "pk": announcement.pk}
    )
    assert "Tous les participants (2\u00a0personnes)" in form
    assert response.url == preview_url
    preview = client.get(preview_url).content.decode()
    assert "<strong>local B-204</strong>" in preview
    assert "Envoyer à 2\u00a0personnes" in preview
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("organize:announcement_send", args=[edition.slug, announcement.pk]),
            {"expected": "2", "confirm": "on"},
        )
    announcement.refresh_from_db()
    assert announcement.status == Announcement.Status.SENT
    assert len(keys(announcement)) == 2


def test_send_without_confirmation_sends_nothing(client, edition, organizer, participant):
    announcement = draft(edition, organizer)
    client.force_login(organizer)

    client.post(
        reverse("organize:announcement_send", args=[edition.slug, announcement.pk]),
        {"expected": "1"},
    )

    announcement.refresh_from_db()
    assert announcement.status == Announcement.Status.DRAFT


def test_form_keeps_the_typed_text_on_error(client, edition, organizer):
    client.force_login(organizer)

    response = client.post(
        f"/fr/organize/{edition.slug}/announcements/new/",
        {"segment": "teams.participants", **TEXTS, "body_en": ""},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Room changed" in page
    assert "Rendez-vous au **local B-204**." in page
    assert Announcement.objects.count() == 0


def test_sent_announcement_form_redirects_to_its_preview(
    client, edition, organizer, participant, sent
):
    announcement = sent(draft(edition, organizer), organizer)
    client.force_login(organizer)

    response = client.get(
        reverse("organize:announcement_update", args=[edition.slug, announcement.pk])
    )

    assert response.url == reverse(
        "organize:announcement_preview", args=[edition.slug, announcement.pk]
    )


def test_another_editions_organizer_cannot_see_or_send(
    client, edition, organizer, other_organizer, participant
):
    announcement = draft(edition, organizer)
    client.force_login(other_organizer)

    urls = [
        reverse(f"organize:announcement_{name}", args=[edition.slug, announcement.pk])
        for name in ("preview", "update", "test", "send", "pin")
    ]

    assert {client.post(url, {"confirm": "on"}).status_code for url in urls} == {403}
    assert client.get(urls[0]).status_code == 403
    announcement.refresh_from_db()
    assert (announcement.status, announcement.pinned) == ("draft", False)
    assert OutgoingMail.objects.count() == 0


def test_announcement_of_another_edition_is_404_to_this_editions_organizer(
    client, edition, organizer, other_organizer
):
    from hackqc.models import EditionOrganizer

    elsewhere = EditionOrganizer.objects.get(user=other_organizer).edition
    announcement = draft(elsewhere, other_organizer)
    client.force_login(organizer)

    url = reverse("organize:announcement_preview", args=[edition.slug, announcement.pk])

    assert client.get(url).status_code == 404


def test_list_page_query_count_does_not_grow(client, edition, organizer, django_assert_num_queries):
    client.force_login(organizer)
    url = reverse("organize:announcements", args=[edition.slug])
    draft(edition, organizer)
    client.get(url)
    with django_assert_num_queries(6) as one:
        client.get(url)
    site = HostSiteFactory(edition=edition)
    draft(edition, organizer, segment=f"teams.site:{site.pk}")
    draft(edition, organizer, segment="teams.mentors")

    with django_assert_num_queries(len(one.captured_queries)):
        client.get(url)


def test_space_shows_the_pinned_announcements_of_the_persons_editions(
    client, edition, organizer, participant, teammate
):
    teammate.preferred_language = "en"
    teammate.save()
    pinned = sent_earlier(draft(edition, organizer))
    announcements.pin_announcement(pinned, by=organizer)
    draft(edition, organizer, subject_fr="Pas épinglée", body_fr="Non.")
    elsewhere = EditionFactory()
    announcements.pin_announcement(
        sent_earlier(
            announcements.create_announcement(
                elsewhere,
                by=organizer,
                segment="teams.participants",
                **{**TEXTS, "subject_fr": "Ailleurs"},
            )
        ),
        by=organizer,
    )
    client.force_login(participant)

    page = client.get(reverse("space")).content.decode()

    shown = " ".join(page.split()).replace("> <", "><")
    assert re.search(
        r'<li lang="fr"><time datetime="[^"]+">[^<]+</time> · Salle changée</li>', shown
    )
    assert "Pas épinglée" not in page
    assert "Ailleurs" not in page


def test_a_send_whose_task_was_lost_is_queued_again_by_the_next_click(
    edition, organizer, participant, sent, settings
):
    announcement = draft(edition, organizer)
    lost_at = timezone.now() - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 1)
    Announcement.objects.filter(pk=announcement.pk).update(status="sending", sending_since=lost_at)

    sent(announcement, organizer)

    announcement.refresh_from_db()
    assert announcement.status == Announcement.Status.SENT
    assert keys(announcement) == {key(announcement, participant)}


def test_a_send_under_way_is_not_queued_again(edition, organizer, participant, sent):
    announcement = draft(edition, organizer)
    Announcement.objects.filter(pk=announcement.pk).update(
        status="sending", sending_since=timezone.now()
    )

    with pytest.raises(AnnouncementError, match="en cours d'envoi"):
        sent(announcement, organizer)

    assert keys(announcement) == set()


# A send whose task was lost ----------------------------------------------------------------


def lapsed(announcement, settings):
    """Leaves `announcement` "being sent" past the task time limit, nobody mailed: the broker
    was down at the click, or the worker died."""
    lost_at = timezone.now() - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 1)
    Announcement.objects.filter(pk=announcement.pk).update(status="sending", sending_since=lost_at)
    return announcement


def test_the_sweep_queues_a_lost_send_again_and_a_late_task_mails_nobody_twice(
    edition, organizer, participant, teammate, settings, django_capture_on_commit_callbacks
):
    from hackqc.tasks import task_requeue_lapsed_announcements

    announcement = lapsed(draft(edition, organizer), settings)

    with django_capture_on_commit_callbacks(execute=True):
        task_requeue_lapsed_announcements.apply()
    with django_capture_on_commit_callbacks(execute=True):
        task_requeue_lapsed_announcements.apply()  # beat overlapping: nothing lapsed now
    task_send_announcement.apply(kwargs={"announcement_id": announcement.pk})  # the lost one

    announcement.refresh_from_db()
    assert announcement.status == Announcement.Status.SENT
    assert keys(announcement) == {key(announcement, participant), key(announcement, teammate)}
    assert AuditEntry.objects.filter(action=announcements.MAILED).count() == 1


def test_the_sweep_after_a_late_task_finds_nothing_to_queue(
    edition, organizer, participant, settings, django_capture_on_commit_callbacks
):
    announcement = lapsed(draft(edition, organizer), settings)
    task_send_announcement.apply(kwargs={"announcement_id": announcement.pk})

    with django_capture_on_commit_callbacks() as queued:
        assert announcements.requeue_lapsed_sends() == 0

    assert queued == []
    assert keys(announcement) == {key(announcement, participant)}


def test_the_sweep_leaves_a_send_within_the_time_limit_to_its_task(
    edition, organizer, participant, django_capture_on_commit_callbacks
):
    announcement = draft(edition, organizer)
    Announcement.objects.filter(pk=announcement.pk).update(
        status="sending", sending_since=timezone.now()
    )

    with django_capture_on_commit_callbacks(execute=True) as queued:
        assert announcements.requeue_lapsed_sends() == 0

    announcement.refresh_from_db()
    assert (queued, announcement.status) == ([], Announcement.Status.SENDING)
    assert keys(announcement) == set()


def test_the_sweep_leaves_an_archived_editions_send_alone(
    edition, organizer, participant, settings, django_capture_on_commit_callbacks
):
    from hackqc.models import Edition

    announcement = lapsed(draft(edition, organizer), settings)
    Edition.objects.filter(pk=edition.pk).update(status="archived")

    with django_capture_on_commit_callbacks(execute=True) as queued:
        assert announcements.requeue_lapsed_sends() == 0

    assert queued == []
    assert keys(announcement) == set()


def test_the_sweep_runs_on_beat_more_often_than_the_task_time_limit(settings):
    entries = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "hackqc.requeue_lapsed_announcements"
    ]

    assert len(entries) == 1
    assert entries[0]["schedule"].total_seconds() <= settings.CELERY_TASK_TIME_LIMIT


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_sweep_and_a_late_task_at_once_mail_each_person_once(edition, settings):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    from tests.factories.core import OrganizerRoleFactory

    organizer = OrganizerRoleFactory(edition=edition).user
    team = TeamFactory(edition=edition)
    people = [MembershipFactory(team=team).user for _i in range(3)]
    announcement = lapsed(draft(edition, organizer), settings)
    barrier = threading.Barrier(3)
    errors = []

    def run(action):
        try:
            barrier.wait(timeout=10)
            action()
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    late = lambda: task_send_announcement.apply(  # noqa: E731
        kwargs={"announcement_id": announcement.pk}, throw=True
    )
    threads = [
        threading.Thread(target=run, args=(action,))
        for action in (announcements.requeue_lapsed_sends, announcements.requeue_lapsed_sends, late)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    announcement.refresh_from_db()
    assert announcement.status == Announcement.Status.SENT
    assert keys(announcement) == {key(announcement, person) for person in people}
    assert OutgoingMail.objects.filter(key__startswith="hackqc.announcement:").count() == 3
    assert AuditEntry.objects.filter(action=announcements.MAILED).count() == 1


def test_a_second_click_says_being_sent_then_already_sent(
    client, edition, organizer, participant, django_capture_on_commit_callbacks
):
    announcement = draft(edition, organizer)
    client.force_login(organizer)
    url = reverse("organize:announcement_send", args=[edition.slug, announcement.pk])
    form = {"confirm": "1", "expected": "1"}

    with django_capture_on_commit_callbacks() as queued:  # the worker has not run yet
        client.post(url, form, follow=True)
    while_sending = client.post(url, form, follow=True)
    for callback in queued:
        callback()
    once_sent = client.post(url, form, follow=True)

    def said(response):
        return [str(m) for m in response.context["messages"]]

    assert said(while_sending) == [
        "Cette annonce est en cours d'envoi\xa0: chaque personne la recevra une fois. "
        "Revenez sur cette page dans quelques minutes."
    ]
    assert said(once_sent) == [
        "Cette annonce a déjà été envoyée\xa0: personne ne la recevra deux fois."
    ]
    assert keys(announcement) == {key(announcement, participant)}


def test_changing_an_announcement_being_sent_says_so(client, edition, organizer):
    announcement = draft(edition, organizer)
    Announcement.objects.filter(pk=announcement.pk).update(
        status="sending", sending_since=timezone.now()
    )
    client.force_login(organizer)

    with pytest.raises(AnnouncementError, match="en cours d'envoi"):
        announcements.update_announcement(
            announcement, by=organizer, segment="teams.participants", **TEXTS
        )
    page = client.get(
        reverse("organize:announcement_update", args=[edition.slug, announcement.pk]), follow=True
    )

    assert [str(m) for m in page.context["messages"]] == [
        "Cette annonce est en cours d'envoi\xa0: elle ne peut plus être modifiée."
    ]


# Only a sent announcement is pinned --------------------------------------------------------


@pytest.mark.parametrize("status", ["draft", "sending"])
def test_an_announcement_not_yet_sent_cannot_be_pinned(edition, organizer, status):
    announcement = draft(edition, organizer)
    Announcement.objects.filter(pk=announcement.pk).update(
        status=status, sending_since=timezone.now() if status == "sending" else None
    )

    with pytest.raises(AnnouncementError, match="Seule une annonce envoyée peut être épinglée"):
        announcements.pin_announcement(announcement, by=organizer)

    announcement.refresh_from_db()
    assert (announcement.pinned, announcement.pinned_at) == (False, None)
    assert not AuditEntry.objects.filter(action=announcements.PINNED).exists()


def test_the_database_refuses_a_pinned_draft(edition, organizer):
    from django.db import IntegrityError, transaction

    announcement = draft(edition, organizer)

    with pytest.raises(IntegrityError), transaction.atomic():
        Announcement.objects.filter(pk=announcement.pk).update(
            pinned=True, pinned_at=timezone.now()
        )


def test_the_list_offers_pinning_for_sent_announcements_only(client, edition, organizer):
    waiting = draft(edition, organizer, subject_fr="Brouillon")
    done = sent_earlier(draft(edition, organizer, subject_fr="Envoyée"))
    client.force_login(organizer)

    page = client.get(reverse("organize:announcements", args=[edition.slug])).content.decode()
    refused = client.post(
        reverse("organize:announcement_pin", args=[edition.slug, waiting.pk]),
        {"pinned": "1"},
        follow=True,
    )

    def pin(announcement):
        return reverse("organize:announcement_pin", args=[edition.slug, announcement.pk])

    assert pin(done) in page
    assert pin(waiting) not in page
    assert "Épinglable une fois envoyée" in page
    assert [str(m) for m in refused.context["messages"]] == [
        "Seule une annonce envoyée peut être épinglée\xa0: envoyez-la d'abord, puis épinglez-la."
    ]
    waiting.refresh_from_db()
    assert waiting.pinned is False


@pytest.mark.django_db(transaction=True)
def test_the_migration_unpins_drafts_pinned_before_the_rule(edition, organizer):
    from django.core.management import call_command

    call_command("migrate", "hackqc", "0012", verbosity=0)
    try:
        now = timezone.now()
        texts = {**TEXTS, "segment": "teams.participants", "pinned": True, "pinned_at": now}
        with connection.cursor() as cursor:
            for status in ("draft", "sending", "sent"):
                cursor.execute(
                    "INSERT INTO hackqc_announcement (edition_id, segment, subject_fr, body_fr,"
                    " subject_en, body_en, status, created_at, updated_at, sent_at,"
                    " recipient_count, pinned, pinned_at) VALUES"
                    " (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, 0, %s, %s)",
                    [
                        edition.pk,
                        texts["segment"],
                        status,
                        texts["body_fr"],
                        texts["subject_en"],
                        texts["body_en"],
                        status,
                        now,
                        now,
                        now if status == "sent" else None,
                        True,
                        now,
                    ],
                )
    finally:
        call_command("migrate", "hackqc", verbosity=0)

    assert dict(Announcement.objects.values_list("subject_fr", "pinned")) == {
        "draft": False,
        "sending": False,
        "sent": True,
    }


# A host site that announcements went to -------------------------------------------------


def test_deleting_a_host_site_announcements_are_addressed_to_is_refused_naming_them(
    client, edition, organizer
):
    from hackqc import services
    from hackqc.exceptions import HackQCError

    site = HostSiteFactory(edition=edition, name="Rimouski")
    for subject in ("Navette pour Rimouski", "Dîner à Rimouski"):
        announcements.create_announcement(
            edition,
            by=organizer,
            segment=f"teams.site:{site.pk}",
            **{**TEXTS, "subject_fr": subject},
        )

    with pytest.raises(HackQCError) as refused:
        services.delete_host_site(site, by=organizer)

    assert str(refused.value) == (
        "Des annonces sont adressées à ce pôle, il ne peut donc pas être supprimé\xa0: "
        "Dîner à Rimouski; Navette pour Rimouski."
    )
    assert HostSite.objects.filter(pk=site.pk).exists()
