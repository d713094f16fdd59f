from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpResponse
from django.views.generic import DetailView, TemplateView

from hackqc.calendar import edition_calendar as edition_calendar_file
from hackqc.models import Challenge, Edition
from hackqc.notices import edition_notices
from hackqc.pagecache import Page, lazy
from hackqc.pages import edition_page_links
from hackqc.permissions import is_organizer
from hackqc.phases import current_phase, is_registration_open, timeline
from hackqc.visibility import check_edition_visible, get_visible_edition

# What the home page shows: the editions, their challenges and host sites.
HOME_AREAS = ("hackqc",)


class HomeView(TemplateView):
    """The featured edition and the others: rendered once per change of the editions
    (hackqc.pagecache) and of what the clock makes of them (phase, open registration, steps
    past), per language; the menu around it is the visitor's."""

    template_name = "hackqc/home.html"

    def get_context_data(self, **kwargs):
        # The featured edition alone (its dates) is cached per change of the editions, so
        # that a warm home page runs no query for it.
        editions = lazy(_listed_editions)
        current = Page("home-current", areas=HOME_AREAS, language=False).get_or_build(
            lambda: editions[0] if editions else False  # cold: the same query as the list
        )
        current = current or None
        context = super().get_context_data(**kwargs)
        if current:
            steps = timeline(current)
            phase = current_phase(current)
            open_now = is_registration_open(current)
            context.update(phase=phase, timeline=steps, registration_open=open_now)
            state = (current.pk, phase.value, open_now, [step["past"] for step in steps])
        else:
            state = None
        context.update(
            edition=lazy(lambda: editions[0] if editions else None) if current else None,
            past_editions=lazy(lambda: editions[1:]),
            cached=Page("home", state, areas=HOME_AREAS),
        )
        return context


def _listed_editions():
    return list(
        Edition.objects.listed()
        .in_home_order()
        .prefetch_related(
            Prefetch("challenges", queryset=Challenge.objects.order_by("number")),
            "host_sites",
        )
    )


class EditionDetailView(DetailView):
    model = Edition
    template_name = "hackqc/edition_detail.html"
    context_object_name = "edition"

    def get_object(self, queryset=None):
        edition = super().get_object(queryset)
        check_edition_visible(self.request.user, edition)  # a draft: its organizers only
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
    edition = get_visible_edition(request.user, slug)
    response = HttpResponse(
        edition_calendar_file(edition, settings.SITE_URL), content_type="text/calendar"
    )
    response["Content-Disposition"] = f'attachment; filename="{edition.slug}.ics"'
    return response
