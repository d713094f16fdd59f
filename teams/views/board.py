"""The team board, a team's page, and creating or joining a team."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from hackqc.exceptions import HackQCError
from hackqc.form_errors import show_refusal
from hackqc.models import Edition
from hackqc.pagecache import Page, lazy
from hackqc.permissions import is_organizer
from hackqc.phases import are_teams_open

from .. import queries, services
from ..forms import JoinCodeForm, JoinRequestForm, TeamForm
from ..models import JoinRequest, Registration
from ..permissions import get_team_for_viewer, membership_of, registration_of
from ._helpers import get_edition, size_note

PAGE_SIZE = 20
# What the board shows: teams, registrations and skills (teams), the people's names and the
# edition's challenges (hackqc).
BOARD_AREAS = ("teams", "hackqc")


def current_board(request):
    """The nav bar's link: the team board of the edition the home page features."""
    edition = Edition.objects.current()
    if edition is None:
        return redirect("home")
    return redirect("teams:board", slug=edition.slug)


class EditionTeamsMixin(LoginRequiredMixin):
    """Loads the edition; people not registered are sent to the registration form."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.edition = get_edition(request.user, kwargs["slug"])
        self.registration = registration_of(request.user, self.edition)
        # The organizer check only for those not registered: one query less per visit.
        if self.registration is None and not is_organizer(request.user, self.edition):
            messages.info(request, _("Register for the edition to see its teams."))
            return redirect("teams:register", slug=self.edition.slug)
        return super().dispatch(request, *args, **kwargs)


class BoardView(EditionTeamsMixin, TemplateView):
    template_name = "teams/board.html"

    def get_context_data(self, **kwargs):
        edition, params = self.edition, self.request.GET
        challenge = params.get("challenge", "")
        challenge = int(challenge) if challenge.isdigit() else None
        skill = params.get("skill", "")[:60]
        page, people_page = _page_number(params, "page"), _page_number(params, "people")

        def teams():
            found = queries.board_teams(edition, challenge=challenge, skill=skill)
            return Paginator(found, PAGE_SIZE).get_page(page)

        def people():
            found = queries.looking_participants(edition, skill=skill)
            return Paginator(found, PAGE_SIZE).get_page(people_page)

        # The filters and both lists are the same for every registered visitor: rendered
        # once per change of the teams, registrations and people (hackqc.pagecache), per
        # filter and page. The visitor's own team and buttons are rendered around them.
        cached = Page(
            "team-board",
            edition.pk,
            challenge,
            skill,
            page,
            people_page,
            areas=BOARD_AREAS,
            edition=edition.pk,
        )
        return super().get_context_data(
            edition=edition,
            registration=self.registration,
            membership=membership_of(self.request.user, edition),
            teams_open=are_teams_open(edition),
            challenges=lazy(lambda: list(edition.challenges.order_by("number"))),
            skills=lazy(lambda: list(queries.edition_skills(edition))),
            selected_challenge=challenge,
            selected_skill=skill,
            teams_page=lazy(teams),
            people_page=lazy(people),
            cached=cached,
            **kwargs,
        )


def _page_number(params, name) -> str:
    """The page asked for, as the paginator reads it ("" for the first or a junk value),
    so junk values share one cached page."""
    value = params.get(name, "")
    return value if value.isdigit() and len(value) < 7 else ""


class TeamDetailView(LoginRequiredMixin, TemplateView):
    template_name = "teams/team_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        team = get_team_for_viewer(user, self.kwargs["pk"])
        edition = team.edition
        members = list(queries.team_members(team))
        own = next((m for m in members if m.user_id == user.pk), None)
        captain = own is not None and own.is_captain
        organizer = is_organizer(user, edition)
        for member in members:
            member.visible = bool(member.show_profile) or own is not None or organizer
        context = {
            "team": team,
            "edition": edition,
            "members": members,
            "own": own,
            "captain": captain,
            "organizer": organizer,
            "teams_open": are_teams_open(edition),
            "skills": list(team.wanted_skills.all()),
            "size_note": size_note(len(members), edition) if own or organizer else "",
            "full": len(members) >= edition.team_size_max,
            "now": timezone.now(),
        }
        if captain:
            context["invitations"] = list(queries.pending_invitations(team))
            context["requests"] = list(queries.pending_requests(team))
        elif own is None:
            context.update(self._outsider_context(team, user))
        return super().get_context_data(**context, **kwargs)

    def _outsider_context(self, team, user):
        registration = registration_of(user, team.edition)
        pending = JoinRequest.objects.filter(
            team=team, user=user, status=JoinRequest.Status.PENDING
        ).first()
        can_request = (
            registration is not None
            and registration.role == Registration.Role.PARTICIPANT
            and team.is_open
            and pending is None
            and membership_of(user, team.edition) is None
        )
        return {
            "pending_request": pending,
            "request_form": JoinRequestForm() if can_request else None,
        }


class TeamCreateView(EditionTeamsMixin, FormView):
    template_name = "teams/team_form.html"
    form_class = TeamForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "edition": self.edition}

    def get_context_data(self, **kwargs):
        return super().get_context_data(edition=self.edition, creating=True, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            team = services.create_team(
                self.edition,
                by=self.request.user,
                name=data["name"],
                challenge=data["challenge"],
                host_site=data.get("host_site"),
                description=data["description"],
                is_open=data["is_open"],
                skills=data["skills"],
            )
        except HackQCError as exc:
            show_refusal(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Team created: you are its captain."))
        return redirect(team)


class JoinWithCodeView(EditionTeamsMixin, FormView):
    template_name = "teams/join_code.html"
    form_class = JoinCodeForm

    def get_initial(self):
        return {"code": self.request.GET.get("code", "")}

    def get_context_data(self, **kwargs):
        return super().get_context_data(edition=self.edition, **kwargs)

    def form_valid(self, form):
        try:
            membership = services.join_with_code(
                self.edition, code=form.cleaned_data["code"], user=self.request.user
            )
        except HackQCError as exc:
            show_refusal(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("You joined %(team)s.") % {"team": membership.team.name})
        return redirect(membership.team)
