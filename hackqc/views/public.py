from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, TemplateView

from hackqc.calendar import edition_calendar as edition_calendar_file
from hackqc.models import Challenge, Edition
from hackqc.notices import edition_notices
from hackqc.pages import edition_page_links
from hackqc.permissions import is_organizer
from hackqc.phases import current_phase, is_registration_open, timeline


class HomeView(TemplateView):
    template_name = "hackqc/home.html"

    def get_context_data(self, **kwargs):
        editions = list(
            Edition.objects.listed()
            .order_by("-registration_opens", "-year")
            .prefetch_related(
                Prefetch("challenges", queryset=Challenge.objects.order_by("number")),
                "host_sites",
            )
        )
        current = editions[0] if editions else None
        context = super().get_context_data(**kwargs)
        context.update(edition=current, past_editions=editions[1:])
        if current:
            context.update(
                phase=current_phase(current),
                timeline=timeline(current),
                registration_open=is_registration_open(current),
            )
        return context


class EditionDetailView(DetailView):
    model = Edition
    template_name = "hackqc/edition_detail.html"
    context_object_name = "edition"

    def get_object(self, queryset=None):
        edition = super().get_object(queryset)
        if edition.is_synthetic and not is_organizer(self.request.user, edition):
            raise Http404  # generated test data is never a public page
        return edition

    def get_queryset(self):
        return Edition.objects.prefetch_related(
            Prefetch("challenges", queryset=Challenge.objects.order_by("number")), "host_sites"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            page_links=edition_page_links(self.object),
            phase=current_phase(self.object),
            timeline=timeline(self.object),
            is_organizer=is_organizer(self.request.user, self.object),
            registration_open=is_registration_open(self.object),
            notices=edition_notices(self.object),
        )
        return context


def edition_calendar(request, slug):
    """The edition's dates as an .ics file (public, like the edition page)."""
    edition = get_object_or_404(Edition, slug=slug)
    if edition.is_synthetic and not is_organizer(request.user, edition):
        raise Http404
    response = HttpResponse(
        edition_calendar_file(edition, settings.SITE_URL), content_type="text/calendar"
    )
    response["Content-Disposition"] = f'attachment; filename="{edition.slug}.ics"'
    return response
