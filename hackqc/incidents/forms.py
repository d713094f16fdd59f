from django import forms
from django.utils.translation import gettext_lazy as _

from hackqc.forms import LocalDateTimeInput

from .models import Incident
from .services import FIELDS

DATE_FIELDS = (
    "occurred_at",
    "occurred_until",
    "discovered_at",
    "cai_notified_at",
    "people_notified_at",
)


class IncidentForm(forms.ModelForm):
    class Meta:
        model = Incident
        fields = FIELDS
        widgets = {
            **{name: LocalDateTimeInput() for name in DATE_FIELDS},
            "circumstances": forms.Textarea(attrs={"rows": 4}),
            "information_involved": forms.Textarea(attrs={"rows": 2}),
            "people_affected": forms.Textarea(attrs={"rows": 2}),
            "risk_assessment": forms.Textarea(attrs={"rows": 3}),
            "measures": forms.Textarea(attrs={"rows": 4}),
        }

    def clean(self):
        data = super().clean()
        occurred, discovered = data.get("occurred_at"), data.get("discovered_at")
        until = data.get("occurred_until")
        if occurred and until and until < occurred:
            self.add_error("occurred_until", _("The end comes before the start."))
        if occurred and discovered and discovered < occurred:
            self.add_error("discovered_at", _("It cannot be known before it occurred."))
        for name in ("cai_notified_at", "people_notified_at"):
            if discovered and data.get(name) and data[name] < discovered:
                self.add_error(name, _("A notice comes after the incident is known."))
        return data
