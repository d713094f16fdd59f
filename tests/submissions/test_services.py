import datetime as dt

import pytest
import time_machine
from django.utils import timezone, translation

from hackqc.exceptions import ConcurrentEditError, HackQCError, PhaseClosedError
from submissions import queries, services
from submissions.catalogue.models import Dataset
from submissions.models import Decision, Library, Submission, SubmissionVersion
from tests.factories.catalogue import DatasetFactory
from tests.factories.core import ChallengeFactory

from .conftest import SHEET_VALUES


def _save(sheet, by, **changes):
    values = {**SHEET_VALUES, **changes}
    return services.update_sheet(
        sheet, by=by, lock_version=sheet.lock_version, technologies=["Python"], **values
    )


def test_create_submission_is_idempotent(team):
    first = services.create_submission(team)
    second = services.create_submission(team)

    assert first.pk == second.pk
    assert first.state == Submission.State.DRAFT
    assert first.edition_id == team.edition_id
    assert Submission.objects.filter(team=team).count() == 1


def test_update_sheet_saves_sections_and_bumps_lock(sheet, participant):
    services.update_sheet(
        sheet,
        by=participant,
        lock_version=1,
        technologies=["Python", "python ", "PostGIS"],
        libraries=[("Django", "5.2"), ("django", "5.1"), ("Leaflet", "1.9")],
        **SHEET_VALUES,
    )

    sheet.refresh_from_db()
    assert sheet.title == "Vélo futé"
    assert sheet.lock_version == 2
    assert {t.name for t in sheet.technologies.all()} == {"Python", "PostGIS"}
    assert list(Library.objects.filter(submission=sheet).values_list("name", "version")) == [
        ("Django", "5.2"),
        ("Leaflet", "1.9"),
    ]


def test_update_sheet_refuses_a_stale_lock_and_keeps_the_first_save(sheet, participant, teammate):
    services.update_sheet(sheet, by=participant, lock_version=1, title="Premier")

    with pytest.raises(ConcurrentEditError):
        services.update_sheet(sheet, by=teammate, lock_version=1, title="Second")

    sheet.refresh_from_db()
    assert sheet.title == "Premier"
    assert sheet.lock_version == 2


def test_update_sheet_refused_one_second_after_the_deadline(sheet, participant):
    close = sheet.edition.submissions_close
    with (
        time_machine.travel(close + dt.timedelta(seconds=1), tick=False),
        pytest.raises(PhaseClosedError),
    ):
        services.update_sheet(sheet, by=participant, lock_version=1, title="Trop tard")

    sheet.refresh_from_db()
    assert sheet.title == ""
    assert sheet.lock_version == 1


def test_update_sheet_accepted_one_second_before_the_deadline(sheet, participant):
    close = sheet.edition.submissions_close
    with time_machine.travel(close - dt.timedelta(seconds=1), tick=False):
        services.update_sheet(sheet, by=participant, lock_version=1, title="Juste à temps")

    sheet.refresh_from_db()
    assert sheet.title == "Juste à temps"


def test_eligibility_lists_every_missing_part(sheet):
    ChallengeFactory(edition=sheet.edition)

    with translation.override("en"):
        result = queries.eligibility_of(sheet)

    assert not result.is_eligible
    assert result.problems == [
        "Section A is incomplete: title, one-line pitch, description, challenge.",
        "Link at least 1 dataset from the catalogue.",
        "Section B is incomplete: technologies.",
        "Section C is incomplete: what was achieved, difficulties and successes, "
        "lessons learned, next steps.",
        "Give the URL of the public source repository.",
        "Choose a licence for the code.",
    ]
    assert result.warnings == ["The team has 2 members; 4 are recommended."]


def test_eligibility_complete_sheet_only_warns_about_team_size(complete_sheet):
    result = queries.eligibility_of(complete_sheet)

    assert result.problems == []
    assert len(result.warnings) == 1


