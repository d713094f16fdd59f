"""An edition's life: draft, published, archived, featured, deleted (`hackqc.lifecycle`), the
read-only archive (`hackqc.service`), and the organizer pages that drive them."""

import datetime as dt
import inspect
import threading

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, connections, transaction
from django.urls import reverse
from django.utils import timezone

from hackqc import lifecycle, services
from hackqc.exceptions import EditionArchivedError, HackQCError
from hackqc.models import AuditEntry, Edition, Phase
from hackqc.service import all_services
from tests.factories.core import (
    ChallengeFactory,
    EditionFactory,
    OrganizerRoleFactory,
    UserFactory,
    timeline_for,
)
from tests.factories.judging import JudgeFactory
from tests.factories.teams import RegistrationFactory

DRAFT, PUBLISHED, ARCHIVED = Edition.Status.DRAFT, Edition.Status.PUBLISHED, Edition.Status.ARCHIVED


def _status(edition):
    return Edition.objects.get(pk=edition.pk).status


def _actions(edition=None):
    return list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))


# The model ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_create_edition_makes_a_draft_its_creator_organizes():
    staff = UserFactory(is_staff=True)
    fields = {k: v for k, v in timeline_for(Phase.UPCOMING).items() if k != "results_published"}

    edition = services.create_edition(by=staff, year=2031, slug="h-2031", name="H 2031", **fields)

    assert _status(edition) == DRAFT
    assert not edition.featured


@pytest.mark.django_db
def test_the_database_refuses_a_featured_draft_and_a_second_featured_edition():
    first = EditionFactory(featured=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        EditionFactory(featured=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Edition.objects.filter(pk=first.pk).update(status=DRAFT)
    with pytest.raises(IntegrityError), transaction.atomic():
        Edition.objects.filter(pk=first.pk).update(status="deleted")
    assert list(Edition.objects.filter(featured=True)) == [first]


# Transitions -------------------------------------------------------------------------------


@pytest.fixture
def organizer(db):
    return UserFactory()


def _edition(organizer, **kwargs):
    edition = EditionFactory(**kwargs)
    OrganizerRoleFactory(edition=edition, user=organizer)
    return edition


@pytest.mark.django_db
def test_publishing_a_draft_shows_it_and_is_logged(organizer, client):
    draft = _edition(organizer, status=DRAFT, name="HackQC 2031")
    assert "HackQC 2031" not in client.get(reverse("home")).text  # cached now

    lifecycle.publish_edition(draft, by=organizer)

    assert _status(draft) == PUBLISHED
    assert "HackQC 2031" in client.get(reverse("home")).text  # at once, not from the cache
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.edition) == ("edition.published", organizer, draft)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("service", "status"),
    [
        (lifecycle.publish_edition, PUBLISHED),
        (lifecycle.unpublish_edition, DRAFT),
        (lifecycle.archive_edition, PUBLISHED),
        (lifecycle.unarchive_edition, PUBLISHED),
        (lifecycle.delete_edition, PUBLISHED),
    ],
)
def test_a_transition_from_the_wrong_status_is_refused(organizer, service, status):
    edition = _edition(organizer, status=status, phase=Phase.REGISTRATION)

    with pytest.raises(HackQCError):
        service(edition, by=organizer)

    assert _status(edition) == status
    assert _actions() == []


@pytest.mark.django_db
def test_unpublishing_returns_a_published_edition_nobody_joined_to_draft(organizer):
    edition = _edition(organizer, featured=True)

    lifecycle.unpublish_edition(edition, by=organizer)

    stored = Edition.objects.get(pk=edition.pk)
    assert (stored.status, stored.featured) == (DRAFT, False)
    assert _actions() == ["edition.unpublished"]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["participant", "judge"])
def test_unpublishing_is_refused_once_people_joined(organizer, who):
    edition = _edition(organizer)
    if who == "participant":
        RegistrationFactory(edition=edition)
    else:
        JudgeFactory(edition=edition)

    with pytest.raises(HackQCError, match="reste publiée"):
        lifecycle.unpublish_edition(edition, by=organizer)

    assert _status(edition) == PUBLISHED


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("phase", "allowed"),
    [
        (Phase.HACKING, False),
        (Phase.JUDGING, False),
        (Phase.DELIBERATION, True),  # judging over, no results: may be archived
        (Phase.RESULTS, True),
    ],
)
def test_archiving_waits_until_the_edition_is_over(organizer, phase, allowed):
    edition = _edition(organizer, phase=phase)

    if allowed:
        lifecycle.archive_edition(edition, by=organizer)
    else:
        with pytest.raises(HackQCError, match="une fois l\u2019évaluation terminée"):
            lifecycle.archive_edition(edition, by=organizer)

    assert _status(edition) == (ARCHIVED if allowed else PUBLISHED)


