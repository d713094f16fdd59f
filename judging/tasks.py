"""Background jobs of the jury: invitation and reminder mails."""

from celery import shared_task
from django.db import IntegrityError, transaction
from django.urls import reverse

from hackqc.mail import send_templated_mail

from .models import JudgeInvitation, ReminderBatch, ReminderSent, Round
from .queries import pending_judges


@shared_task(name="judging.send_judge_invitation")
def task_send_judge_invitation(*, invitation_id):
    """Mail the invitation link; quiet if the invitation is gone or no longer pending."""
    invitation = (
        JudgeInvitation.objects.select_related("edition", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not invitation.is_pending:
        return
    path = reverse("judging:invitation", kwargs={"token": invitation.token})
    send_templated_mail(
        "judging/mail/invitation",
        to=invitation.email,
        context={"invitation": invitation, "edition": invitation.edition, "path": path},
    )


@shared_task(name="judging.remind_judges")
def task_remind_judges(*, round_id, reminder_id):
    """Mail each judge with pending reviews in the round, once per reminder click.

    The ReminderSent row and the mail go together in one transaction per judge: a second
    run of the same task (acks_late) finds the row and skips that judge.
    """
    batch = ReminderBatch.objects.filter(pk=reminder_id, round_id=round_id).first()
    round = Round.objects.select_related("edition").filter(pk=round_id).first()
    if batch is None or round is None or round.closed_at is not None:
        return
    pending = pending_judges(round)
    from .models import Judge

    path = reverse("judging:round", kwargs={"slug": round.edition.slug, "number": round.number})
    for judge in Judge.objects.filter(pk__in=list(pending)).select_related("user"):
        try:
            with transaction.atomic():
                _sent, created = ReminderSent.objects.get_or_create(
                    batch=batch, judge=judge, defaults={"pending": pending[judge.pk]}
                )
                if created:
                    send_templated_mail(
                        "judging/mail/reminder",
                        to=judge.user,
                        context={
                            "round": round,
                            "edition": round.edition,
                            "pending": pending[judge.pk],
                            "path": path,
                        },
                    )
        except IntegrityError:  # a concurrent run sent it
            continue