def test_eligibility_needs_the_editions_minimum_of_datasets(complete_sheet):
    complete_sheet.edition.min_datasets = 2
    complete_sheet.edition.save()

    with translation.override("en"):
        result = queries.eligibility_of(complete_sheet)

    assert result.problems == ["Link at least 2 datasets from the catalogue."]


def test_submit_project_refuses_an_incomplete_sheet(sheet, participant):
    with pytest.raises(services.NotEligibleError) as caught:
        services.submit_project(sheet, by=participant)

    assert len(caught.value.problems) >= 4
    assert not SubmissionVersion.objects.exists()
    sheet.refresh_from_db()
    assert sheet.state == Submission.State.DRAFT


def test_submit_project_stores_a_version_and_mails_every_member(
    complete_sheet, participant, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        version = services.submit_project(complete_sheet, by=participant)

    complete_sheet.refresh_from_db()
    assert complete_sheet.state == Submission.State.SUBMITTED
    assert version.number == 1
    assert version.submitted_by == participant
    assert version.data["title"] == "Vélo futé"
    assert version.data["datasets"][0]["name"] == "supports-a-velo"
    assert version.data["libraries"] == [
        {"name": "Django", "version": "5.2"},
        {"name": "Leaflet", "version": "1.9.4"},
    ]
    assert {m.to[0] for m in mailoutbox} == {"captain@example.org", "teammate@example.org"}
    assert all("1" in m.subject for m in mailoutbox)


def test_resubmit_stores_an_immutable_new_version(complete_sheet, participant, teammate):
    first = services.submit_project(complete_sheet, by=participant)
    _save(complete_sheet, teammate, title="Vélo futé 2")
    second = services.submit_project(complete_sheet, by=teammate)

    first.refresh_from_db()
    assert (first.number, second.number) == (1, 2)
    assert first.data["title"] == "Vélo futé"
    assert second.data["title"] == "Vélo futé 2"
    history = queries.versions_with_changes(complete_sheet)
    assert [v.number for v in history] == [2, 1]
    assert history[0].changes == ["title", "technologies", "external libraries"]


def test_submit_project_refused_after_the_deadline(complete_sheet, participant):
    with (
        time_machine.travel(complete_sheet.edition.submissions_close, tick=False),
        pytest.raises(PhaseClosedError),
    ):
        services.submit_project(complete_sheet, by=participant)

    assert not SubmissionVersion.objects.exists()


def test_submit_project_refuses_a_stale_page(complete_sheet, participant):
    with pytest.raises(ConcurrentEditError):
        services.submit_project(
            complete_sheet, by=participant, lock_version=complete_sheet.lock_version - 1
        )


def test_judged_version_is_the_last_by_the_deadline(complete_sheet, participant, organizer):
    close = complete_sheet.edition.submissions_close
    with time_machine.travel(close - dt.timedelta(hours=1), tick=False):
        services.submit_project(complete_sheet, by=participant)
    with time_machine.travel(close - dt.timedelta(minutes=1), tick=False):
        _save(complete_sheet, participant, title="Vélo futé 2")
        services.submit_project(complete_sheet, by=participant)
    # A version stored late (e.g. imported) is never judged.
    SubmissionVersion.objects.create(
        submission=complete_sheet,
        number=3,
        data={},
        submitted_by=participant,
        submitted_at=close + dt.timedelta(seconds=1),
    )

    assert queries.judged_version(complete_sheet).number == 2
    assert queries.judged_versions([complete_sheet])[complete_sheet.pk].number == 2
    assert list(queries.judgeable_submissions(complete_sheet.edition)) == [complete_sheet]


def test_draft_never_submitted_is_not_judged(sheet):
    assert queries.judged_version(sheet) is None
    assert queries.judged_versions(Submission.objects.all()) == {}
    assert not queries.judgeable_submissions(sheet.edition).exists()


def test_reopen_lets_the_team_submit_after_the_deadline(complete_sheet, participant, organizer):
    close = complete_sheet.edition.submissions_close
    with time_machine.travel(close + dt.timedelta(hours=1), tick=False):
        services.reopen_submission(
            complete_sheet,
            by=organizer,
            reason="Panne du serveur",
            until=close + dt.timedelta(hours=3),
        )
        complete_sheet.refresh_from_db()
        version = services.submit_project(complete_sheet, by=participant)

    decision = Decision.objects.get()
    assert (decision.kind, decision.reason, decision.decided_by) == (
        "reopened",
        "Panne du serveur",
        organizer,
    )
    assert queries.judged_version(complete_sheet) == version
    assert queries.judged_versions([complete_sheet])[complete_sheet.pk] == version


def test_reopen_needs_a_reason_and_a_future_date(sheet, organizer):
    with pytest.raises(HackQCError):
        services.reopen_submission(
            sheet, by=organizer, reason=" ", until=timezone.now() + dt.timedelta(days=1)
        )
    with pytest.raises(HackQCError):
        services.reopen_submission(
            sheet, by=organizer, reason="ok", until=timezone.now() - dt.timedelta(days=1)
        )
    assert not Decision.objects.exists()


def test_reopen_refused_once_judges_scored_or_results_are_out(complete_sheet, organizer):
    from tests.factories.judging import ReviewFactory

    until = complete_sheet.edition.judging_ends - dt.timedelta(hours=1)
    ReviewFactory(
        submission=complete_sheet, round__edition=complete_sheet.edition, state="submitted"
    )
    with pytest.raises(HackQCError):
        services.reopen_submission(complete_sheet, by=organizer, reason="Panne", until=until)
    assert not Decision.objects.exists()


def test_reopen_refused_after_publication_or_past_judging(complete_sheet, organizer):
    edition = complete_sheet.edition
    with pytest.raises(HackQCError):
        services.reopen_submission(
            complete_sheet,
            by=organizer,
            reason="Panne",
            until=edition.judging_ends + dt.timedelta(hours=1),
        )
    edition.results_published = edition.judging_ends
    edition.save()
    with pytest.raises(HackQCError):
        services.reopen_submission(
            complete_sheet,
            by=organizer,
            reason="Panne",
            until=edition.judging_ends - dt.timedelta(hours=1),
        )
    assert not Decision.objects.exists()


def test_disqualify_records_the_reason_and_removes_from_judging(
    complete_sheet, participant, organizer
):
    services.submit_project(complete_sheet, by=participant)

    services.disqualify_submission(complete_sheet, by=organizer, reason="Code écrit avant")

    complete_sheet.refresh_from_db()
    assert complete_sheet.state == Submission.State.DISQUALIFIED
    assert Decision.objects.get().reason == "Code écrit avant"
    assert queries.judged_version(complete_sheet) is None
    assert not queries.judgeable_submissions(complete_sheet.edition).exists()
    with pytest.raises(PhaseClosedError):
        _save(complete_sheet, participant)
    with pytest.raises(HackQCError):
        services.disqualify_submission(complete_sheet, by=organizer, reason="encore")


@pytest.mark.parametrize(
    "reference",
    [
        "https://www.donneesquebec.ca/recherche/dataset/supports-a-velo",
        "https://www.donneesquebec.ca/recherche/dataset/supports-a-velo/resource/"
        "0b6a6a3e-1111-4c3e-9d6e-1234567890ab",
        "supports-a-velo",
        "  Supports à vélo ",
        "SUPPORTS-A-VELO",
    ],
)
def test_resolve_dataset_reference_finds_the_dataset(dataset, reference):
    assert services.resolve_dataset_reference(reference) == dataset


def test_resolve_dataset_reference_by_uuid(dataset):
    assert services.resolve_dataset_reference(str(dataset.ckan_id)) == dataset
    url = f"https://www.donneesquebec.ca/recherche/dataset/{dataset.ckan_id}"
    assert services.resolve_dataset_reference(url) == dataset


@pytest.mark.parametrize(
    "reference",
    ["", "inconnu", "https://www.donneesquebec.ca/recherche/", "https://x.org/resource/abc"],
)
def test_resolve_dataset_reference_unknown(db, reference):
    with pytest.raises(services.DatasetNotFoundError):
        services.resolve_dataset_reference(reference)


def test_link_dataset_updates_usage_when_linked_twice(sheet, participant, dataset):
    services.link_dataset(sheet, by=participant, dataset=dataset, usage="Premier usage")
    link = services.link_dataset(
        sheet, by=participant, dataset=dataset, usage="Carte", resources=["r1", ""]
    )

    assert sheet.dataset_links.count() == 1
    assert (link.usage, link.resources) == ("Carte", ["r1"])


def test_link_dataset_refuses_a_withdrawn_dataset(sheet, participant):
    withdrawn = DatasetFactory(state=Dataset.State.WITHDRAWN)

    with pytest.raises(HackQCError):
        services.link_dataset(sheet, by=participant, dataset=withdrawn, usage="x")

    assert not sheet.dataset_links.exists()


def test_withdrawn_dataset_stays_linked(complete_sheet, dataset, participant):
    version = services.submit_project(complete_sheet, by=participant)
    Dataset.objects.filter(pk=dataset.pk).update(state=Dataset.State.WITHDRAWN)

    assert complete_sheet.dataset_links.get().dataset_id == dataset.pk
    assert queries.withdrawn_dataset_ids(version.data) == {dataset.pk}


def test_unlink_dataset_keeps_past_versions(complete_sheet, participant):
    version = services.submit_project(complete_sheet, by=participant)

    services.unlink_dataset(complete_sheet.dataset_links.get(), by=participant)

    assert not complete_sheet.dataset_links.exists()
    version.refresh_from_db()
    assert len(version.data["datasets"]) == 1


def test_update_sheet_refuses_a_challenge_of_another_edition(sheet, participant):
    foreign = ChallengeFactory()

    with pytest.raises(HackQCError):
        services.update_sheet(sheet, by=participant, lock_version=1, challenge=foreign)

    sheet.refresh_from_db()
    assert sheet.challenge_id is None
    assert sheet.lock_version == 1


def test_resolve_dataset_reference_by_a_bare_resource_url(db):
    resource_id = "5d2e3f4a-aaaa-4bbb-8ccc-123456789abc"
    dataset = DatasetFactory(resources=[{"id": resource_id, "name": "CSV", "format": "CSV"}])
    DatasetFactory(resources=[{"id": "other", "name": resource_id}])

    found = services.resolve_dataset_reference(
        f"https://www.donneesquebec.ca/recherche/resource/{resource_id.upper()}"
    )

    assert found == dataset


def test_a_version_cannot_be_changed(complete_sheet, participant):
    version = services.submit_project(complete_sheet, by=participant)
    version.data = {"title": "Réécrit"}

    with pytest.raises(ValueError, match="immutable"):
        version.save()

    version.refresh_from_db()
    assert version.data["title"] == "Vélo futé"


@pytest.mark.parametrize("count", [1, 3])
def test_judged_versions_runs_two_queries(count, django_assert_num_queries, participant):
    from tests.factories.submissions import SubmissionFactory

    submissions = [SubmissionFactory(complete=True, with_dataset=True) for _ in range(count)]
    for submission in submissions:
        services.submit_project(submission, by=participant)

    with django_assert_num_queries(2):
        versions = queries.judged_versions(Submission.objects.all())

    assert {v.submission_id for v in versions.values()} == {s.pk for s in submissions}


@pytest.mark.parametrize(
    ("url", "accepted"),
    [
        ("https://github.com/castors/velo-fute", True),
        ("https://gitlab.com/groupe/sous-groupe/projet", True),
        ("https://git.sr.ht/~castors/velo", True),
        ("https://codeberg.org/castors/velo.git", True),
        ("http://github.com/castors/velo-fute", False),
        ("https://github.com/castors", False),
        ("https://192.168.1.10/castors/velo", False),
        ("https://localhost/castors/velo", False),
        ("https://gitlab.internal/castors/velo", False),
    ],
)
def test_repository_url_must_be_a_public_forge_project(url, accepted):
    from submissions.forms import is_public_repository_url

    assert is_public_repository_url(url) is accepted


def _sheets(edition, count):
    from tests.factories.submissions import SubmissionFactory

    subs = [SubmissionFactory(team__edition=edition) for _ in range(count)]
    for sub in subs:
        sub.dataset_links.create(dataset=DatasetFactory(), position=0)
    return subs


@pytest.mark.parametrize("count", [1, 3])
def test_store_versions_costs_fixed_queries(db, django_assert_num_queries, count):
    from django.utils import timezone

    from submissions.models import Submission
    from submissions.services import NewVersion, store_versions
    from submissions.snapshots import snapshot_queryset
    from tests.factories.core import EditionFactory

    edition = EditionFactory()
    subs = _sheets(edition, count)
    queryset = snapshot_queryset(Submission.objects.filter(pk__in=[s.pk for s in subs]))
    now = timezone.now()
    with django_assert_num_queries(17):  # 4: the savepoints of two nested services
        versions = store_versions(NewVersion(submission=s, submitted_at=now) for s in queryset)
    assert [v.number for v in versions] == [1] * count
    assert all(v.data["datasets"][0]["ckan_id"] for v in versions)


def test_store_versions_refuses_unknown_keys(db):
    from django.utils import timezone

    from submissions.services import NewVersion, store_versions
    from tests.factories.core import EditionFactory

    [sub] = _sheets(EditionFactory(), 1)
    with pytest.raises(ValueError, match="not snapshot keys"):
        store_versions([NewVersion(submission=sub, submitted_at=timezone.now(), changes={"x": 1})])
    assert not sub.versions.exists()


def test_submit_decides_the_deadline_and_stamps_the_version_with_one_clock_reading(
    complete_sheet, participant, monkeypatch
):
    """The deadline passes between two readings of the clock: the version accepted must be
    stamped with the reading that accepted it, so it is the one the jury judges."""

    close = complete_sheet.edition.submissions_close
    readings = iter([close - dt.timedelta(microseconds=1)])
    later = close + dt.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: next(readings, later))

    version = services.submit_project(complete_sheet, by=participant)

    assert version.submitted_at < close
    assert queries.judged_versions([complete_sheet])[complete_sheet.pk].pk == version.pk