@pytest.mark.django_db
def test_archiving_waits_for_a_scheduled_publication_of_results(organizer):
    edition = _edition(organizer, phase=Phase.DELIBERATION)
    Edition.objects.filter(pk=edition.pk).update(
        results_published=timezone.now() + dt.timedelta(days=1)
    )
    edition.refresh_from_db()

    with pytest.raises(HackQCError):
        lifecycle.archive_edition(edition, by=organizer)


@pytest.mark.django_db
def test_an_archive_is_unarchived_and_featured(organizer):
    archive = _edition(organizer, phase=Phase.RESULTS, status=ARCHIVED)

    lifecycle.feature_edition(archive, by=organizer)
    lifecycle.unarchive_edition(archive, by=organizer)

    stored = Edition.objects.get(pk=archive.pk)
    assert (stored.status, stored.featured) == (PUBLISHED, True)
    assert _actions() == ["edition.featured", "edition.unarchived"]


@pytest.mark.django_db
def test_featuring_replaces_the_featured_edition(organizer, client):
    before = _edition(organizer, featured=True, name="Avant")
    after = _edition(organizer, phase=Phase.RESULTS, name="Après")
    assert '<h1 id="current-edition">Avant' in client.get(reverse("home")).text

    lifecycle.feature_edition(after, by=organizer)

    assert list(Edition.objects.filter(featured=True)) == [after]
    assert Edition.objects.current() == after
    assert '<h1 id="current-edition">Après' in client.get(reverse("home")).text
    assert AuditEntry.objects.get().details == {"previous": [before.pk]}


@pytest.mark.django_db
def test_a_draft_cannot_be_featured(organizer):
    draft = _edition(organizer, status=DRAFT)

    with pytest.raises(HackQCError, match="publiez-le d\u2019abord"):
        lifecycle.feature_edition(draft, by=organizer)


@pytest.mark.django_db
def test_deleting_a_draft_nobody_joined_keeps_its_name_in_the_log(organizer):
    draft = _edition(organizer, status=DRAFT, name="Essai")
    ChallengeFactory(edition=draft)

    lifecycle.delete_edition(draft, by=organizer)

    assert not Edition.objects.filter(pk=draft.pk).exists()
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.edition, entry.target_label) == ("edition.deleted", None, "Essai")
    assert entry.details == {"slug": draft.slug}


@pytest.mark.django_db
def test_deleting_a_draft_with_a_judge_is_refused(organizer):
    draft = _edition(organizer, status=DRAFT)
    JudgeFactory(edition=draft)

    with pytest.raises(HackQCError, match="ne peut pas être supprimée"):
        lifecycle.delete_edition(draft, by=organizer)

    assert Edition.objects.filter(pk=draft.pk).exists()
    assert _actions() == []


# An archive is read-only -------------------------------------------------------------------

# The model each service's main object (its first argument, or its `edition=`) is, by the
# argument's name; None when it leads to no edition (a person, a portal, a token...).
MAIN_MODELS = {
    "edition": "hackqc.Edition",
    "announcement": "hackqc.Announcement",
    "challenge": "hackqc.Challenge",
    "site": "hackqc.HostSite",
    "mail": "hackqc.OutgoingMail",
    "item": "hackqc.AgendaItem",
    "incident": "incidents.Incident",
    "round": "judging.Round",
    "source": "judging.Round",
    "criterion": "judging.Criterion",
    "judge": "judging.Judge",
    "conflict": "judging.Conflict",
    "vote": "judging.PublicVote",
    "award": "results.Award",
    "first": "results.Award",
    "snapshot": "results.ResultSnapshot",
    "prize": "results.Prize",
    "certificate": "results.Certificate",
    "submission": "submissions.Submission",
    "link": "submissions.DatasetLink",
    "screenshot": "submissions.Screenshot",
    "version": "submissions.SubmissionVersion",
    "team": "teams.Team",
    "registration": "teams.Registration",
    "membership": "teams.Membership",
    "join_request": "teams.JoinRequest",
}
# An `invitation` is a team's or a jury's, by the service's app.
INVITATIONS = {"teams": "teams.Invitation", "judging": "judging.JudgeInvitation"}
NO_EDITION = {
    "user", "portal", "key", "token", "export_id", "now", "api_url", "hostname", "versions",
    "new_versions",
    "by",  # create_edition: the edition is new
}  # fmt: skip
# Services that must still work on an archive, each with its reason.
ON_ARCHIVED = {
    "hackqc.privacy.erasure.erase_account": "Law 25: a person's erasure reaches archives",
    "hackqc.privacy.retention.anonymise_edition": "Law 25: retention anonymises archives",
    "hackqc.services.resend_failed_mail": "an archive's mails may need resending",
    "judging.results.certificates.issue_certificate": "certificates of archived editions",
    "judging.results.certificates.set_certificate_name_public": "a person's own certificate",
    "hackqc.lifecycle.unarchive_edition": "the way out of an archive",
    "hackqc.lifecycle.feature_edition": "featuring changes nothing of the archive",
    "hackqc.cloning.clone_edition": "an archive is read to make next year's draft",
}


