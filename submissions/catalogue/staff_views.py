"""Staff pages for the CKAN portals (under /organize/portals/): list, add, edit, enable or
disable, sync now and the history of runs. The admin only browses portals."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import FormView, ListView

from hackqc.exceptions import HackQCError
from hackqc.form_errors import show_refusal
from hackqc.permissions import StaffRequiredMixin

from . import queries, services
from .forms import PortalForm
from .permissions import get_portal_for_staff


class PortalListView(StaffRequiredMixin, ListView):
    template_name = "catalogue/portal_list.html"
    context_object_name = "portals"

    def get_queryset(self):
        return queries.portals_with_last_run()


class PortalFormView(StaffRequiredMixin, FormView):
    """Adds a portal, or edits the one named by `pk`; typed text is kept on a refusal."""

    template_name = "catalogue/portal_form.html"
    form_class = PortalForm

    def dispatch(self, request, *args, **kwargs):
        self.portal = None
        return super().dispatch(request, *args, **kwargs)

    def setup_portal(self):
        if "pk" in self.kwargs and self.portal is None:
            self.portal = get_portal_for_staff(self.request.user, self.kwargs["pk"])
        return self.portal

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.setup_portal()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(portal=self.setup_portal(), **kwargs)

    def form_valid(self, form):
        fields = {name: form.cleaned_data[name] for name in services.PORTAL_FIELDS}
        try:
            if self.portal is None:
                portal = services.create_portal(by=self.request.user, **fields)
                messages.success(self.request, _("Portal added."))
            else:
                portal = services.update_portal(self.portal, by=self.request.user, **fields)
                messages.success(self.request, _("Portal saved."))
        except HackQCError as exc:
            show_refusal(form, exc)
            return self.form_invalid(form)
        return redirect(reverse("portals:list") + f"#portal-{portal.pk}")


@require_POST
def set_enabled(request, pk):
    portal = get_portal_for_staff(request.user, pk)
    enabled = request.POST.get("enabled") == "1"
    services.set_portal_enabled(portal, by=request.user, enabled=enabled)
    if enabled:
        messages.success(request, _("%(portal)s is enabled.") % {"portal": portal.title})
    else:
        messages.success(
            request, _("%(portal)s is disabled: it is no longer synced.") % {"portal": portal.title}
        )
    return redirect(reverse("portals:list") + f"#portal-{portal.pk}")


@require_POST
def sync_now(request, pk):
    portal = get_portal_for_staff(request.user, pk)
    try:
        services.request_sync(portal, by=request.user, full=request.POST.get("full") == "1")
    except services.SyncAlreadyRunningError:
        messages.warning(
            request,
            _(
                "A sync of %(portal)s is already queued or running: its result will appear "
                "below. Start another once it is finished."
            )
            % {"portal": portal.title},
        )
    except HackQCError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The sync of %(portal)s is queued.") % {"portal": portal.title})
    return redirect("portals:runs", pk=portal.pk)


class RunListView(StaffRequiredMixin, ListView):
    """One portal's sync runs, newest first."""

    template_name = "catalogue/portal_runs.html"
    context_object_name = "runs"
    paginate_by = 25

    def get_queryset(self):
        self.portal = get_portal_for_staff(self.request.user, self.kwargs["pk"])
        return self.portal.sync_runs.select_related("started_by").order_by("-created_at", "-pk")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            portal=self.portal, under_way=services.sync_under_way(self.portal), **kwargs
        )
