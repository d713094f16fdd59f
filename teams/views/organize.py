"""Organizers' pages: registrations, teams, their CSV exports, moves and dissolutions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import AccessMixin
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import FormView, TemplateView

from hackqc import personal_exports
from hackqc.exceptions import HackQCError
from hackqc.form_errors import show_refusal
from hackqc.permissions import OrganizerRequiredMixin, get_edition_for_organizer
from hackqc.personal_exports import LoggedDownloadMixin
from hackqc.phases import are_teams_open
from hackqc.spreadsheets import FORMATS, spreadsheet_response

from .. import queries, services
from ..forms import CorrectionForm, LateRegistrationForm, MoveForm
from ..permissions import get_registration_for_correction, get_team_for_organizer
from ..services.corrections import CORRECTABLE
from ._helpers import attempt, size_note

PAGE_SIZE = 100


def _format(kwargs):
    fmt = kwargs.get("fmt", "csv")
    if fmt not in FORMATS:
        raise Http404
    return fmt


def _team_status(team, edition):
    if team.size >= edition.team_size_max:
        return _("full")
    if team.size < edition.team_size_min:
        return size_note(team.size, edition)
    return _("open") if team.is_open else _("closed to new members")


class RegistrationListView(OrganizerRequiredMixin, TemplateView):
    """The edition's registrations, searched by name or e-mail address (`q`)."""

    template_name = "teams/organize/registrations.html"

    def get_context_data(self, **kwargs):
        search = queries.clean_search(self.request.GET.get("q"))
        registrations = queries.search_registrations(self.edition, search)
        paginator = Paginator(registrations, PAGE_SIZE)
        return super().get_context_data(
            page=paginator.get_page(self.request.GET.get("page")),
            counts=queries.registration_counts(self.edition),
            search=search,
            search_query=urlencode({"q": search}) if search else "",
            **kwargs,
        )


class CorrectRegistrationView(AccessMixin, FormView):
    """An organizer corrects one person's registration or consent, for a stated reason."""

    template_name = "teams/organize/correct.html"
    form_class = CorrectionForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.registration = get_registration_for_correction(
            request.user, kwargs["slug"], kwargs["pk"]
        )
        self.edition = self.registration.edition
        # Shown as stored: the bound form sets the typed values on the instance.
        self.person = self.registration.user
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.registration, "edition": self.edition}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            edition=self.edition,
            person=self.person,
            corrections=queries.corrections_of(self.registration),
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        changes = {name: data[name] for name in CORRECTABLE if name in form.fields}
        try:
            services.correct_registration(
                self.registration, by=self.request.user, reason=data["reason"], **changes
            )
        except HackQCError as exc:
            show_refusal(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The registration of %(person)s is corrected; they are told by mail.")
            % {"person": self.person},
        )
        url = reverse("teams:organize_registrations", kwargs={"slug": self.edition.slug})
        return redirect(f"{url}?{urlencode({'q': self.person.email})}")


class RegistrationExportView(LoggedDownloadMixin, OrganizerRequiredMixin, TemplateView):
    download_action = personal_exports.REGISTRATIONS

    def get(self, request, *args, **kwargs):
        fmt = _format(kwargs)
        rows = (
            [
                r.user.display_name,
                r.user.email,
                r.get_role_display(),
                r.organisation,
                r.get_participant_type_display(),
                ", ".join(skill.name for skill in r.skills.all()),
                r.team_name or "",
                _("yes") if r.looking_for_team else _("no"),
                _("yes") if r.show_profile else _("no"),
                r.rules_version,
                timezone.localtime(r.rules_accepted_at).isoformat() if r.rules_accepted_at else "",
                timezone.localtime(r.created_at).isoformat(),
                str(r.registered_by or "") if r.registered_by_id else "",
            ]
            for r in queries.edition_registrations(self.edition).select_related("registered_by")
        )
        header = [
            _("Name"),
            _("E-mail"),
            _("Role"),
            _("Organisation or school"),
            _("Participant type"),
            _("Skills"),
            _("Team"),
            _("Looking for a team"),
            _("Consents to be shown"),
            _("Rules version"),
            _("Rules accepted at"),
            _("Registered at"),
            _("Registered late by"),
        ]
        filename = f"{self.edition.slug}-registrations"
        return spreadsheet_response(filename, header, rows, fmt, title=_("Registrations"))


