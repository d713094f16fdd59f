import json

import pytest
from django.core.management import CommandError, call_command

from hackqc import demo as core_demo
from judging import demo
from judging.generate import generate_edition
from judging.models import (
    Assignment,
    Conflict,
    Criterion,
    Finalist,
    Judge,
    JudgeInvitation,
    Review,
    ReviewChange,
    Round,
    Score,
)
from judging.ranking import CriterionSpec, ReviewInput, rank_all
from judging.round_rankings import round_rankings
from tests.factories.submissions import SubmissionFactory, SubmissionVersionFactory
from tests.factories.teams import TeamFactory

MODELS = [
    Judge,
    Round,
    Criterion,
    Assignment,
    Review,
    Score,
    ReviewChange,
    Conflict,
    Finalist,
    JudgeInvitation,
]


def _counts():
    return {m.__name__: m.objects.count() for m in MODELS}


@pytest.mark.django_db
def test_seed_demo_twice_changes_nothing():
    call_command("seed_demo")
    first = _counts()
    call_command("seed_demo")
    assert _counts() == first
    assert first["Judge"] == 12
    editions = core_demo.editions()
    past_rounds = Round.objects.filter(edition=editions["past"])
    assert [(r.name, r.closed_at is not None) for r in past_rounds] == [
        ("Ronde préliminaire", True),
        ("Finale à Rimouski", True),
    ]
    assert list(
        Round.objects.filter(edition=editions["judging"]).values_list("name", "closed_at")
    ) == [("Ronde préliminaire", None)]


@pytest.mark.django_db
def test_demo_with_submissions_has_every_review_state():
    context = core_demo.seed()
    edition = context["past_edition"]
    subs = []
    for i in range(6):
        sub = SubmissionFactory(
            team=TeamFactory(edition=edition), state="submitted", title=f"Démo {i}"
        )
        SubmissionVersionFactory(submission=sub, number=1, submitted_at=edition.submissions_close)
        subs.append(sub)
    context["submissions_past"] = subs

    demo.seed(context)
    first = _counts()
    demo.seed(context)

    assert _counts() == first
    prelim = Round.objects.get(edition=edition, number=1)
    assert set(Review.objects.filter(round=prelim).values_list("state", flat=True)) == {
        "draft",
        "submitted",
        "recused",
    }
    assert Review.objects.filter(round__number=2, state="submitted").count() == 12
    texts = list(Review.objects.exclude(feedback="").values_list("feedback", flat=True))
    assert len(set(texts)) == len(texts)
    rankings = round_rankings(prelim)
    assert len(rankings["bias"].entries) == 6


@pytest.fixture
def generated(db):
    return generate_edition(submissions=12, judges=6, k=3, seed=5)


def test_generate_edition_is_complete_and_deterministic(generated):
    round_ = generated.round
    assert Review.objects.filter(round=round_, state="submitted").count() == 36
    assert Score.objects.filter(review__round=round_).count() == 36 * 6
    assert generated.max_load == generated.lower_bound == 6
    first = [(e.submission, round(e.score, 9)) for e in round_rankings(round_)["bias"].entries]
    scores = sorted(
        Score.objects.values_list(
            "review__judge__user__email", "review__submission__title", "criterion__name", "value"
        )
    )

    other = generate_edition(submissions=12, judges=6, k=3, seed=5, slug="again")

    again = sorted(
        (email.replace("again-", "generated-5-"), title, name, value)
        for email, title, name, value in Score.objects.filter(
            review__round=other.round
        ).values_list(
            "review__judge__user__email", "review__submission__title", "criterion__name", "value"
        )
    )
    original = [row for row in scores if row[0].startswith("generated-5-")]
    assert again == original
    assert len(first) == 12


def test_generate_edition_harsh_judges_have_negative_bias(db):
    gen = generate_edition(submissions=60, judges=20, k=3, seed=11)
    bias = round_rankings(gen.round)["bias"].judge_bias
    assert all(bias[j] < -1 for j in gen.harsh_judges)
    assert all(bias[j] > 0.5 for j in gen.lenient_judges)


def test_generate_edition_command_refuses_existing_slug(generated, capsys):
    with pytest.raises(CommandError):
        call_command("generate_edition", "--seed", "5", "--submissions", "2", "--judges", "2")


def test_generate_edition_command(db, capsys):
    call_command(
        "generate_edition",
        "--submissions",
        "4",
        "--judges",
        "3",
        "--reviews-per-submission",
        "2",
        "--seed",
        "3",
    )
    assert "max load 3 (lower bound 3)" in capsys.readouterr().out


