"""The register's pages: an edition's, for its organizers; the whole site's, for staff."""

from django.contrib import messages
from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView

from hackqc.permissions import get_edition_for_organizer

from . import services
from .forms import IncidentForm
from .models import Incident
from .permissions import can_keep_register, get_incident


class _RegisterMixin(AccessMixin):
    """`self.edition`: the edition of the `slug` (its organizers), or None for the whole
    site's register (staff)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        slug = kwargs.get("slug")
        self.edition = get_edition_for_organizer(request.user, slug) if slug else None
        if self.edition is None and not can_keep_register(request.user, None):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def register_url(self, name, *args):
        if self.edition is None:
            return reverse(f"incidents:site_{name}", args=args)
        return reverse(f"incidents:{name}", args=[self.edition.slug, *args])

    def get_context_data(self, **kwargs):
        kwargs.setdefault("edition", self.edition)
        kwargs.setdefault("list_url", self.register_url("list"))
        return super().get_context_data(**kwargs)


class IncidentListView(_RegisterMixin, ListView):
    template_name = "incidents/list.html"
    context_object_name = "incidents"
    paginate_by = 50

    def get_queryset(self):
        incidents = Incident.objects.select_related("edition")
        if self.edition is not None:
            incidents = incidents.filter(edition=self.edition)
        return incidents.order_by("-discovered_at", "-pk")

    def get_context_data(self, **kwargs):
        return super().get_context_data(create_url=self.register_url("create"), **kwargs)


class IncidentDetailView(_RegisterMixin, DetailView):
    template_name = "incidents/detail.html"
    context_object_name = "incident"

    def get_object(self, queryset=None):
        return get_incident(self.request.user, self.kwargs["pk"], edition=self.edition)

    def get_context_data(self, **kwargs):
        update_url = self.register_url("update", self.object.pk)
        return super().get_context_data(update_url=update_url, **kwargs)


class IncidentFormView(_RegisterMixin, FormView):
    """Records an incident, or completes one (`pk`)."""

    template_name = "incidents/form.html"
    form_class = IncidentForm

    def dispatch(self, request, *args, **kwargs):
        self.incident = None
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        if "pk" in self.kwargs:
            self.incident = get_incident(self.request.user, self.kwargs["pk"], edition=self.edition)
        return {**super().get_form_kwargs(), "instance": self.incident}

    def form_valid(self, form):
        try:
            if self.incident is None:
                incident = services.record_incident(
                    edition=self.edition, by=self.request.user, **form.cleaned_data
                )
                messages.success(self.request, _("The incident is recorded in the register."))
            else:
                changed = {name: form.cleaned_data[name] for name in form.changed_data}
                incident = services.update_incident(self.incident, by=self.request.user, **changed)
                messages.success(self.request, _("The incident is updated."))
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return self.form_invalid(form)
        return redirect(incident.get_absolute_url())

    def get_context_data(self, **kwargs):
        cancel = self.incident.get_absolute_url() if self.incident else self.register_url("list")
        return super().get_context_data(incident=self.incident, cancel_url=cancel, **kwargs)
