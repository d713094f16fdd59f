import hashlib
from urllib.parse import urlsplit

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import conflicts
from .models import Submission

TEXTAREA = forms.Textarea(attrs={"rows": 5})


def _https_urls(db_field, **kwargs):
    """Addresses typed without a scheme are taken as https (Django 6 default)."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class SheetForm(forms.ModelForm):
    """Sections A, B (technologies) and C, and the links; libraries are a formset beside it."""

    technologies = forms.CharField(
        label=_("Technologies"),
        required=False,
        max_length=1000,
        help_text=_("Separated by commas: Python, Django, PostGIS…"),
    )
    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    # Fingerprints of the fields as loaded: a stale save is then merged field by field.
    base = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)

    # The rules' sections of the project sheet (docs/domain.md), in the form's order.
    SECTIONS = (
        ("a", _("A. The project"), ("title", "pitch", "description", "challenge",
                                     "welcomes_members")),
        ("b", _("B. Data and technology"), ("technologies",)),
        ("c", _("C. Results and code"), ("achievements", "difficulties", "lessons",
                                         "next_steps", "repository_url", "licence",
                                         "demo_url", "video_url")),
    )  # fmt: skip

    class Meta:
        model = Submission
        formfield_callback = _https_urls
        fields = [
            "title",
            "pitch",
            "description",
            "challenge",
            "welcomes_members",
            "technologies",
            "achievements",
            "difficulties",
            "lessons",
            "next_steps",
            "repository_url",
            "licence",
            "demo_url",
            "video_url",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "achievements": TEXTAREA,
            "difficulties": TEXTAREA,
            "lessons": TEXTAREA,
            "next_steps": TEXTAREA,
        }
        help_texts = {
            "description": _("Markdown: **bold**, lists, links. Shown on the project page."),
            "repository_url": _("A public forge: GitHub, GitLab, Codeberg…"),
            "licence": _("An OSI-approved licence is recommended."),
        }

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        _tie_to_sheet_form(self)
        self.fields["challenge"].queryset = edition.challenges.order_by("number")
        if not self.is_bound and self.instance.pk:
            self.initial["technologies"] = ", ".join(
                t.name for t in self.instance.technologies.all()
            )
            self.initial["lock_version"] = self.instance.lock_version
            self.initial["base"] = conflicts.digest(conflicts.saved_values(self.instance))

    def sections(self):
        """(key, title, bound fields) for each of sections A, B and C."""
        return [(key, title, [self[name] for name in names]) for key, title, names in self.SECTIONS]

    def clean_technologies(self):
        value = self.cleaned_data["technologies"]
        return [name.strip() for name in value.split(",") if name.strip()]

    def clean_repository_url(self):
        url = self.cleaned_data["repository_url"]
        if url and not is_public_repository_url(url):
            raise forms.ValidationError(
                _(
                    "Give the public https:// address of the repository on a forge, such as "
                    "https://github.com/team/project."
                )
            )
        return url


def _tie_to_sheet_form(form):
    """The sheet's fields sit in sections around other forms: the HTML `form` attribute
    ties each one to the sheet's form element."""
    for field in form.fields.values():
        field.widget.attrs["form"] = "sheet-form"


def is_public_repository_url(url: str) -> bool:
    """An https address on a named public host with at least an owner and a project in its
    path (GitHub, GitLab, Codeberg, SourceHut, a self-hosted forge…), not a bare domain, a
    local host or an IP address."""
    import ipaddress

    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    try:
        ipaddress.ip_address(host)
        return False
    except ValueError:
        pass
    segments = [segment for segment in parts.path.split("/") if segment]
    return (
        parts.scheme == "https"
        and "." in host
        and not host.endswith((".local", ".localhost", ".internal"))
        and len(segments) >= 2
    )


