from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import segments
from .models.announcements import BODY_MAX_LENGTH, SUBJECT_MAX_LENGTH


class AnnouncementForm(forms.Form):
    """Who receives it and what it says, in French and English (the service checks the
    rules; an error keeps everything typed)."""

    segment = forms.ChoiceField(label=_("Send to"))
    subject_fr = forms.CharField(
        label=_("Subject in French"), max_length=SUBJECT_MAX_LENGTH, required=False
    )
    body_fr = forms.CharField(
        label=_("Message in French"),
        max_length=BODY_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "lang": "fr"}),
        help_text=_("Markdown: **bold**, *italics*, lists, links."),
    )
    subject_en = forms.CharField(
        label=_("Subject in English"), max_length=SUBJECT_MAX_LENGTH, required=False
    )
    body_en = forms.CharField(
        label=_("Message in English"),
        max_length=BODY_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "lang": "en"}),
        help_text=_("Each person receives their language; the other one if theirs is empty."),
    )

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject_fr"].widget.attrs["lang"] = "fr"
        self.fields["subject_en"].widget.attrs["lang"] = "en"
        self.fields["segment"].choices = [
            (
                choice.value,
                ngettext(
                    "%(segment)s (%(count)s person)",
                    "%(segment)s (%(count)s people)",
                    choice.count,
                )
                % {"segment": choice.label, "count": choice.count},
            )
            for choice in segments.choices(edition)
        ]

    @staticmethod
    def initial_for(announcement) -> dict:
        segment = announcement.segment
        if announcement.host_site_id:
            segment = f"{segment}:{announcement.host_site_id}"
        return {
            "segment": segment,
            "subject_fr": announcement.subject_fr,
            "body_fr": announcement.body_fr,
            "subject_en": announcement.subject_en,
            "body_en": announcement.body_en,
        }
