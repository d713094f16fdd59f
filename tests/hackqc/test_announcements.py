"""Announcements: organizers write once in French and English to one segment; each person
is mailed once, in their language; a sent announcement is never changed or sent again."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from hackqc import announcements, audit
from hackqc.announcements import AnnouncementError
from hackqc.models import Announcement, AuditEntry, OutgoingMail
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
    announcement = draft(edition, organizer)

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
    announcements.pin_announcement(first, by=organizer)
    announcements.pin_announcement(second, by=organizer)

    page = client.get(f"/en{edition.get_absolute_url().removeprefix('/fr')}").content.decode()

    assert page.index("Repas") < page.index("Room changed")
    assert '<article class="border-start border-primary border-3 ps-3 mb-3" lang="fr">' in page
    assert "<strong>room B-204</strong>" in page
    assert "Pas épinglé" not in page
    assert "Salle changée" not in page


def test_home_page_shows_the_featured_editions_pinned_announcements(client, edition, organizer):
    announcements.pin_announcement(draft(edition, organizer), by=organizer)

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
    pinned = draft(edition, organizer)
    announcements.pin_announcement(pinned, by=organizer)
    draft(edition, organizer, subject_fr="Pas épinglée", body_fr="Non.")
    elsewhere = EditionFactory()
    announcements.pin_announcement(
        announcements.create_announcement(
            elsewhere,
            by=organizer,
            segment="teams.participants",
            **{**TEXTS, "subject_fr": "Ailleurs"},
        ),
        by=organizer,
    )
    client.force_login(participant)

    page = client.get(reverse("space")).content.decode()

    assert '<li lang="fr">Salle changée</li>' in " ".join(page.split()).replace("> <", "><")
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

    with pytest.raises(AnnouncementError, match="déjà été envoyée"):
        sent(announcement, organizer)

    assert keys(announcement) == set()
