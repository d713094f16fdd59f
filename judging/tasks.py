"""Background jobs of the jury: invitation and reminder mails."""

from celery import shared_task
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from hackqc.mail import send_templated_mail

from .models import JudgeInvitation, ReminderBatch, ReminderSent, Round
from .queries import pending_judges


@shared_task(name="judging.send_judge_invitation")
@transaction.atomic
def task_send_judge_invitation(*, invitation_id):
    """Mail the invitation link once per request (a second run of the task sends nothing);
    quiet if the invitation is gone or no longer pending."""
    invitation = (
        JudgeInvitation.objects.select_for_update(of=("self",))
        .select_related("edition")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not invitation.is_pending:
        return
    if invitation.mailed_at is not None and invitation.mailed_at >= invitation.mail_requested_at:
        return
    path = reverse("judging:invitation", kwargs={"token": invitation.token})
    send_templated_mail(
        "judging/mail/invitation",
        to=invitation.email,
        context={"invitation": invitation, "edition": invitation.edition, "path": path},
    )
    JudgeInvitation.objects.filter(pk=invitation.pk).update(mailed_at=timezone.now())


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


@shared_task(name="judging.notify_assignments")
def task_notify_assignments(*, round_id):
    """Mail each judge of the round about assignments not yet told (link and the round's
    dates), one mail per judge. The rows are locked and marked in the mail's transaction: a
    second run finds nothing left to tell."""
    from .models import Assignment, Judge

    round = Round.objects.select_related("edition").filter(pk=round_id).first()
    if round is None or round.closed_at is not None:
        return
    path = reverse("judging:round", kwargs={"slug": round.edition.slug, "number": round.number})
    judge_ids = set(
        Assignment.objects.filter(round=round, notified_at=None).values_list("judge_id", flat=True)
    )
    for judge in Judge.objects.filter(pk__in=judge_ids).select_related("user"):
        with transaction.atomic():
            fresh = list(
                Assignment.objects.select_for_update()
                .filter(round=round, judge=judge, notified_at=None)
                .values_list("pk", flat=True)
            )
            if not fresh:
                continue
            send_templated_mail(
                "judging/mail/assigned",
                to=judge.user,
                context={
                    "round": round,
                    "edition": round.edition,
                    "count": len(fresh),
                    "path": path,
                },
            )
            Assignment.objects.filter(pk__in=fresh).update(notified_at=timezone.now())
