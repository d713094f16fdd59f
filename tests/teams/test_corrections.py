"""An organizer corrects a person's registration or consent on their behalf: a stated reason,
the seats service for the site, the consent history, the audit log and a mail to the person."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from hackqc.exceptions import EditionArchivedError, HackQCError
from hackqc.models import AuditEntry, Edition, OutgoingMail
from hackqc.privacy.models import ConsentChange
from teams import services
from teams.exceptions import RegistrationError, SiteFullError
from teams.models import Registration, RegistrationCorrection
from teams.permissions import can_correct_registration
from tests.factories.core import HostSiteFactory, OrganizerRoleFactory, UserFactory
from tests.factories.judging import JudgeFactory
from tests.factories.teams import RegistrationFactory, TeamFactory


def _correct(registration, by, reason="Confirmé au téléphone", **changes):
    return services.correct_registration(registration, by=by, reason=reason, **changes)


def _url(registration):
    return reverse(
        "teams:organize_correct",
        kwargs={"slug": registration.edition.slug, "pk": registration.pk},
    )


def _form(registration, **overrides):
    data = {
        "role": registration.role,
        "host_site": registration.host_site_id or "",
        "organisation": registration.organisation,
        "dietary_needs": registration.dietary_needs,
        "accessibility_needs": registration.accessibility_needs,
        "reason": "Confirmé au téléphone",
    }
    if registration.show_profile:
        data["show_profile"] = "on"
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


@pytest.fixture
def person(registered, edition):
    return Registration.objects.get(edition=edition, user=registered)


# Who may ---------------------------------------------------------------------------------


def test_staff_and_the_editions_organizers_may_correct_nobody_else(
    edition, organizer, staff, other_organizer, registered, participant, judge
):
    JudgeFactory(edition=edition, user=judge)
    volunteer = RegistrationFactory(edition=edition, role=Registration.Role.VOLUNTEER).user

    allowed = {
        user.email
        for user in (organizer, staff, other_organizer, registered, participant, judge, volunteer)
        if can_correct_registration(user, edition)
    }

    assert allowed == {organizer.email, staff.email}


def test_an_organizer_of_another_edition_is_refused_by_the_service(person, other_organizer):
    with pytest.raises(RegistrationError, match="Only the organizers"):
        _correct(person, other_organizer, role=Registration.Role.MENTOR)

    assert Registration.objects.get(pk=person.pk).role == Registration.Role.PARTICIPANT
    assert not RegistrationCorrection.objects.exists()


# The service ------------------------------------------------------------------------------


def test_correction_changes_the_fields_and_keeps_the_reason(person, organizer):
    site = HostSiteFactory(edition=person.edition, capacity=5)

    _correct(
        person, organizer, role=Registration.Role.MENTOR, host_site=site,
        organisation="Cégep de Rimouski", dietary_needs="Végane",
    )  # fmt: skip

    person.refresh_from_db()
    assert (person.role, person.host_site, person.organisation, person.dietary_needs) == (
        "mentor",
        site,
        "Cégep de Rimouski",
        "Végane",
    )
    correction = RegistrationCorrection.objects.get()
    assert (correction.by, correction.reason) == (organizer, "Confirmé au téléphone")
    assert correction.changes == {
        "role": ["participant", "mentor"],
        "host_site": [None, site.pk],
        "organisation": True,
        "dietary_needs": True,
    }


def test_audit_entry_names_the_person_by_key_and_what_changed_without_free_text(person, organizer):
    site = HostSiteFactory(edition=person.edition, name="Pôle Lévis")

    _correct(
        person, organizer, host_site=site, accessibility_needs="Fauteuil roulant",
        role=Registration.Role.MENTOR, show_profile=True,
    )  # fmt: skip

    entry = AuditEntry.objects.get(action="registration.corrected")
    correction = RegistrationCorrection.objects.get()
    assert (entry.actor, entry.edition, entry.target_type, entry.target_id) == (
        organizer,
        person.edition,
        "teams.registration",
        str(person.pk),
    )
    assert entry.details == {
        "person": person.user_id,
        "correction": correction.pk,
        "host_site": "— → Pôle Lévis",
        "accessibility_needs": "changed",
        "role": "participant → mentor",
        "show_profile": "False → True",
    }
    assert "Fauteuil" not in str(entry.details) + entry.target_label


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_a_reason_is_required(person, organizer, reason):
    with pytest.raises(RegistrationError, match="State the reason") as refused:
        _correct(person, organizer, reason=reason, role=Registration.Role.MENTOR)

    assert refused.value.field == "reason"
    assert Registration.objects.get(pk=person.pk).role == Registration.Role.PARTICIPANT


def test_nothing_changed_is_refused_and_records_nothing(person, organizer):
    with pytest.raises(RegistrationError, match="Nothing was changed"):
        _correct(person, organizer, role=person.role, organisation=person.organisation)

    assert not AuditEntry.objects.filter(action="registration.corrected").exists()
    assert not OutgoingMail.objects.exists()


def test_moving_to_a_full_site_is_refused_by_the_seats_service(person, organizer):
    site = HostSiteFactory(edition=person.edition, capacity=1)
    RegistrationFactory(edition=person.edition, host_site=site)

    with pytest.raises(SiteFullError, match="is full"):
        _correct(person, organizer, host_site=site, organisation="Autre")

    person.refresh_from_db()
    assert (person.host_site, person.organisation) == (None, "Université Laval")
    assert not RegistrationCorrection.objects.exists()


def test_a_site_of_another_edition_is_refused(person, organizer):
    elsewhere = HostSiteFactory()

    with pytest.raises(RegistrationError, match="another edition"):
        _correct(person, organizer, host_site=elsewhere)


def test_a_team_member_follows_the_teams_site(participant, organizer, team):
    team_site, other_site = (HostSiteFactory(edition=team.edition) for _i in range(2))
    team.host_site = team_site
    team.save()
    registration = Registration.objects.get(user=participant, edition=team.edition)

    with pytest.raises(RegistrationError, match="comes with their team"):
        _correct(registration, organizer, host_site=other_site)


def test_a_team_member_cannot_become_a_mentor(participant, organizer, team):
    registration = Registration.objects.get(user=participant, edition=team.edition)

    with pytest.raises(RegistrationError, match="member of a team"):
        _correct(registration, organizer, role=Registration.Role.MENTOR)


def test_a_judge_cannot_be_made_a_participant(edition, organizer):
    mentor = RegistrationFactory(edition=edition, role=Registration.Role.MENTOR)
    JudgeFactory(edition=edition, user=mentor.user)

    with pytest.raises(HackQCError, match="jury"):
        _correct(mentor, organizer, role=Registration.Role.PARTICIPANT)


def test_an_archived_edition_refuses_corrections(person, organizer):
    Edition.objects.filter(pk=person.edition_id).update(status=Edition.Status.ARCHIVED)
    person = Registration.objects.select_related("edition").get(pk=person.pk)

    with pytest.raises(EditionArchivedError):
        _correct(person, organizer, role=Registration.Role.MENTOR)


# Consents ---------------------------------------------------------------------------------


def test_consent_change_is_recorded_with_the_organizer_as_author(person, organizer, client):
    _correct(person, organizer, show_profile=True)

    change = ConsentChange.objects.get(user=person.user, consent="show_profile")
    assert (change.given, change.by, change.edition) == (True, organizer, person.edition)
    client.force_login(person.user)
    page = client.get(reverse("privacy:page")).content.decode()
    assert "Name and profile shown to other participants" in page
    assert "recorded by an organizer" in page


# The mail ---------------------------------------------------------------------------------


def test_the_person_is_mailed_once_in_their_language_with_the_reason(
    person, organizer, mailoutbox, django_capture_on_commit_callbacks
):
    type(person.user).objects.filter(pk=person.user_id).update(preferred_language="en")
    site = HostSiteFactory(edition=person.edition, name="Pôle Rimouski")

    with django_capture_on_commit_callbacks(execute=True):
        _correct(person, organizer, host_site=site, reason="You asked us by phone.")

    assert [m.to for m in mailoutbox] == [[person.user.email]]
    message = mailoutbox[0]
    assert "The organizers of" in message.subject
    assert "Pôle Rimouski" in message.body
    assert "You asked us by phone." in message.body
    mail = OutgoingMail.objects.get()
    correction = RegistrationCorrection.objects.get()
    assert (mail.template, mail.key) == ("teams/mail/corrected", f"teams.corrected:{correction.pk}")


def test_the_mail_is_in_french_by_default_and_keeps_needs_out(
    person, organizer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _correct(person, organizer, dietary_needs="Allergie aux arachides")

    body = mailoutbox[0].body
    assert "corrigé votre inscription" in body
    assert "Allergie" not in body


HOSTILE_REASONS = {
    "header injection": "Raison\r\nBcc: victim@example.org\r\nSubject: pwned",
    "markup": "<script>alert(1)</script> & « guillemets »",
}


@pytest.mark.parametrize("reason", list(HOSTILE_REASONS.values()), ids=list(HOSTILE_REASONS))
def test_hostile_reasons_stay_in_the_body(
    person, organizer, mailoutbox, django_capture_on_commit_callbacks, reason
):
    with django_capture_on_commit_callbacks(execute=True):
        _correct(person, organizer, role=Registration.Role.MENTOR, reason=reason)

    message = mailoutbox[0]
    assert message.recipients() == [person.user.email]
    assert "\n" not in message.subject
    assert "pwned" not in message.subject
    assert "Bcc" not in str(message.message()).split("\n\n", 1)[0]
    assert reason.strip().splitlines()[0] in message.body


@pytest.mark.parametrize("reason", ["a\x00b", "x" * 1001], ids=["nul", "huge"])
def test_nul_bytes_and_huge_reasons_are_refused(person, organizer, reason):
    with pytest.raises(RegistrationError, match="plain text") as refused:
        _correct(person, organizer, role=Registration.Role.MENTOR, reason=reason)

    assert refused.value.field == "reason"
    assert not OutgoingMail.objects.exists()


def test_a_hostile_display_name_does_not_reach_the_headers(
    edition, organizer, mailoutbox, django_capture_on_commit_callbacks
):
    registration = RegistrationFactory(
        edition=edition, user__display_name="Ève\r\nBcc: victim@example.org"
    )
    Edition.objects.filter(pk=edition.pk).update(name="HackQC\r\nBcc: x@example.org")
    registration = Registration.objects.select_related("edition").get(pk=registration.pk)

    with django_capture_on_commit_callbacks(execute=True):
        _correct(registration, organizer, role=Registration.Role.MENTOR)

    message = mailoutbox[0]
    assert message.recipients() == [registration.user.email]
    assert "\n" not in message.subject


# Pages ------------------------------------------------------------------------------------


def test_search_finds_people_by_name_or_address(client, edition, organizer):
    RegistrationFactory(edition=edition, user__display_name="Alice Tremblay")
    RegistrationFactory(edition=edition, user__email="bob.gagnon@example.org")
    RegistrationFactory(edition=edition, user__display_name="Carole Roy")
    client.force_login(organizer)
    url = reverse("teams:organize_registrations", kwargs={"slug": edition.slug})

    by_name = client.get(url, {"q": "tremblay"}).context["page"]
    by_address = client.get(url, {"q": "GAGNON@"}).context["page"]
    nobody = client.get(url, {"q": "zzz"})

    assert [r.user.display_name for r in by_name] == ["Alice Tremblay"]
    assert [r.user.email for r in by_address] == ["bob.gagnon@example.org"]
    assert list(nobody.context["page"]) == []
    assert "Nobody registered matches this search." in nobody.content.decode()


def test_search_pages_keep_the_search(client, edition, organizer, monkeypatch):
    from teams.views import organize

    monkeypatch.setattr(organize, "PAGE_SIZE", 2)
    for number in range(3):
        RegistrationFactory(edition=edition, user__display_name=f"Tremblay {number}")
    RegistrationFactory(edition=edition, user__display_name="Roy")
    client.force_login(organizer)
    url = reverse("teams:organize_registrations", kwargs={"slug": edition.slug})

    first = client.get(url, {"q": "Tremblay"})
    second = client.get(url, {"q": "Tremblay", "page": 2})

    assert 'href="?q=Tremblay&amp;page=2"' in first.content.decode()
    assert [r.user.display_name for r in second.context["page"]] == ["Tremblay 2"]


@pytest.mark.parametrize("count", [1, 3])
def test_search_queries_are_constant(client, edition, organizer, count, django_assert_num_queries):
    site = HostSiteFactory(edition=edition)
    for number in range(count):
        RegistrationFactory(edition=edition, host_site=site, user__display_name=f"Roy {number}")
    client.force_login(organizer)
    url = reverse("teams:organize_registrations", kwargs={"slug": edition.slug})

    with django_assert_num_queries(9):
        response = client.get(url, {"q": "roy"})

    assert len(response.context["page"]) == count


def test_the_list_links_each_person_to_their_correction_page(client, person, organizer):
    client.force_login(organizer)

    page = client.get(
        reverse("teams:organize_registrations", kwargs={"slug": person.edition.slug})
    ).content.decode()

    assert _url(person) in page


def test_posting_a_correction_saves_and_returns_to_the_person(client, person, organizer):
    site = HostSiteFactory(edition=person.edition, name="Pôle Lévis")
    client = Client(enforce_csrf_checks=False)
    client.force_login(organizer)

    response = client.post(_url(person), _form(person, host_site=site.pk))

    assert response.status_code == 302
    assert response.url.endswith(f"?q={person.user.email.replace('@', '%40')}")
    assert Registration.objects.get(pk=person.pk).host_site == site


def test_no_reason_is_a_form_error_keeping_what_was_typed(client, person, organizer):
    client.force_login(organizer)

    response = client.post(
        _url(person), _form(person, reason="", organisation="Polytechnique Montréal")
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"reason"}
    assert 'value="Polytechnique Montréal"' in response.content.decode()
    assert Registration.objects.get(pk=person.pk).organisation == "Université Laval"


def test_a_full_site_is_a_form_error_keeping_what_was_typed(client, person, organizer):
    site = HostSiteFactory(edition=person.edition, capacity=1)
    RegistrationFactory(edition=person.edition, host_site=site)
    client.force_login(organizer)

    response = client.post(
        _url(person), _form(person, host_site=site.pk, reason="Demandé par courriel")
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["host_site"]
    assert "Demandé par courriel" in response.content.decode()
    assert Registration.objects.get(pk=person.pk).host_site is None


def test_outsiders_cannot_see_or_post_the_correction_page(
    client, person, participant, other_organizer, judge
):
    JudgeFactory(edition=person.edition, user=judge)
    statuses = []
    for user in (None, participant, other_organizer, judge):
        client.logout()
        if user is not None:
            client.force_login(user)
        statuses.append(
            (client.get(_url(person)).status_code, client.post(_url(person), {}).status_code)
        )

    assert statuses == [(302, 302), (403, 403), (403, 403), (403, 403)]
    assert not RegistrationCorrection.objects.exists()


def test_a_registration_of_another_edition_is_404(client, organizer, edition):
    elsewhere = RegistrationFactory()
    client.force_login(organizer)

    url = reverse("teams:organize_correct", kwargs={"slug": edition.slug, "pk": elsewhere.pk})

    assert client.get(url).status_code == 404


def test_staff_may_correct_any_edition(client, person, staff):
    client.force_login(staff)

    response = client.post(_url(person), _form(person, role="mentor"))

    assert response.status_code == 302
    assert Registration.objects.get(pk=person.pk).role == "mentor"


def test_the_page_lists_earlier_corrections(client, person, organizer):
    _correct(person, organizer, role=Registration.Role.MENTOR, reason="Première raison")
    client.force_login(organizer)

    page = client.get(_url(person)).content.decode()

    assert "Première raison" in page


# Concurrency (PostgreSQL) -----------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_organizers_moving_people_to_the_last_seat_one_wins():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    from tests.factories.core import EditionFactory

    edition = EditionFactory()
    site = HostSiteFactory(edition=edition, capacity=1)
    organizers = [OrganizerRoleFactory(edition=edition).user, UserFactory(is_staff=True)]
    people = [RegistrationFactory(edition=edition) for _i in range(2)]
    TeamFactory(edition=edition)  # a team elsewhere changes nothing of the site's seats
    barrier = threading.Barrier(2)
    outcomes = []

    def move(registration, by):
        try:
            barrier.wait(timeout=10)
            _correct(registration, by, host_site=site)
            outcomes.append("moved")
        except SiteFullError as exc:
            outcomes.append(str(exc))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=move, args=pair) for pair in zip(people, organizers, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    refusals = [outcome for outcome in outcomes if outcome != "moved"]
    assert len(outcomes) == 2
    assert len(refusals) == 1
    assert site.name in refusals[0]
    assert "0" in refusals[0]
    assert Registration.objects.filter(host_site=site).count() == 1
    assert RegistrationCorrection.objects.count() == 1
    assert OutgoingMail.objects.count() == 1


def test_the_editions_log_shows_the_correction_without_the_reason(client, person, organizer):
    site = HostSiteFactory(edition=person.edition, name="Pôle Lévis")
    _correct(person, organizer, host_site=site, reason="Raison confidentielle")
    client.force_login(organizer)

    html = client.get(
        reverse("organize:audit_log", args=[person.edition.slug]), HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()

    assert "Corrected a registration" in html
    assert "— → Pôle Lévis" in html
    assert "Raison confidentielle" not in html
