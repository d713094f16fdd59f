"""A judge is mailed when assigned: the link to their projects and the round's dates."""

from django.urls import reverse
from django.utils import translation

from judging import services
from judging.models import Assignment
from judging.tasks import task_notify_assignments
from tests.factories.judging import AssignmentFactory


def test_pinning_an_assignment_mails_the_judge_once(
    round_, judge_role, submitted, organizer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.pin_assignment(round_, judge=judge_role, submission=submitted, by=organizer)

    [mail] = mailoutbox
    assert mail.to == [judge_role.user.email]
    path = reverse("judging:round", args=[round_.edition.slug, round_.number])
    assert path in mail.body
    with translation.override(judge_role.user.preferred_language or "fr"):
        from django.utils.formats import date_format
        from django.utils.timezone import localtime

        assert date_format(localtime(round_.closes_at), "DATETIME_FORMAT") in mail.body
    assert Assignment.objects.get().notified_at is not None

    task_notify_assignments(round_id=round_.pk)  # a second run (acks_late) sends nothing
    assert len(mailoutbox) == 1


def test_run_assignment_mails_each_judge_one_mail_with_their_count(
    round_, judge_role, submitted, other_submitted, organizer, mailoutbox,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    round_.judges_per_submission = 1
    round_.save()

    with django_capture_on_commit_callbacks(execute=True):
        services.run_assignment(round_, by=organizer)

    assigned = Assignment.objects.filter(judge=judge_role).count()
    assert assigned >= 1
    assert [m.to for m in mailoutbox] == [[judge_role.user.email]]


def test_assignments_already_told_are_not_mailed_again(round_, judge_role, submitted, mailoutbox):
    from django.utils import timezone

    AssignmentFactory(
        round=round_, judge=judge_role, submission=submitted, notified_at=timezone.now()
    )

    task_notify_assignments(round_id=round_.pk)

    assert mailoutbox == []
