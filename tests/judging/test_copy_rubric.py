"""Organizers copy a round's rubric from another round they run."""

import pytest
from django.urls import reverse

from hackqc.exceptions import HackQCError
from judging import services
from tests.factories.core import EditionFactory, OrganizerRoleFactory
from tests.factories.judging import CriterionFactory, RoundFactory

from .test_views_judge import _post_review


@pytest.fixture
def final_round(edition):
    final = RoundFactory(edition=edition, number=2, name="Finale")
    CriterionFactory(round=final, name="Ancien", order=1)
    return final


def _rubric(round_):
    return list(
        round_.criteria.order_by("order").values_list("name", "weight", "is_tiebreak", "max_value")
    )


def test_copy_rubric_replaces_the_criteria(client, round_, final_round, organizer):
    client.force_login(organizer)
    page = client.get(reverse("judging:organize_round", args=[round_.edition.slug, 2]))
    assert round_ in page.context["copy_rubric_form"].fields["source"].queryset

    client.post(
        reverse("judging:rubric_copy", args=[round_.edition.slug, 2]), {"source": round_.pk}
    )

    assert _rubric(final_round) == _rubric(round_)
    assert [n for n, *_ in _rubric(final_round)] == ["Innovation", "Utilité"]


def test_copy_rubric_from_a_round_of_an_edition_the_organizer_does_not_run_is_refused(
    client, round_, final_round, organizer
):
    foreign = RoundFactory(edition=EditionFactory(), number=1)
    CriterionFactory(round=foreign, name="Étranger")
    client.force_login(organizer)

    client.post(
        reverse("judging:rubric_copy", args=[round_.edition.slug, 2]), {"source": foreign.pk}
    )

    assert [n for n, *_ in _rubric(final_round)] == ["Ancien"]


def test_copy_rubric_from_another_edition_the_organizer_runs(client, final_round, organizer):
    past = EditionFactory()
    OrganizerRoleFactory(edition=past, user=organizer)
    source = RoundFactory(edition=past, number=1)
    CriterionFactory(round=source, name="Utilité sociale", weight=3)
    client.force_login(organizer)

    client.post(
        reverse("judging:rubric_copy", args=[final_round.edition.slug, 2]), {"source": source.pk}
    )

    assert [(n, w) for n, w, *_ in _rubric(final_round)] == [("Utilité sociale", 3.0)]


def test_copy_rubric_refused_once_reviews_started(
    client, round_, judge_role, assigned, final_round, organizer
):
    client.force_login(judge_role.user)
    _post_review(client, round_, assigned.submission, [5, 5])

    with pytest.raises(HackQCError):
        services.copy_rubric(round_, source=final_round, by=organizer)

    assert [n for n, *_ in _rubric(round_)] == ["Innovation", "Utilité"]


def test_copy_rubric_refused_to_others(client, round_, final_round, participant):
    client.force_login(participant)

    response = client.post(
        reverse("judging:rubric_copy", args=[round_.edition.slug, 2]), {"source": round_.pk}
    )

    assert response.status_code == 403
    assert [n for n, *_ in _rubric(final_round)] == ["Ancien"]


def test_copy_rubric_into_a_closed_round_is_refused(round_, final_round, organizer):
    final_round.closed_at = final_round.closes_at
    final_round.save()

    with pytest.raises(HackQCError):
        services.copy_rubric(final_round, source=round_, by=organizer)

    assert [n for n, *_ in _rubric(final_round)] == ["Ancien"]


def test_copy_rubric_refused_once_a_draft_review_exists(
    client, round_, judge_role, assigned, final_round, organizer
):
    # A draft's scores name the old criteria: replacing them would lose the judge's work.
    client.force_login(judge_role.user)
    _post_review(client, round_, assigned.submission, [5, None])

    with pytest.raises(HackQCError):
        services.copy_rubric(round_, source=final_round, by=organizer)

    assert [n for n, *_ in _rubric(round_)] == ["Innovation", "Utilité"]


def test_copy_rubric_from_the_round_itself_or_an_empty_round_is_refused(
    round_, final_round, organizer
):
    empty = RoundFactory(edition=round_.edition, number=3)

    for source in (final_round, empty):
        with pytest.raises(HackQCError):
            services.copy_rubric(final_round, source=source, by=organizer)

    assert [n for n, *_ in _rubric(final_round)] == ["Ancien"]


def test_copy_rubric_is_logged_with_its_source(round_, final_round, organizer):
    from hackqc.models import AuditEntry

    services.copy_rubric(final_round, source=round_, by=organizer)

    entry = AuditEntry.objects.get(action="round.rubric_changed")
    assert (entry.actor, entry.target_id) == (organizer, str(final_round.pk))
    assert entry.details == {
        "number": 2,
        "change": "copied",
        "source_edition": round_.edition.slug,
        "source_round": 1,
        "criteria": 2,
    }