class LateRegistrationView(OrganizerRequiredMixin, FormView):
    template_name = "teams/organize/late_registration.html"
    form_class = LateRegistrationForm

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.register(
                self.edition,
                user=data["user"],
                by=self.request.user,
                role=data["role"],
                organisation=data["organisation"],
                participant_type=data["participant_type"],
                accept_rules=data["accept_rules"],
                late=True,
            )
        except HackQCError as exc:
            show_refusal(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("%(person)s is registered.") % {"person": data["user"]})
        return redirect("teams:organize_registrations", slug=self.edition.slug)


class TeamListView(OrganizerRequiredMixin, TemplateView):
    template_name = "teams/organize/teams.html"

    def get_context_data(self, **kwargs):
        edition = self.edition
        teams = list(queries.teams_with_size(edition).order_by("name"))
        labels = queries.member_labels(edition)
        # One reverse() for the whole table: the URLs differ only by the team id.
        detail_url = reverse("teams:team_detail", kwargs={"pk": 0}).replace("/0/", "/{}/")
        dissolve_url = reverse("teams:organize_dissolve", kwargs={"pk": 0}).replace("/0/", "/{}/")
        for team in teams:
            team.status = _team_status(team, edition)
            team.under_minimum = team.size < edition.team_size_min
            team.members_label = labels.get(team.pk, "")
            team.detail_url = detail_url.format(team.pk)
            team.dissolve_url = dissolve_url.format(team.pk)
        return super().get_context_data(
            teams=teams,
            teams_open=are_teams_open(edition),
            log=list(queries.recent_log(edition)),
            **kwargs,
        )


class TeamExportView(LoggedDownloadMixin, OrganizerRequiredMixin, TemplateView):
    download_action = personal_exports.TEAMS

    def get(self, request, *args, **kwargs):
        fmt = _format(kwargs)
        edition = self.edition
        rows = []
        for team in queries.organizer_teams(edition):
            members = list(team.memberships.all())
            captain = next((m.user for m in members if m.is_captain), None)
            rows.append(
                [
                    team.name,
                    str(team.challenge) if team.challenge else "",
                    str(team.host_site) if team.host_site else "",
                    team.size,
                    _team_status(team, edition),
                    _("yes") if team.is_open else _("no"),
                    captain.email if captain else "",
                    "; ".join(f"{m.user} <{m.user.email}>" for m in members),
                    timezone.localtime(team.created_at).isoformat(),
                ]
            )
        header = [
            _("Team"),
            _("Challenge"),
            _("Host site"),
            _("Size"),
            _("Status"),
            _("Open to new members"),
            _("Captain"),
            _("Members"),
            _("Created at"),
        ]
        return spreadsheet_response(f"{edition.slug}-teams", header, rows, fmt, title=_("Teams"))


@login_required
@require_POST
def move_participant(request, slug):
    edition = get_edition_for_organizer(request.user, slug)
    form = MoveForm(request.POST, edition=edition)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("teams:organize_teams", slug=slug)
    user, team = form.cleaned_data["participant"], form.cleaned_data["team"]
    attempt(
        request,
        lambda: services.move_participant(edition, user=user, to_team=team, by=request.user),
        _("%(person)s was moved.") % {"person": user},
    )
    return redirect("teams:organize_teams", slug=slug)


@login_required
@require_http_methods(["GET", "POST"])
def dissolve_team(request, pk):
    """GET asks for confirmation; POST dissolves."""
    team = get_team_for_organizer(request.user, pk)
    if request.method == "GET":
        return render(request, "teams/confirm_dissolve.html", {"team": team, "organizer": True})
    attempt(
        request,
        lambda: services.dissolve_team(team, by=request.user, organizer=True),
        _("The team %(team)s was dissolved.") % {"team": team.name},
    )
    return redirect("teams:organize_teams", slug=team.edition.slug)
