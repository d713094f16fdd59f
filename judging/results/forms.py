from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from judging.models import Round
from submissions.models import Submission

from .models import AwardPolicy, Prize


class PrizeForm(forms.ModelForm):
    class Meta:
        model = Prize
        fields = [
            "name",
            "description",
            "sponsor",
            "reward",
            "places",
            "eligibility",
            "challenge",
            "host_site",
            "round",
            "priority",
        ]

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.edition = edition
        self.fields["challenge"].queryset = edition.challenges.all()
        self.fields["host_site"].queryset = edition.host_sites.all()
        self.fields["round"].queryset = Round.objects.filter(edition=edition)
        self.fields["challenge"].help_text = _("Only for a prize of one challenge.")
        self.fields["host_site"].help_text = _("Only for a prize of one host site.")

    def clean(self):
        data = super().clean()
        eligibility = data.get("eligibility")
        if eligibility == Prize.Eligibility.CHALLENGE and not data.get("challenge"):
            self.add_error("challenge", _("Choose the challenge."))
        if eligibility == Prize.Eligibility.HOST_SITE and not data.get("host_site"):
            self.add_error("host_site", _("Choose the host site."))
        if eligibility != Prize.Eligibility.CHALLENGE:
            data["challenge"] = None
        if eligibility != Prize.Eligibility.HOST_SITE:
            data["host_site"] = None
        return data


class AwardPolicyForm(forms.ModelForm):
    class Meta:
        model = AwardPolicy
        fields = ["require_repository", "require_licence", "ranking_round"]

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["ranking_round"]
        field.queryset = Round.objects.filter(edition=edition).order_by("number")
        field.empty_label = _("The main jury round (default)")
        field.label_from_instance = round_label


def round_label(round_) -> str:
    if round_.sponsor:
        return _("%(round)s (sponsor's round: %(sponsor)s)") % {
            "round": round_.name,
            "sponsor": round_.sponsor,
        }
    return round_.name


class OverrideForm(forms.Form):
    submission = forms.ModelChoiceField(
        label=_("Winner of this place"),
        queryset=Submission.objects.none(),
        required=False,
        empty_label=_("Nobody (leave the place empty)"),
    )
    reason = forms.CharField(
        label=_("Reason (kept and shown to organizers)"),
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submission"].queryset = (
            Submission.objects.filter(edition=edition, state=Submission.State.SUBMITTED)
            .select_related("team")
            .order_by("title")
        )
        self.fields["submission"].label_from_instance = lambda s: f"{s.title} — {s.team.name}"


class PublishForm(forms.Form):
    at = forms.DateTimeField(
        label=_("Publish at (leave empty to publish now)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Time in Montréal. The results page opens by itself at that instant."),
    )

    def clean_at(self):
        at = self.cleaned_data.get("at")
        if at is not None and timezone.is_naive(at):
            at = timezone.make_aware(at)
        return at


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are the results withdrawn? (shown on the results page)"),
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
