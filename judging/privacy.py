"""The personal data of the jury (hackqc.privacy.registry): judge roles, reviews, conflicts,
invitations, pairwise comparisons and public votes.

Erasing a judge keeps their judge row and every review, score and comparison: the digests
of published results are computed from judge ids and values, so nothing published moves;
the judge is shown as "Judge withdrawn N" from then on.
"""

from django.utils.translation import gettext_lazy as _

from hackqc.privacy.erasure import erased_email
from hackqc.privacy.registry import (
    ERASE,
    KEEP,
    REPLACE,
    PersonalData,
    not_personal,
    references,
    register,
)

from .models import JudgeInvitation

JURY_AND_ORGANIZERS = _("the organizers of the edition (never the teams nor other judges)")


def _erase_invitations(user, erased):
    JudgeInvitation.objects.filter(email__iexact=user.email).update(
        email=erased_email(erased.number)
    )


def _retire_invitations(edition):
    for pk in JudgeInvitation.objects.filter(edition=edition).values_list("pk", flat=True):
        JudgeInvitation.objects.filter(pk=pk).update(email=erased_email(f"invitation-{pk}"))


register(
    PersonalData(
        model="judging.Judge",
        owner="user",
        title=_("Jury roles"),
        audience=_("The organizers of the edition; teams see your feedback but never your name."),
        context={"edition": "edition.name"},
        fields={
            "organisation": ERASE,
            "preferred_challenges": ERASE,
            "accepted_at": KEEP,
            "sponsor": KEEP,
        },
        edition="edition",
        kept_because=_("the sponsor names the prize the judge scored for, not the person"),
    )
)
register(
    PersonalData(
        model="judging.JudgeInvitation",
        owner="judge__user",
        title=_("Invitations to the jury"),
        audience=JURY_AND_ORGANIZERS,
        context={"edition": "edition.name"},
        fields={"email": REPLACE, "created_at": KEEP, "accepted_at": KEEP},
        erase=_erase_invitations,
        retire=_retire_invitations,
        edition="edition",
    )
)
register(
    PersonalData(
        model="judging.Review",
        owner="judge__user",
        title=_("Reviews"),
        audience=_(
            "Organizers; the team reads your feedback (without your name) once results are "
            "published; the private note only the organizers."
        ),
        context={"edition": "round.edition.name", "round": "round.name"},
        fields={
            "state": KEEP,
            "feedback": KEEP,
            "private_note": KEEP,
            "recusal_reason": ERASE,
            "submitted_at": KEEP,
            "updated_at": KEEP,
        },
        edition="round__edition",
        kept_because=_(
            "submitted reviews count in rankings and published results, which must not move"
        ),
    )
)
register(
    PersonalData(
        model="judging.Conflict",
        owner="judge__user",
        title=_("Conflicts of interest"),
        audience=JURY_AND_ORGANIZERS,
        context={"edition": "judge.edition.name", "team": "team.name"},
        fields={"organisation": KEEP, "kind": KEEP, "reason": ERASE, "created_at": KEEP},
        edition="judge__edition",
        kept_because=_("the organisation of a conflict decides which projects were assigned"),
    )
)
register(
    PersonalData(
        model="judging.AssignmentBlock",
        owner="judge__user",
        title=_("Assignments removed by an organizer"),
        audience=JURY_AND_ORGANIZERS,
        fields={"reason": ERASE, "created_at": KEEP},
        edition="round__edition",
    )
)
register(
    PersonalData(
        model="judging.Comparison",
        owner="judge__user",
        title=_("Pairwise comparisons"),
        audience=JURY_AND_ORGANIZERS,
        context={"winner": "winner", "loser": "loser"},
        fields={"at": KEEP},
        edition="round__edition",
        kept_because=_("comparisons count in rankings and published results"),
    )
)
register(
    PersonalData(
        model="judging.PublicVote",
        owner="user",
        title=_("Public votes"),
        audience=_("the organizers of the edition (the public sees only the counts)"),
        context={"edition": "edition.name", "project": "submission"},
        fields={
            "cast_at": KEEP,
            "changed_at": KEEP,
            "changes": KEEP,
            "late_account": KEEP,
            "email_domain": ERASE,
        },
        edition="edition",
        kept_because=_("votes count in the public vote's published result"),
    )
)

references("judging.JudgeInvitation", "invited_by")
references("judging.Conflict", "created_by", "lifted_by")
references("judging.AssignmentBlock", "created_by")
references("judging.ReviewChange", "changed_by")
references("judging.ReminderBatch", "requested_by")
references("judging.Finalist", "selected_by")
references("judging.OrganizerJob", "requested_by")
# A job's progress and outcome: steps, counts and the result's address, no person's data.
not_personal(
    "judging.OrganizerJob", "edition", "round", "kind", "scope", "state", "language", "step",
    "message", "details", "result_url",
)  # fmt: skip
references("judging.RoundReopening", "reopened_by")
references("judging.VoteWindow", "updated_by")
references("judging.PublicVote", "voided_by")

not_personal("judging.Judge", "user", "edition")
not_personal("judging.JudgeInvitation", "token", "sponsor", "judge", "edition")
not_personal("judging.Conflict", "lift_reason", "judge", "team")  # the organizer's words
not_personal("judging.AssignmentBlock", "judge")
not_personal("judging.Comparison", "judge")
not_personal("judging.PublicVote", "void_reason", "user")  # the organizer's words
not_personal("judging.Review", "judge", "version")
not_personal("judging.PublicVote", "voided_at")
not_personal("judging.JudgeInvitation", "mail_requested_at", "mailed_at", "revoked_at")
not_personal("judging.Conflict", "lifted_at")
# The review's own history: scores and feedback, the judge's work for the competition.
not_personal("judging.ReviewChange", "action", "old", "new")
not_personal("judging.Round", "name", "mode", "assignment_mode", "missing_policy", "method")
not_personal("judging.Round", "scope", "sponsor")
not_personal("judging.Criterion", "name", "description", "low_label", "high_label")
not_personal("judging.Finalist", "reason")
not_personal("judging.RoundReopening", "reason")
