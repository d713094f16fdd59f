"""The submissions app's mails, promised through the outbox (see `hackqc.outbox`)."""

from hackqc.outbox import queue_mail


def mail_submitted(version, *, members):
    """To each member: version N was received. Keyed by version and person."""
    submission = version.submission
    for user in members:
        queue_mail(
            "submissions/mail/submitted",
            to=user,
            key=f"submissions.submitted:{version.pk}:{user.pk}",
            context={
                "version": version,
                "submission": submission,
                "team": submission.team,
                "edition": submission.edition,
            },
        )


def mail_deadline_reminder(team, *, kind, members):
    """To each member of a team with nothing submitted, once per reminder kind."""
    for user in members:
        queue_mail(
            "submissions/mail/reminder",
            to=user,
            key=f"submissions.reminder:{team.pk}:{kind}:{user.pk}",
            context={"team": team, "edition": team.edition, "kind": kind},
        )
