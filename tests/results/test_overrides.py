"""Overrides as organizers meet them: the real rank and score of the chosen project, a swap
of two places in one step, a picker in rank order, and overrides kept over a recompute."""

import pytest
from django.urls import reverse

from judging.results import services
from judging.results.forms import OverrideForm
from submissions.models import Submission
from tests.results.test_views import client_for


def _awards(snapshot):
    return {a.place: a for a in snapshot.awards.filter(place__isnull=False).select_related("prize")}


def _summary(snapshot):
    return [
        (a.place, a.submission_id, a.rank, a.score, a.override_reason)
        for a in snapshot.awards.filter(place__isnull=False).order_by("place")
    ]


@pytest.fixture
def three(make_field):
    return make_field([9, 7, 5])


def test_override_records_the_chosen_projects_rank_and_score(three, edition, organizer):
    three.prize(places=1)
    snapshot = services.compute_results(edition, by=organizer)
    s1, _s2, s3 = three.submissions

    services.override_award(_awards(snapshot)[1], by=organizer, submission=s3, reason="Jury")

    assert _summary(snapshot) == [(1, s3.pk, 3, 5.0, "Jury")]
    page = client_for(organizer).get(
        reverse("results:snapshot", kwargs={"slug": edition.slug, "pk": snapshot.pk})
    )
    row = page.content.decode().split(s3.title)[1].split("</tr>")[0]
    assert "<td>3</td>" in row
    assert "5.0000" in row or "5,0000" in row
    assert s1.title in page.content.decode()  # the computed winner, named beside


def test_swap_two_places_in_one_step_with_one_reason(three, edition, organizer):
    three.prize(places=2)
    snapshot = services.compute_results(edition, by=organizer)
    s1, s2, _s3 = three.submissions
    awards = _awards(snapshot)

    response = client_for(organizer).post(
        reverse("results:swap", kwargs={"slug": edition.slug, "pk": awards[1].pk}),
        {"other": awards[2].pk, "reason": "Démonstration ratée"},
    )

    assert response.status_code == 302
    assert _summary(snapshot) == [
        (1, s2.pk, 2, 7.0, "Démonstration ratée"),
        (2, s1.pk, 1, 9.0, "Démonstration ratée"),
    ]


def test_swap_needs_a_reason_and_changes_nothing_without(three, edition, organizer):
    three.prize(places=2)
    snapshot = services.compute_results(edition, by=organizer)
    awards = _awards(snapshot)
    before = _summary(snapshot)

    response = client_for(organizer).post(
        reverse("results:swap", kwargs={"slug": edition.slug, "pk": awards[1].pk}),
        {"other": awards[2].pk, "reason": ""},
    )

    assert response.status_code == 200
    assert response.context["swap_form"].errors["reason"]
    assert _summary(snapshot) == before


def test_override_picker_is_in_rank_order_with_scores(three, edition, organizer):
    three.prize(places=1)
    snapshot = services.compute_results(edition, by=organizer)
    s1, s2, s3 = three.submissions
    unranked = Submission.objects.create(
        edition=edition, team=type(s1.team).objects.create(edition=edition, name="Zèbre"),
        title="AAA pas évalué", state=Submission.State.SUBMITTED,
    )  # fmt: skip

    form = OverrideForm(award=_awards(snapshot)[1])

    choices = form.fields["submission"].choices
    assert [pk for pk, _label in choices] == ["", s1.pk, s2.pk, s3.pk, unranked.pk]
    assert choices[1][1].startswith(f"1. {s1.title}")
    assert "9.000" in choices[1][1] or "9,000" in choices[1][1]


def test_overrides_are_carried_over_a_recompute(three, edition, organizer):
    three.prize(places=2)
    first = services.compute_results(edition, by=organizer)
    s1, s2, _s3 = three.submissions
    awards = _awards(first)
    services.swap_places(awards[1], awards[2], by=organizer, reason="Vidéo manquante")

    second = services.compute_results(edition, by=organizer)

    assert [(p, s, r) for p, s, _rank, _score, r in _summary(second)] == [
        (1, s2.pk, "Vidéo manquante"),
        (2, s1.pk, "Vidéo manquante"),
    ]
    assert [n["carried"] for n in second.carried_overrides] == [True, True]


def test_an_override_no_longer_eligible_is_dropped_and_listed(three, edition, organizer):
    three.prize(places=1)
    first = services.compute_results(edition, by=organizer)
    s1, s2, _s3 = three.submissions
    services.override_award(_awards(first)[1], by=organizer, submission=s2, reason="Coup de cœur")
    Submission.objects.filter(pk=s2.pk).update(state=Submission.State.DISQUALIFIED)

    second = services.compute_results(edition, by=organizer)

    assert _summary(second)[0][:2] == (1, s1.pk)
    [note] = second.carried_overrides
    assert (note["title"], note["carried"]) == (s2.title, False)
    assert note["why"]
    page = client_for(organizer).get(
        reverse("results:snapshot", kwargs={"slug": edition.slug, "pk": second.pk})
    )
    assert "dropped" in page.content.decode()


def test_swap_page_refused_to_another_editions_organizer(
    three, edition, organizer, other_organizer
):
    three.prize(places=2)
    snapshot = services.compute_results(edition, by=organizer)
    awards = _awards(snapshot)
    url = reverse("results:swap", kwargs={"slug": edition.slug, "pk": awards[1].pk})
    response = client_for(other_organizer).post(url, {"other": awards[2].pk, "reason": "x"})
    assert response.status_code in (403, 404)
    assert _summary(snapshot)[0][4] == ""
