"""The audit log pages: one edition's for its organizers, the whole site's for staff."""

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from hackqc import audit
from hackqc.models import Edition
from hackqc.permissions import OrganizerRequiredMixin, StaffRequiredMixin


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), required=False)
    actor = forms.TypedChoiceField(label=_("By"), required=False, coerce=int, empty_value=None)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, entries, editions=None, **kwargs):
        super().__init__(*args, **kwargs)
        codes = sorted(set(entries.values_list("action", flat=True)), key=str)
        self.fields["action"].choices = [("", _("All actions"))] + [
            (code, audit.label(code)) for code in codes
        ]
        actor_ids = set(entries.exclude(actor=None).values_list("actor", flat=True))
        actors = get_user_model().objects.filter(pk__in=actor_ids).order_by("display_name")
        self.fields["actor"].choices = [("", _("Everyone"))] + [(a.pk, str(a)) for a in actors]
        if editions is not None:
            self.fields["edition"] = forms.ModelChoiceField(
                label=_("Edition"), required=False, queryset=editions, empty_label=_("All")
            )

    def filter(self, entries):
        if not self.is_valid():
            return entries
        data = self.cleaned_data
        if data.get("action"):
            entries = entries.filter(action=data["action"])
        if data.get("actor"):
            entries = entries.filter(actor_id=data["actor"])
        if data.get("edition"):
            entries = entries.filter(edition=data["edition"])
        if data.get("since"):
            entries = entries.filter(at__gte=_start_of(data["since"]))
        if data.get("until"):
            entries = entries.filter(at__lt=_start_of(data["until"] + datetime.timedelta(days=1)))
        return entries


def _start_of(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class _AuditLogMixin:
    template_name = "hackqc/organize/audit_log.html"
    context_object_name = "entries"
    paginate_by = 50
    edition = None

    def get_queryset(self):
        entries = audit.entries_for(self.edition)
        self.filter_form = AuditFilterForm(
            self.request.GET or None, entries=entries, editions=self.editions()
        )
        return self.filter_form.filter(entries)

    def editions(self):
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            entries=audit.with_people(context["entries"]),
            filter_form=self.filter_form,
            query=query.urlencode(),
        )
        return context


class AuditLogView(OrganizerRequiredMixin, _AuditLogMixin, ListView):
    """What the edition's organizers did, newest first."""


class SiteAuditLogView(StaffRequiredMixin, _AuditLogMixin, ListView):
    """What every organizer did on the site, for staff."""

    def editions(self):
        return Edition.objects.order_by("-year", "name")
