from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from .models import Challenge, Edition, HostSite

LOCAL_DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


MAX_ID = 2**63 - 1  # BigAutoField's largest value


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Refuses a value past any database id before asking the database: SQLite raises
    OverflowError on such a number instead of finding nothing."""

    def _check_values(self, value):
        for pk in value:
            if str(pk).strip().lstrip("-").isdigit() and abs(int(pk)) > MAX_ID:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)


class LocalDateTimeInput(forms.DateTimeInput):
    """A browser date-time picker; values are in the site's time zone (America/Montreal)."""

    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=LOCAL_DATETIME_FORMAT, **kwargs)


class SignupForm(forms.Form):
    """Extra fields of allauth's sign-up form."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=100,
        help_text=_("Shown to other participants only if you consent to it."),
    )

    def signup(self, request, user):
        user.display_name = self.cleaned_data["display_name"]
        user.save(update_fields=["display_name"])


class ProfileForm(forms.ModelForm):
    class Meta:
        model = get_user_model()
        fields = ["display_name", "preferred_language"]


class EditionForm(forms.ModelForm):
    class Meta:
        model = Edition
        fields = [
            "year",
            "slug",
            "name",
            "theme",
            "description",
            "registration_opens",
            "registration_closes",
            "hacking_starts",
            "submissions_close",
            "judging_ends",
            "team_size_min",
            "team_size_max",
            "min_datasets",
            "gallery_open_early",
            "one_prize_per_team",
            "show_full_ranking",
        ]
        widgets = {
            name: LocalDateTimeInput()
            for name in (
                "registration_opens",
                "registration_closes",
                "hacking_starts",
                "submissions_close",
                "judging_ends",
            )
        }


class ChallengeForm(forms.ModelForm):
    class Meta:
        model = Challenge
        fields = ["number", "title", "partner", "description"]

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.edition = edition

    def clean_number(self):
        number = self.cleaned_data["number"]
        taken = Challenge.objects.filter(edition=self.instance.edition, number=number)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Another challenge of this edition has this number."))
        return number


class HostSiteForm(forms.ModelForm):
    class Meta:
        model = HostSite
        fields = ["name", "city", "address", "capacity"]

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.edition = edition

    def clean_name(self):
        name = self.cleaned_data["name"]
        taken = HostSite.objects.filter(edition=self.instance.edition, name=name)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Another host site of this edition has this name."))
        return name


class OrganizerForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the new organizer"))

    def clean_email(self):
        email = self.cleaned_data["email"]
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise forms.ValidationError(
                _("No account uses this address; ask the person to sign up first.")
            )
        self.user = user
        return email


class CloneEditionForm(forms.Form):
    """Next year's edition, cloned from this one: its year, web address and name."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    slug = forms.SlugField(
        label=_("Web address (slug)"),
        max_length=Edition._meta.get_field("slug").max_length,
        help_text=_("Letters, digits and hyphens, e.g. hackqc-2027."),
    )
    name = forms.CharField(label=_("Name"), max_length=Edition._meta.get_field("name").max_length)

    def __init__(self, *args, source, **kwargs):
        year = source.year + 1
        kwargs.setdefault(
            "initial",
            {
                "year": year,
                "slug": _next(source.slug, source.year, year)[:60],
                "name": _next(source.name, source.year, year)[:150],
            },
        )
        # Its own ids: the form sits on the dashboard beside others.
        kwargs.setdefault("auto_id", "id_clone_%s")
        super().__init__(*args, **kwargs)

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if Edition.objects.filter(slug=slug).exists():
            raise forms.ValidationError(
                _("Another edition already uses this address: choose another one.")
            )
        return slug


def _next(text, year, next_year):
    """`text` with `year` replaced by `next_year` ("HackQC 2026" → "HackQC 2027")."""
    if str(year) in text:
        return text.replace(str(year), str(next_year))
    return f"{text}-{next_year}" if " " not in text else f"{text} {next_year}"
