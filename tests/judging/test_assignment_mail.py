"""A judge is mailed when assigned: the link to their projects and the round's dates."""

from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.timezone import localtime

from hackqc.models import OutgoingMail
from hackqc.tasks import task_send_mail
from judging import services
from tests.factories.submissions import SubmissionFactory


def test_pinning_an_assignment_mails_the_judge_once(
    round_, judge_role, submitted, organizer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.pin_assignment(round_, judge=judge_role, submission=submitted, by=organizer)
    with django_capture_on_commit_callbacks(execute=True):  # pinned again: nothing new
        services.pin_assignment(round_, judge=judge_role, submission=submitted, by=organizer)

    [mail] = mailoutbox
    assert mail.to == [judge_role.user.email]
    assert reverse("judging:round", args=[round_.edition.slug, round_.number]) in mail.body
    with translation.override("fr"):
        closes = date_format(localtime(round_.closes_at), "DATETIME_FORMAT")
    assert closes in mail.body
    task_send_mail(mail_id=OutgoingMail.objects.get().pk)  # delivered twice: one mail
    assert len(mailoutbox) == 1


def test_run_assignment_mails_each_judge_one_mail_with_their_count(
    round_, judge_role, submitted, organizer, mailoutbox, django_capture_on_commit_callbacks
):
    round_.judges_per_submission = 1
    round_.save()

    with django_capture_on_commit_callbacks(execute=True):
        services.run_assignment(round_, by=organizer)
    with django_capture_on_commit_callbacks(execute=True):  # run again: nothing new
        services.run_assignment(round_, by=organizer)

    assert [m.to for m in mailoutbox] == [[judge_role.user.email]]


def test_a_later_assignment_is_a_new_mail(
    round_, judge_role, submitted, edition, organizer, mailoutbox,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    later = SubmissionFactory(team__edition=edition)
    with django_capture_on_commit_callbacks(execute=True):
        services.pin_assignment(round_, judge=judge_role, submission=submitted, by=organizer)
        services.pin_assignment(round_, judge=judge_role, submission=later, by=organizer)

    assert len(mailoutbox) == 2
