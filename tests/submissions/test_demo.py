from django.core.management import call_command

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
    assert Submission.objects.filter(edition__slug="hackqc-2026", state="submitted").count() == 5
    assert Submission.objects.filter(edition__slug="hackqc-2026", state="draft").count() == 1
    assert Submission.objects.filter(edition__slug="hackqc-2027", state="draft").exists()
    assert SubmissionVersion.objects.count() == 10


def test_demo_gallery_and_project_pages_render(client, db):
    from django.urls import reverse

    from submissions.queries import judged_version

    call_command("seed_demo")
    submitted = Submission.objects.filter(edition__slug="hackqc-2026", state="submitted")

    response = client.get(reverse("submissions:gallery", args=["hackqc-2026"]))

    assert len(response.context["cards"]) == submitted.count()
    project = submitted.first()
    assert judged_version(project).number == 2
    page = client.get(reverse("submissions:project", args=["hackqc-2026", project.team_id]))
    assert project.title in page.content.decode()