class LibraryForm(forms.Form):
    name = forms.CharField(label=_("Library"), max_length=100, required=False)
    version = forms.CharField(label=_("Version"), max_length=40, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _tie_to_sheet_form(self)

    def clean(self):
        data = super().clean()
        if data.get("name") and not data.get("version"):
            self.add_error("version", _("Give the version of this library."))
        if data.get("version") and not data.get("name"):
            self.add_error("name", _("Name the library of this version."))
        return data


LibraryFormSet = forms.formset_factory(LibraryForm, extra=2, max_num=60, absolute_max=60)


def library_initial(submission):
    return [{"name": lib.name, "version": lib.version} for lib in submission.libraries.all()]


def sheet_form_data(values) -> dict:
    """POST data for SheetForm and LibraryFormSet from values keyed like the sheet's
    fields (model instances, lists and pairs as the services take them)."""
    data = {}
    for name in conflicts.MERGED_FIELDS:
        value = values.get(name)
        if name == "technologies":
            data[name] = value if isinstance(value, str) else ", ".join(value or [])
        elif name == "challenge":
            data[name] = str(getattr(value, "pk", value) or "")
        elif name == "welcomes_members":
            if value:
                data[name] = "on"
        elif name != "libraries":
            data[name] = value or ""
    pairs = list(values.get("libraries") or [])
    data.update({"libraries-TOTAL_FORMS": str(len(pairs) + 2), "libraries-INITIAL_FORMS": "0"})
    for index, (name, version) in enumerate([*pairs, ("", ""), ("", "")]):
        data[f"libraries-{index}-name"] = name
        data[f"libraries-{index}-version"] = version
    return data


def library_pairs(formset):
    return [
        (form.cleaned_data["name"], form.cleaned_data["version"])
        for form in formset.forms
        if form.cleaned_data.get("name")
    ]


class DatasetLinkForm(forms.Form):
    dataset = forms.CharField(
        label=_("Dataset"),
        max_length=500,
        help_text=_("Paste its Données Québec URL, or type its name, identifier or title."),
        widget=forms.TextInput(attrs={"data-autocomplete": "dataset", "autocomplete": "off"}),
    )
    usage = forms.CharField(
        label=_("How the project uses it"), max_length=500, widget=forms.TextInput
    )
    resources = forms.CharField(
        label=_("Resources used (optional)"),
        required=False,
        max_length=3000,
        help_text=_("One resource URL or identifier per line."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_resources(self):
        lines = self.cleaned_data["resources"].splitlines()
        return [line.strip()[:300] for line in lines if line.strip()][:30]


class LogoForm(forms.Form):
    image = forms.FileField(
        label=_("Logo"), help_text=_("PNG, JPEG or WebP, at most 10 MB and 40 megapixels.")
    )

    def __init__(self, *args, **kwargs):
        # Both upload forms have an `image` field on one page: distinct ids.
        kwargs.setdefault("auto_id", "id_logo_%s")
        super().__init__(*args, **kwargs)


class ScreenshotForm(forms.Form):
    image = forms.FileField(
        label=_("Screenshot"), help_text=_("PNG, JPEG or WebP, at most 10 MB and 40 megapixels.")
    )
    alt_text = forms.CharField(
        label=_("What the screenshot shows"),
        max_length=200,
        help_text=_("Read aloud to people who cannot see the image."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_screenshot_%s")
        super().__init__(*args, **kwargs)


class SubmitForm(forms.Form):
    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class CompareForm(forms.Form):
    """Two submitted versions of a sheet to compare (GET)."""

    old = forms.TypedChoiceField(label=_("Compare version"), coerce=int)
    new = forms.TypedChoiceField(label=_("with version"), coerce=int)

    def __init__(self, *args, numbers, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(n, n) for n in numbers]
        self.fields["old"].choices = choices
        self.fields["new"].choices = choices

    def clean(self):
        data = super().clean()
        if data.get("old") is not None and data.get("old") == data.get("new"):
            raise forms.ValidationError(_("Choose two different versions."))
        return data


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2_000, widget=forms.Textarea(attrs={"rows": 3})
    )
    until = forms.DateTimeField(
        label=_("The team may submit until"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class DisqualifyForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2_000, widget=forms.Textarea(attrs={"rows": 3})
    )


class GalleryFilterForm(forms.Form):
    """Validates the gallery's GET filters. The template renders the selects itself in one
    loop each: a widget per option would be thousands of template renders."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    challenge = forms.IntegerField(label=_("Challenge"), required=False, min_value=1)
    dataset = forms.IntegerField(label=_("Dataset"), required=False, min_value=1)
    organization = forms.IntegerField(
        label=_("Organisation of the data"), required=False, min_value=1
    )
    technology = forms.IntegerField(label=_("Technology"), required=False, min_value=1)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.choices = choices

    def selects(self):
        """(field, choices, selected value) for each filter but the search box."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return [
            (self[name], self.choices[name], data.get(name))
            for name in ("challenge", "dataset", "organization", "technology")
        ]


def rendering_key(*forms) -> str:
    """A digest of everything the fields of unbound `forms` render from: their names, ids,
    kinds, widgets and attributes, labels and help texts (in the active language), values
    and choices. Two forms with the same key render the same HTML, so the sheet page renders
    its fields once per content (`hackqc.pagecache.Page` with no areas), not once per
    request: they were half of its cost. A changed value, choice or form definition is a
    new key, never a stale form."""
    parts = []
    for form in forms:
        if form.is_bound:
            raise ValueError("A bound form shows what was typed and its errors: never cached.")
        for bound in form:
            field = bound.field
            queryset = getattr(field, "queryset", None)
            choices = (
                [(choice.pk, str(choice)) for choice in queryset]
                if queryset is not None
                else [(str(key), str(label)) for key, label in getattr(field, "choices", ())]
            )
            parts.append(
                (
                    type(form).__name__,
                    bound.html_name,
                    bound.auto_id,
                    type(field).__name__,
                    type(field.widget).__name__,
                    sorted((str(k), str(v)) for k, v in field.widget.attrs.items()),
                    field.required,
                    field.disabled,
                    str(bound.label),
                    str(bound.help_text),
                    repr(bound.value()),
                    choices,
                )
            )
    return hashlib.sha256(repr(parts).encode()).hexdigest()
