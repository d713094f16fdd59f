from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import LocalDateTimeInput
from .models import AgendaItem


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["kind", "title", "starts_at", "ends_at", "host_site", "location", "description"]
        widgets = {
            "starts_at": LocalDateTimeInput(),
            "ends_at": LocalDateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.edition = edition
        self.fields["host_site"].queryset = edition.host_sites.order_by("name")
        self.fields["host_site"].empty_label = _("Every host site")
