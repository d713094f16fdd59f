"""Host sites on the day: seats and arrivals per site, rosters and their export for the
organizers; the check-in page for organizers and volunteers."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from hackqc.exceptions import HackQCError
from hackqc.form_errors import show_refusal
from hackqc.permissions import OrganizerRequiredMixin, is_organizer
from hackqc.personal_exports import LoggedDownloadMixin
from hackqc.spreadsheets import spreadsheet_response

from .. import roster, services
from ..checkin import registration_by_code
from ..forms import CheckInForm
from ..nametags import name_tags_pdf, tags_for
from ..permissions import get_edition_for_check_in


class _SiteChoiceMixin(OrganizerRequiredMixin):
    """Reads `?site=<id>` (one site), `?site=none` (people with no site) or nothing
    (everyone); an unknown value means everyone."""

    def dispatch(self, request, *args, **kwargs):
        self.site_choice = request.GET.get("site", "")
        return super().dispatch(request, *args, **kwargs)

    @property
    def site(self):
        return roster.site_from_choice(self.edition, self.site_choice)

    def file_name(self, kind):
        site = self.site
        part = "all" if site is False else (f"site-{site.pk}" if site else roster.NO_SITE)
        return f"{self.edition.slug}-{kind}-{part}"


class SitesView(OrganizerRequiredMixin, TemplateView):
    """Each site's capacity, seats taken and arrivals, with links to its roster."""

    template_name = "teams/organize/sites.html"

    def get_context_data(self, **kwargs):
        sites, unseated = roster.site_counts(self.edition)
        return super().get_context_data(
            sites=sites, unseated=unseated, no_site=roster.NO_SITE, **kwargs
        )


class RosterView(_SiteChoiceMixin, TemplateView):
    """The people of one site, by team, with their needs: for the edition's organizers only."""

    template_name = "teams/organize/roster.html"

    def get_context_data(self, **kwargs):
        site = self.site
        return super().get_context_data(
            roster=roster.site_roster(self.edition, site),
            all_sites=site is False,
            site_query=self.request.GET.urlencode() and f"?site={self.site_choice}",
            **kwargs,
        )


def _roster_rows(people):
    for person in people:
        yield [
            person.user.display_name,
            person.user.email,
            person.get_role_display(),
            person.team_name or "",
            person.host_site.name if person.host_site else "",
            person.organisation,
            person.dietary_needs,
            person.accessibility_needs,
            person.checked_in_at,
        ]


class RosterExportView(LoggedDownloadMixin, _SiteChoiceMixin, TemplateView):
    """The roster as CSV (for Excel: BOM, French separators) or XLSX; logged, since it
    carries names, addresses and needs."""

    download_action = roster.ROSTER_DOWNLOADED

    def get(self, request, *args, **kwargs):
        people = roster.site_roster(self.edition, self.site).people
        header = [
            _("Name"),
            _("E-mail"),
            _("Role"),
            _("Team"),
            _("Host site"),
            _("Organisation or school"),
            _("Dietary needs"),
            _("Accessibility needs"),
            _("Checked in at"),
        ]
        fmt = kwargs["fmt"]
        title = _("Roster")
        return spreadsheet_response(
            self.file_name("roster"), header, _roster_rows(people), fmt, title=title
        )


class CheckInView(LoginRequiredMixin, FormView):
    """Organizers and volunteers check people in on a phone: scan the person's QR code (with
    the phone's camera app, or in the page where the browser can read QR codes) or type the
    code. A GET with `?code=` shows who it is; the POST checks them in, once."""

    template_name = "teams/checkin.html"
    form_class = CheckInForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.edition = get_edition_for_check_in(request.user, kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"code": self.request.GET.get("code", "")[:40]}

    def get_context_data(self, **kwargs):
        person = None
        code = self.request.GET.get("code", "")
        if code and self.request.method == "GET":
            try:
                person = registration_by_code(self.edition, code)
            except HackQCError as exc:
                messages.error(self.request, exc.message)
        return super().get_context_data(
            edition=self.edition,
            person=person,
            recent=roster.recent_check_ins(self.edition),
            organizer=is_organizer(self.request.user, self.edition),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            person = registration_by_code(self.edition, form.cleaned_data["code"])
        except HackQCError as exc:
            show_refusal(form, exc)
            return self.form_invalid(form)
        first = services.check_in(person, by=self.request.user)
        names = {"person": person.user.display_name}
        if first:
            messages.success(self.request, _("%(person)s is checked in.") % names)
        else:
            messages.info(
                self.request,
                _("%(person)s was already checked in, at %(time)s.")
                % {**names, "time": timezone.localtime(person.checked_in_at).strftime("%H:%M")},
            )
        return redirect("teams:checkin", slug=self.edition.slug)


class NameTagsView(LoggedDownloadMixin, _SiteChoiceMixin, TemplateView):
    """The site's name tags as a PDF to print, names per each person's consent; logged."""

    download_action = roster.NAME_TAGS_DOWNLOADED

    def get(self, request, *args, **kwargs):
        people = roster.site_roster(self.edition, self.site).people
        pdf = name_tags_pdf(tags_for(people), title=self.edition.name)
        response = HttpResponse(pdf, content_type="application/pdf")
        name = self.file_name("name-tags")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
