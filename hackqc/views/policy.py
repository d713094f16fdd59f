"""The privacy policy (Québec's Law 25): who is in charge, what is collected and why, who
sees it, how long it is kept, and how to exercise one's rights."""

from django.conf import settings
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

# The date this text last changed; shown on the page so people can tell.
POLICY_UPDATED = "2026-12-04"


def collected_data() -> list[dict]:
    """What the site holds, why, and who sees it: one row per kind of information."""
    return [
        {
            "what": _("Account: e-mail address, display name, password (stored hashed), language"),
            "why": _("Signing in, writing to you, showing the site in your language."),
            "who": _("You; the organizers of the editions you register for."),
        },
        {
            "what": _(
                "Registration to an edition: role, organisation or school, participant "
                "type, skills, short bio, whether you look for a team, the version of the "
                "rules you accepted and when"
            ),
            "why": _("Running the competition: forming teams, checking eligibility."),
            "who": _(
                "The edition's organizers. Your name, skills and bio are shown to other "
                "participants only if you consent to it, and you may withdraw that consent "
                "at any time."
            ),
        },
        {
            "what": _("Team membership, invitations and requests to join"),
            "why": _("Forming teams and letting them work together."),
            "who": _("Your teammates and the organizers; the team's name is public."),
        },
        {
            "what": _("Project sheet: texts, links, logo and screenshots written by the team"),
            "why": _("Judging the projects, then showing them in the public gallery."),
            "who": _(
                "Your team, the organizers and the judges assigned to it; the public and "
                "the open data once the gallery opens (members' names only with their "
                "consent). Images of a project that is not public are served only to them."
            ),
        },
        {
            "what": _("Jury: your reviews, scores, comments and declared conflicts of interest"),
            "why": _("Ranking the projects fairly and explaining the results."),
            "who": _(
                "The organizers. Teams read the feedback of published rounds without the "
                "judge's name; the open data gives rankings, never a judge's name or scores."
            ),
        },
        {
            "what": _("Public vote: one vote per account"),
            "why": _("Counting the people's choice prize, one person one vote."),
            "who": _("Nobody sees who voted for what; the organizers see the totals."),
        },
        {
            "what": _("Messages sent to you, and a log of organizers' actions"),
            "why": _("Resending a message that failed; accountability of the organizers."),
            "who": _("The organizers of the edition and the site's administrators."),
        },
        {
            "what": _("Technical data: session and language cookies, your IP address"),
            "why": _(
                "Keeping you signed in and protecting accounts (limits on failed sign-ins). "
                "No advertising or tracking cookie is used."
            ),
            "who": _(
                "Nobody: the address is kept a few minutes in the cache for these limits, "
                "never written to the database."
            ),
        },
    ]


class PrivacyPolicyView(TemplateView):
    template_name = "hackqc/privacy_policy.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            officer={
                "name": settings.PRIVACY_OFFICER_NAME,
                "title": settings.PRIVACY_OFFICER_TITLE
                or _("Person in charge of the protection of personal information"),
                "email": settings.PRIVACY_OFFICER_EMAIL,
                "address": settings.PRIVACY_OFFICER_ADDRESS,
            },
            organisation=settings.PRIVACY_ORGANISATION,
            retention_years=settings.PRIVACY_RETENTION_YEARS,
            collected=collected_data(),
            updated=POLICY_UPDATED,
            **kwargs,
        )
