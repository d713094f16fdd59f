"""An edition's rules and code of conduct: read by everyone, written by its organizers."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from hackqc import services
from hackqc.exceptions import HackQCError
from hackqc.models import EditionPage
from hackqc.pages import current_page
from hackqc.permissions import OrganizerRequiredMixin
from hackqc.visibility import get_visible_edition


def _kind(value) -> str:
    if value not in EditionPage.Kind.values:
        raise Http404
    return value


class EditionPageView(TemplateView):
    """The current version, or `?version=N` (the one a registration accepted)."""

    template_name = "hackqc/edition_page.html"

    def get_context_data(self, **kwargs):
        edition = get_visible_edition(self.request.user, self.kwargs["slug"])
        kind = _kind(self.kwargs["kind"])
        pages = EditionPage.objects.filter(edition=edition, kind=kind)
        wanted = self.request.GET.get("version", "")
        page = (
            pages.filter(version=int(wanted)).first()
            if wanted.isdigit() and len(wanted) < 9
            else pages.order_by("-version").first()
        )
        if page is None:
            raise Http404
        latest = pages.order_by("-version").values_list("version", flat=True).first()
        return super().get_context_data(edition=edition, page=page, latest_version=latest, **kwargs)


class EditionPageForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Text"),
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text=gettext_lazy(
            "Markdown. Saving publishes a new version; registrations keep the version they "
            "accepted."
        ),
    )


class EditionPageEditView(OrganizerRequiredMixin, FormView):
    template_name = "hackqc/organize/edition_page_form.html"
    form_class = EditionPageForm

    def get_initial(self):
        current = current_page(self.edition, _kind(self.kwargs["kind"]))
        return {"body": current.body if current else ""}

    def get_context_data(self, **kwargs):
        kind = _kind(self.kwargs["kind"])
        versions = EditionPage.objects.filter(edition=self.edition, kind=kind).select_related(
            "created_by"
        )
        return super().get_context_data(
            kind=kind,
            kind_label=EditionPage.Kind(kind).label,
            versions=versions.order_by("-version"),
            **kwargs,
        )

    def form_valid(self, form):
        kind = _kind(self.kwargs["kind"])
        try:
            page = services.publish_page(
                self.edition, kind=kind, body=form.cleaned_data["body"], by=self.request.user
            )
        except HackQCError as exc:
            form.add_error("body", exc.message)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Version %(version)s is published.") % {"version": page.version}
        )
        return redirect("organize:edition_page", slug=self.edition.slug, kind=kind)
