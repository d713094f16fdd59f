from django import forms
from django.contrib.auth import get_user_model
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from .models import Registration, Team
from .services.corrections import CORRECTABLE


def split_skills(text):
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


class SkillsField(forms.CharField):
    """Skills typed as a comma-separated list, cleaned to a list of names."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 500)
        kwargs.setdefault("help_text", _("Separate skills with commas, e.g. Python, cartography."))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(str(item) for item in value)
        return value

    def clean(self, value):
        return split_skills(super().clean(value) or "")


# The consent to be shown says exactly who sees what (hackqc.privacy.consents: its version).
SHOW_PROFILE_HELP = _(
    "Separate from the rules. With it, other participants (the team board), the judges "
    "of your project and the public (your project's page) see your name, and other "
    "participants and the public your organisation, bio and skills. Without it, only "
    "your teammates and the organizers see them. You can change it at any time; it "
    "takes effect at once, on every page (Québec's Law 25)."
)


class RegistrationForm(forms.ModelForm):
    skills = SkillsField(label=_("Skills"))
    accept_rules = forms.BooleanField(
        label=_("I accept the rules and the code of conduct of this edition."), required=True
    )

    class Meta:
        model = Registration
        fields = [
            "role",
            "organisation",
            "participant_type",
            "bio",
            "looking_for_team",
            "show_profile",
            "host_site",
            "dietary_needs",
            "accessibility_needs",
        ]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}

    # The version the person was shown: a newer one published meanwhile must be read first.
    rules_version = forms.CharField(widget=forms.HiddenInput, required=False, max_length=30)

    def __init__(
        self, *args, rules_version="", rules_links=(), edition=None, team_site=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self._limit_host_sites(edition, team_site)
        if self.instance.pk:
            del self.fields["accept_rules"]
            del self.fields["rules_version"]
            self.initial["skills"] = [skill.name for skill in self.instance.skills.all()]
        else:
            self.initial["rules_version"] = rules_version
            self.fields["accept_rules"].help_text = format_html_join(
                " · ", '<a href="{}" target="_blank" rel="noopener">{}</a>', rules_links
            ) or _("Version %(version)s.") % {"version": rules_version}
        self.fields["show_profile"].help_text = SHOW_PROFILE_HELP

    def _limit_host_sites(self, edition, team_site):
        """The edition's sites, with their seats left; no choice when the edition has none or
        the person's team chose for them."""
        if edition is None or team_site is not None or not edition.host_sites.exists():
            del self.fields["host_site"]
            return
        field = self.fields["host_site"]
        field.queryset = edition.host_sites.order_by("name")
        field.label_from_instance = site_label


def site_label(site):
    if site.capacity is None:
        return str(site)
    return _("%(site)s — %(capacity)s seats") % {"site": site, "capacity": site.capacity}


class ConsentForm(forms.ModelForm):
    """Once teams are frozen, only the consent to be shown can still change."""

    class Meta:
        model = Registration
        fields = ["show_profile"]
        help_texts = {"show_profile": SHOW_PROFILE_HELP}


class LateRegistrationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the person's account"))
    role = forms.ChoiceField(label=_("Role"), choices=Registration.Role.choices)
    organisation = forms.CharField(
        label=_("Organisation or school"), max_length=200, required=False
    )
    participant_type = forms.ChoiceField(
        label=_("Participant type"), choices=Registration.ParticipantType.choices
    )
    accept_rules = forms.BooleanField(
        label=_("The person accepted the rules and the code of conduct."), required=True
    )

    def clean_email(self):
        email = self.cleaned_data["email"]
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise forms.ValidationError(
                _("No account uses this address: the person must sign up first.")
            )
        self.cleaned_data["user"] = user
        return email


class TeamForm(forms.ModelForm):
    skills = SkillsField(label=_("Skills the team looks for"))

    class Meta:
        model = Team
        fields = ["name", "challenge", "host_site", "description", "is_open"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["challenge"].queryset = edition.challenges.order_by("number")
        sites = edition.host_sites.order_by("name")
        if sites.exists():
            self.fields["host_site"].queryset = sites
        else:
            del self.fields["host_site"]
        if self.instance.pk:
            self.initial["skills"] = [skill.name for skill in self.instance.wanted_skills.all()]

    def validate_unique(self):
        """Name uniqueness is checked by the service, with its own message."""


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the person to invite"))


class JoinCodeForm(forms.Form):
    code = forms.CharField(label=_("Join code"), max_length=20)


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the captain"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MoveForm(forms.Form):
    """Rendered by hand in the organizers' team list: one loop for 500 teams, no per-option
    template."""

    participant = forms.EmailField(label=_("E-mail address of the participant"))
    team = forms.ModelChoiceField(label=_("Destination team"), queryset=None, required=False)

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.edition = edition
        self.fields["team"].queryset = Team.objects.filter(edition=edition)

    def clean_participant(self):
        email = self.cleaned_data["participant"]
        user = (
            get_user_model()
            .objects.filter(
                email__iexact=email,
                registrations__edition=self.edition,
                registrations__role=Registration.Role.PARTICIPANT,
            )
            .first()
        )
        if user is None:
            raise forms.ValidationError(_("No participant of this edition uses this address."))
        return user


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Check-in code"),
        max_length=40,
        help_text=_("The ten characters under the person's QR code; dashes and spaces ignored."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class CorrectionForm(forms.ModelForm):
    """An organizer's correction of one registration; the reason goes to the person."""

    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required. Sent to the person by mail with what changed."),
    )

    class Meta:
        model = Registration
        fields = list(CORRECTABLE)  # what the service accepts, in one place
        labels = {"show_profile": _("The person consents to be shown to other participants")}
        # The model's help texts speak to the person; here an organizer reads them.
        help_texts = {
            "host_site": "",
            "dietary_needs": "",
            "accessibility_needs": "",
            "show_profile": "",
        }

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        sites = edition.host_sites.order_by("name")
        if not sites.exists():
            del self.fields["host_site"]
            return
        self.fields["host_site"].queryset = sites
        self.fields["host_site"].label_from_instance = site_label
