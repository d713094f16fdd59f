"""The jury's mails, promised through the outbox (see `hackqc.outbox`)."""

from django.urls import reverse

from hackqc.outbox import queue_mail


def mail_judge_invitation(invitation):
    """The invitation link; each request of the organizers (a new `mail_requested_at`) is a
    new mail, a repeat of the same request is not."""
    requested = int(invitation.mail_requested_at.timestamp() * 1000)
    return queue_mail(
        "judging/mail/invitation",
        to=invitation.email,
        key=f"judging.invitation:{invitation.pk}:{requested}",
        context={
            "invitation": invitation,
            "edition": invitation.edition,
            "path": reverse("judging:invitation", kwargs={"token": invitation.token}),
        },
    )


def mail_judge_reminder(batch, *, judge, pending):
    """One reminder click, one mail per late judge."""
    round = batch.round
    return queue_mail(
        "judging/mail/reminder",
        to=judge.user,
        key=f"judging.reminder:{batch.pk}:{judge.pk}",
        context={
            "round": round,
            "edition": round.edition,
            "pending": pending,
            "path": reverse(
                "judging:round", kwargs={"slug": round.edition.slug, "number": round.number}
            ),
        },
    )


def mail_judge_assigned(round, *, judge, assignments):
    """New projects to judge: the link and the round's dates. One mail per judge and batch
    of new assignments (the key names the batch's first assignment)."""
    first = min(a.pk for a in assignments)
    return queue_mail(
        "judging/mail/assigned",
        to=judge.user,
        key=f"judging.assigned:{round.pk}:{judge.pk}:{first}",
        context={
            "round": round,
            "edition": round.edition,
            "count": len(assignments),
            "path": reverse(
                "judging:round", kwargs={"slug": round.edition.slug, "number": round.number}
            ),
        },
    )