def test_submitting_an_unchanged_sheet_again_returns_its_version_and_mails_nobody(
    complete_sheet, participant, teammate, mailoutbox
):
    first = services.submit_project(complete_sheet, by=participant)
    sent = len(mailoutbox)

    again = services.submit_project(complete_sheet, by=teammate)

    assert again.pk == first.pk
    assert SubmissionVersion.objects.count() == 1
    assert len(mailoutbox) == sent


def test_the_report_the_card_and_the_submit_count_eligibility_alike(complete_sheet, participant):
    """One rule, one count (issue 13): the organizers' report, Mon espace's card and the
    submit read the same three counts, so they never disagree on a sheet."""
    from submissions.space import sheet_cards

    row = queries.eligibility_rows(complete_sheet.edition).get(pk=complete_sheet.team_id)
    [card] = [c for c in sheet_cards(participant, timezone.now()) if "sheet" in c.context]
    counts = queries.sheet_counts(complete_sheet)

    assert counts == {"dataset_count": 1, "member_count": 2, "technology_count": 2}
    assert {k: getattr(row, k) for k in counts} == counts
    assert {k: getattr(card.context["sheet"], k) for k in counts} == counts
    assert queries.eligibility_of(complete_sheet).is_eligible
    assert card.context["eligibility"].is_eligible
