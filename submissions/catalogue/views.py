from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView, TemplateView

from hackqc.exceptions import HackQCError
from hackqc.models import Edition
from hackqc.pagecache import Page
from hackqc.visibility import public_editions

from . import queries, services
from .forms import DatasetSearchForm, StatsForm, SyncRequestForm
from .models import Dataset, Portal, SyncRun
from .permissions import CatalogueSyncerRequiredMixin, get_sync_run_for_user

# What the search shows: datasets and their organisations, formats, licences (catalogue),
# and reuse counts from projects as judged (submissions) in editions with a public gallery.
SEARCH_AREAS = ("hackqc", "catalogue", "submissions")


def _public_gallery_editions() -> list[int]:
    """The editions whose gallery is public now: the rows cached per change of editions,
    the clock applied on each request (a gallery opening at its deadline changes the key)."""
    rows = Page("gallery-editions", areas=("hackqc",), language=False).get_or_build(
        lambda: list(
            Edition.objects.values_list("pk", "submissions_close", "gallery_open_early")
            .filter(public_editions())
            .order_by("pk")
        )
    )
    now = timezone.now()
    return [pk for pk, closes, early in rows if early or now >= closes]


class DatasetSearchView(ListView):
    """Rendered once per change of the catalogue, the reuses or the public galleries, per
    query string (hackqc.pagecache): the search form is a GET form, nothing per person."""

    template_name = "catalogue/dataset_search.html"
    context_object_name = "datasets"
    paginate_by = 20

    def get(self, request, *args, **kwargs):
        self.page = Page(
            "dataset-search",
            sorted(request.GET.lists()),
            _public_gallery_editions(),
            areas=SEARCH_AREAS,
        )
        if self.page.lookup():
            self.object_list = []  # not read: the fragment is cached
            return self.render_to_response({"page": self.page})
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        self.form = DatasetSearchForm(self.request.GET or None)
        if self.form.is_bound:
            return queries.search_datasets(**self.form.search_kwargs())
        return queries.search_datasets()

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        context = super().get_context_data(
            form=self.form, query=query.urlencode(), page=self.page, **kwargs
        )
        queries.count_reuses(context["datasets"])
        return context


class DatasetDetailView(DetailView):
    template_name = "catalogue/dataset_detail.html"
    context_object_name = "dataset"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Dataset.objects.select_related("portal", "organization", "licence").prefetch_related(
                "groups", "formats"
            ),
            portal__name=self.kwargs["portal"],
            name=self.kwargs["name"],
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(reuses=list(queries.dataset_reuses(self.object)), **kwargs)


def autocomplete(request):
    """JSON for the submission form's dataset picker; public data, no login needed."""
    datasets = queries.autocomplete_datasets(request.GET.get("q", "")[:500])
    return JsonResponse(queries.autocomplete_payload(datasets))


class ReuseStatsView(TemplateView):
    template_name = "catalogue/stats.html"

    def get_context_data(self, **kwargs):
        form = StatsForm(self.request.GET or None)
        edition = form.cleaned_data["edition"] if form.is_valid() else None
        return super().get_context_data(
            form=form,
            edition=edition,
            top_datasets=queries.top_reused_datasets(edition=edition),
            top_organizations=queries.top_reused_organizations(edition=edition),
            totals=queries.reuse_totals(edition=edition),
            **kwargs,
        )


class SyncView(CatalogueSyncerRequiredMixin, FormView):
    """Organizers start a sync and follow the latest runs."""

    template_name = "catalogue/sync.html"
    form_class = SyncRequestForm

    def get_initial(self):
        return {"portal": Portal.objects.filter(name=services.DEFAULT_PORTAL).first()}

    def get_context_data(self, **kwargs):
        runs = SyncRun.objects.select_related("portal", "started_by")[:15]
        return super().get_context_data(runs=runs, **kwargs)

    def form_valid(self, form):
        try:
            run = services.request_sync(
                form.cleaned_data["portal"], by=self.request.user, full=form.cleaned_data["full"]
            )
        except HackQCError as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        messages.success(self.request, _("The sync is queued."))
        return redirect("catalogue:sync_run", pk=run.pk)


class SyncRunView(CatalogueSyncerRequiredMixin, TemplateView):
    template_name = "catalogue/sync_run.html"

    def get_context_data(self, **kwargs):
        run = get_sync_run_for_user(self.request.user, self.kwargs["pk"])
        return super().get_context_data(run=run, **kwargs)