def _main_argument(name, func):
    """(argument name, model label or None) of the service's main object."""
    parameters = inspect.signature(func).parameters
    if "edition" in parameters and parameters["edition"].kind == inspect.Parameter.KEYWORD_ONLY:
        return "edition", "hackqc.Edition"
    first = next(iter(parameters), None)
    if first is None or first in NO_EDITION:
        return first, None
    if first == "invitation":
        return first, INVITATIONS[name.split(".")[0]]
    return first, MAIN_MODELS[first]


def _of_archive(label, archive):
    """An unsaved `label` row whose foreign keys lead to `archive`, all in memory."""
    from hackqc.ownership import edition_path

    model = apps.get_model(label)
    path = edition_path(model)
    if not path:
        return archive
    chain = [model]
    for name in path[:-1]:
        chain.append(chain[-1]._meta.get_field(name).related_model)
    row = archive
    for current, name in zip(reversed(chain), reversed(path), strict=True):
        row = current(**{name: row})
    return row


def _writing_services():
    return sorted(all_services().items())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "func"), _writing_services(), ids=[name for name, _func in _writing_services()]
)
def test_every_writing_service_is_refused_on_an_archive_before_it_writes(name, func):
    """Refused before the service's body runs: nothing is half-saved. The argument check
    runs first, so any other argument will do."""
    argument, label = _main_argument(name, func)
    archive = Edition(pk=10**9, status=ARCHIVED)
    if name in ON_ARCHIVED or label is None:
        assert func.on_archived == (name in ON_ARCHIVED)
        return
    main = _of_archive(label, archive)
    first = next(iter(inspect.signature(func).parameters))
    if argument == "edition" and first != "edition":  # start_job(kind, *, edition, ...)
        args, kwargs = (None,), {"edition": main}
    else:
        args, kwargs = (main,), {}
    with pytest.raises(EditionArchivedError):
        func(*args, **kwargs)


def test_the_services_allowed_on_archives_are_exactly_the_listed_ones():
    assert {n for n, f in all_services().items() if f.on_archived} == set(ON_ARCHIVED)


@pytest.mark.django_db
def test_a_refused_write_on_an_archive_saves_nothing(organizer):
    archive = _edition(organizer, phase=Phase.RESULTS, status=ARCHIVED, name="Avant")
    challenge = ChallengeFactory(edition=archive, title="Défi")

    with pytest.raises(EditionArchivedError):
        services.update_edition(archive, by=organizer, name="Après")
    challenge.title = "Changé"
    with pytest.raises(EditionArchivedError):
        services.save_challenge(challenge, by=organizer)

    assert Edition.objects.get(pk=archive.pk).name == "Avant"
    assert archive.challenges.get().title == "Défi"
    assert _actions() == []


@pytest.mark.django_db
def test_the_edit_form_of_an_archive_says_why_it_is_refused(organizer, client):
    archive = _edition(organizer, phase=Phase.RESULTS, status=ARCHIVED, name="Avant")
    client.force_login(organizer)
    url = reverse("organize:edition_update", args=[archive.slug])
    data = {**client.get(url).context["form"].initial, "name": "Après"}
    data = {k: v for k, v in data.items() if v is not None}

    response = client.post(url, data, headers={"Referer": f"http://testserver{url}"}, follow=True)

    assert response.status_code == 200
    assert "Cette édition est archivée" in response.text
    assert Edition.objects.get(pk=archive.pk).name == "Avant"


# Organizer pages ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_dashboard_offers_the_transitions_of_the_status(organizer, client):
    draft = _edition(organizer, status=DRAFT)
    client.force_login(organizer)

    page = client.get(reverse("organize:dashboard", args=[draft.slug])).text

    assert "Cycle de vie" in page
    assert reverse("organize:edition_publish", args=[draft.slug]) in page
    assert reverse("organize:edition_delete", args=[draft.slug]) in page
    assert reverse("organize:edition_archive", args=[draft.slug]) not in page
    assert reverse("organize:edition_feature", args=[draft.slug]) not in page  # staff only


@pytest.mark.django_db
def test_an_organizer_publishes_with_a_button(organizer, client):
    draft = _edition(organizer, status=DRAFT)
    client.force_login(organizer)

    response = client.post(reverse("organize:edition_publish", args=[draft.slug]), follow=True)

    assert _status(draft) == PUBLISHED
    assert "L\u2019édition est publiée." in response.text


