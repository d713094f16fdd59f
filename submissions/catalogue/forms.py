from django import forms
from django.utils.translation import gettext_lazy as _

from hackqc.models import Edition

from .models import Format, Group, Licence, Organization, Portal

ANY = _("Any")


class DatasetSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    organization = forms.ModelChoiceField(
        Organization.objects.order_by("title"),
        label=_("Organisation"),
        required=False,
        empty_label=ANY,
    )
    group = forms.ModelChoiceField(
        Group.objects.all(), label=_("Category"), required=False, empty_label=ANY
    )
    licence = forms.ModelChoiceField(
        Licence.objects.all(), label=_("Licence"), required=False, empty_label=ANY
    )
    format = forms.ModelChoiceField(
        Format.objects.all(),
        label=_("Format"),
        required=False,
        to_field_name="name",
        empty_label=ANY,
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("relevance", _("Relevance")),
            ("title", _("Title")),
            ("reuses", _("Most reused")),
        ],
    )
    include_withdrawn = forms.BooleanField(label=_("Include withdrawn datasets"), required=False)

    def search_kwargs(self):
        """Arguments of `queries.search_datasets`; an invalid filter is ignored, not an error."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "q": data.get("q", ""),
            "organization": data.get("organization"),
            "group": data.get("group"),
            "licence": data.get("licence"),
            "format": data.get("format"),
            "sort": data.get("sort") or "relevance",
            "include_withdrawn": data.get("include_withdrawn", False),
        }


class StatsForm(forms.Form):
    edition = forms.ModelChoiceField(
        Edition.objects.listed(),
        label=_("Edition"),
        required=False,
        empty_label=_("All editions"),
        to_field_name="slug",
    )


class SyncRequestForm(forms.Form):
    portal = forms.ModelChoiceField(
        Portal.objects.filter(is_enabled=True).order_by("title"), label=_("Portal")
    )
    full = forms.BooleanField(
        label=_("Full sync"),
        required=False,
        help_text=_(
            "Reads every package and marks the datasets the portal no longer lists as "
            "withdrawn. Otherwise only what changed since the last sync is read."
        ),
    )


class PortalForm(forms.ModelForm):
    """A portal's fields as staff type them; the service checks the addresses."""

    api_url = forms.URLField(
        label=_("Action API base URL"),
        max_length=200,
        assume_scheme="https",
        help_text=_("For example https://www.donneesquebec.ca/recherche/api/3/action/"),
    )

    class Meta:
        model = Portal
        fields = ["title", "name", "api_url", "dataset_url_pattern"]
        help_texts = {
            "name": _("A short identifier in the datasets' addresses (letters, digits, dashes)."),
        }

    def validate_unique(self):
        """The service says it, in the same words for every caller."""
