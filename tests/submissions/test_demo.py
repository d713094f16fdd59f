from django.core.management import call_command

from hackqc import demo
from submissions.models import DatasetLink, Submission, SubmissionVersion


def _snapshot():
    return (
        sorted(Submission.objects.values_list("pk", "state", "title", "lock_version")),
        sorted(SubmissionVersion.objects.values_list("pk", "number", "submitted_at")),
        sorted(DatasetLink.objects.values_list("pk", "submission_id", "dataset_id")),
    )


def test_seed_demo_twice_changes_nothing(db):
    call_command("seed_demo", stdout=None)
    first = _snapshot()

    call_command("seed_demo")

    assert _snapshot() == first
    editions = demo.editions()
    past, judged, current = editions["past"], editions["judging"], editions["current"]
    assert Submission.objects.filter(edition=past, state="submitted").count() == 5
    assert Submission.objects.filter(edition=past, state="draft").count() == 1
    assert Submission.objects.filter(edition=judged, state="submitted").count() == 6
    assert Submission.objects.filter(edition=judged, state="draft").count() == 1
    assert Submission.objects.filter(edition=current, state="draft").exists()
    assert SubmissionVersion.objects.count() == 22
    assert not SubmissionVersion.objects.filter(submitted_at__gte=judged.submissions_close).exists()


def test_demo_gallery_and_project_pages_render(client, db):
    from django.urls import reverse

    from submissions.queries import judged_version

    call_command("seed_demo")
    past = demo.editions()["past"]
    submitted = Submission.objects.filter(edition=past, state="submitted")

    response = client.get(reverse("submissions:gallery", args=[past.slug]))

    assert len(response.context["cards"]) == submitted.count()
    project = submitted.first()
    assert judged_version(project).number == 2
    page = client.get(reverse("submissions:project", args=[past.slug, project.team_id]))
    assert project.title in page.content.decode()
