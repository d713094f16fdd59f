"""The agenda: organizers' list and form, and the public .ics file."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView

from hackqc import agenda
from hackqc.agenda_forms import AgendaItemForm
from hackqc.calendar import agenda_calendar
from hackqc.form_errors import show_refusal
from hackqc.models import AgendaItem, HostSite
from hackqc.permissions import OrganizerRequiredMixin, get_edition_for_organizer
from hackqc.visibility import get_visible_edition


class AgendaView(OrganizerRequiredMixin, TemplateView):
    template_name = "hackqc/organize/agenda.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            days=agenda.by_day(agenda.agenda_for(self.edition)), **kwargs
        )


class AgendaItemFormView(OrganizerRequiredMixin, FormView):
    template_name = "hackqc/organize/child_form.html"
    form_class = AgendaItemForm

    def get_form_kwargs(self):
        item = None
        if "pk" in self.kwargs:
            item = get_object_or_404(AgendaItem, pk=self.kwargs["pk"], edition=self.edition)
        return {**super().get_form_kwargs(), "instance": item, "edition": self.edition}

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=_("Agenda item"), **kwargs)

    def form_valid(self, form):
        try:
            agenda.save_agenda_item(form.instance, by=self.request.user)
        except ValidationError as exc:
            show_refusal(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Agenda item saved."))
        return redirect("organize:agenda", slug=self.edition.slug)


@require_POST
def delete_agenda_item(request, slug, pk):
    edition = get_edition_for_organizer(request.user, slug)
    item = get_object_or_404(AgendaItem, pk=pk, edition=edition)
    agenda.delete_agenda_item(item, by=request.user)
    messages.success(request, _("Agenda item deleted."))
    return redirect("organize:agenda", slug=edition.slug)


def agenda_ics(request, slug):
    """The edition's agenda as an .ics file (public, like the edition page); `?site=<id>`
    keeps one site's items and those of every site."""
    edition = get_visible_edition(request.user, slug)
    site, choice = False, request.GET.get("site", "")
    if choice.isdigit() and len(choice) < 12:
        site = HostSite.objects.filter(edition=edition, pk=int(choice)).first() or False
    items = agenda.agenda_for(edition, site)
    response = HttpResponse(
        agenda_calendar(edition, items, settings.SITE_URL), content_type="text/calendar"
    )
    response["Content-Disposition"] = f'attachment; filename="{edition.slug}-agenda.ics"'
    return response