def test_export_round_command_json_recomputes(generated, tmp_path):
    target = tmp_path / "round.json"
    call_command(
        "export_round", generated.edition.slug, "1", "--format", "json", "--output", str(target)
    )

    data = json.loads(target.read_text())
    assert (data["edition"], data["round"], data["method"]) == (generated.edition.slug, 1, "bias")
    assert set(data["criteria"][0]) == {"id", "name", "weight", "min", "max", "tiebreak"}
    assert set(data["scores"][0]) == {"judge", "submission", "criterion", "value", "submitted_at"}
    # Recompute independently from the export alone.
    criteria = [
        CriterionSpec(
            id=c["id"],
            weight=c["weight"],
            min_value=c["min"],
            max_value=c["max"],
            is_tiebreak=c["tiebreak"],
        )
        for c in data["criteria"]
    ]
    values: dict = {}
    for s in data["scores"]:
        values.setdefault((s["judge"], s["submission"]), {})[s["criterion"]] = s["value"]
    reviews = [ReviewInput(judge=j, submission=s, values=v) for (j, s), v in values.items()]
    again = rank_all(reviews, criteria)
    for method in ("mean", "zscore", "bias"):
        assert [(e.submission, e.rank) for e in again[method].entries] == [
            (e["submission"], e["rank"]) for e in data["rankings"][method]
        ]


def test_export_round_command_csv_stdout(generated, capsys):
    call_command("export_round", generated.edition.slug, "1", "--format", "csv")
    lines = capsys.readouterr().out.splitlines()
    kinds = {line.split(",")[0] for line in lines[1:]}
    assert kinds == {"criterion", "score", "ranking"}
    assert sum(line.startswith("score,") for line in lines) == 36 * 6
    assert sum(line.startswith("ranking,") for line in lines) == 36


def test_export_round_command_unknown_round(db):
    with pytest.raises(CommandError):
        call_command("export_round", "nope", "1")


def test_generated_versions_are_written_by_the_one_snapshot_writer(generated):
    from judging.results.exports import showcase_payload
    from submissions.models import Submission
    from submissions.snapshots import build_snapshot

    submission = Submission.objects.filter(edition=generated.edition).order_by("pk").first()
    version = submission.versions.get()
    assert version.data == build_snapshot(submission)
    payload = showcase_payload(submission, project_url="https://hackqc.example/p/1")
    assert payload["package_ids"] == [
        str(link.dataset.ckan_id) for link in submission.dataset_links.order_by("position")
    ]


def test_generated_edition_is_hidden_and_uses_its_own_portal(generated, client):
    from hackqc.models import Edition
    from submissions.catalogue.models import Dataset
    from submissions.catalogue.queries import search_datasets, top_reused_datasets

    edition = generated.edition
    portals = set(Dataset.objects.filter(name__startswith=edition.slug).values_list(
        "portal__name", "portal__is_synthetic"))  # fmt: skip
    assert portals == {(f"synthetic-{edition.slug}", True)}
    assert edition.is_synthetic
    assert list(Edition.objects.listed()) == []
    assert not search_datasets().filter(name__startswith=edition.slug).exists()
    assert top_reused_datasets() == []
    for url in ["/fr/", "/fr/results/", "/fr/projects/", "/fr/datasets/", "/open-data/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert edition.name not in response.content.decode(), url
        assert edition.slug not in response.content.decode(), url
    for url in [
        f"/fr/editions/{edition.slug}/",
        f"/fr/results/{edition.slug}/",
        f"/open-data/{edition.slug}/submissions.json",
        f"/open-data/{edition.slug}/datasets.json",
    ]:
        assert client.get(url).status_code == 404, url


def test_delete_synthetic_edition_removes_everything_it_made(generated, capsys):
    from django.contrib.auth import get_user_model

    from hackqc.models import Edition
    from submissions.catalogue.models import Dataset, Portal

    slug = generated.edition.slug
    call_command("delete_synthetic_edition", slug)

    assert not Edition.objects.filter(slug=slug).exists()
    assert not Portal.objects.filter(name=f"synthetic-{slug}").exists()
    assert not Dataset.objects.filter(name__startswith=slug).exists()
    assert not get_user_model().objects.filter(email__startswith=f"{slug}-").exists()
    assert "Deleted synthetic edition" in capsys.readouterr().out


def test_delete_synthetic_edition_refuses_a_real_edition(db):
    from tests.factories.core import EditionFactory

    edition = EditionFactory()
    with pytest.raises(CommandError):
        call_command("delete_synthetic_edition", edition.slug)
    assert type(edition).objects.filter(pk=edition.pk).exists()