@pytest.mark.django_db
def test_deleting_asks_for_the_slug_typed(organizer, client):
    draft = _edition(organizer, status=DRAFT)
    client.force_login(organizer)
    url = reverse("organize:edition_delete", args=[draft.slug])

    wrong = client.post(url, {"confirm": "autre"})
    assert wrong.status_code == 200
    assert Edition.objects.filter(pk=draft.pk).exists()

    right = client.post(url, {"confirm": draft.slug})
    assert right.url == reverse("organize:editions")
    assert not Edition.objects.filter(pk=draft.pk).exists()


@pytest.mark.django_db
def test_archiving_asks_for_confirmation(organizer, client):
    over = _edition(organizer, phase=Phase.RESULTS)
    client.force_login(organizer)
    url = reverse("organize:edition_archive", args=[over.slug])

    assert client.post(url, {}).status_code == 200  # the box unticked: asked again
    assert _status(over) == PUBLISHED
    client.post(url, {"confirm": "on"})
    assert _status(over) == ARCHIVED


@pytest.mark.django_db
def test_only_staff_feature_an_edition(organizer, client):
    edition = _edition(organizer, phase=Phase.RESULTS)
    url = reverse("organize:edition_feature", args=[edition.slug])
    client.force_login(organizer)
    assert client.post(url).status_code == 403
    client.force_login(UserFactory(is_staff=True))

    response = client.post(url, {"next": "editions"})

    assert response.url == reverse("organize:editions")
    assert Edition.objects.get(pk=edition.pk).featured


@pytest.mark.django_db
def test_staff_see_every_edition_with_its_status(client):
    EditionFactory(name="Publiée", featured=True)
    EditionFactory(name="Brouillonne", status=DRAFT)
    EditionFactory(name="Archivée", status=ARCHIVED, phase=Phase.RESULTS)
    client.force_login(UserFactory(is_staff=True))

    response = client.get(reverse("organize:editions"))

    rows = [(e.name, e.get_status_display(), e.featured) for e in response.context["editions"]]
    assert sorted(rows) == [
        ("Archivée", "Archivée", False),
        ("Brouillonne", "Brouillon", False),
        ("Publiée", "Publiée", True),
    ]
    assert "En vedette" in response.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    [
        "organize:edition_publish",
        "organize:edition_unpublish",
        "organize:edition_archive",
        "organize:edition_unarchive",
        "organize:edition_feature",
        "organize:edition_delete",
    ],
)
def test_outsiders_cannot_drive_an_edition_s_life(organizer, client, name):
    draft = _edition(organizer, status=DRAFT)
    other = OrganizerRoleFactory(edition=EditionFactory()).user
    participant = RegistrationFactory(edition=EditionFactory()).user
    url = reverse(name, args=[draft.slug])

    refused = [client.post(url, {"confirm": draft.slug}).status_code]
    for user in (other, participant):
        client.force_login(user)
        refused.append(client.post(url, {"confirm": draft.slug}).status_code)

    assert refused[0] in {302, 403}  # to the sign-in page, or refused
    assert refused[1:] == [403, 403]
    assert _status(draft) == DRAFT


# Concurrency, on PostgreSQL, outside a test transaction -------------------------------------


def _race(*calls):
    barrier = threading.Barrier(len(calls))
    outcomes = []

    def run(call):
        try:
            barrier.wait(timeout=10)
            call()
            outcomes.append("done")
        except HackQCError as exc:
            outcomes.append(type(exc).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_editions_featured_at_once_leave_exactly_one_featured():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    staff = UserFactory(is_staff=True)
    EditionFactory(featured=True)
    first, second = EditionFactory(), EditionFactory()

    outcomes = _race(
        lambda: lifecycle.feature_edition(first, by=staff),
        lambda: lifecycle.feature_edition(second, by=staff),
    )

    assert outcomes == ["done", "done"]
    featured = list(Edition.objects.filter(featured=True))
    assert len(featured) == 1
    assert featured[0] in (first, second)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_publish_and_delete_at_once_one_wins_cleanly():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    organizer = UserFactory()
    draft = _edition(organizer, status=DRAFT)

    outcomes = _race(
        lambda: lifecycle.publish_edition(Edition.objects.get(pk=draft.pk), by=organizer),
        lambda: lifecycle.delete_edition(Edition.objects.get(pk=draft.pk), by=organizer),
    )

    assert sorted(outcomes) == ["LifecycleError", "done"]
    stored = Edition.objects.filter(pk=draft.pk).first()
    assert stored is None or stored.status == PUBLISHED
