from django import forms
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from judging.models import Round
from submissions.models import Submission

from .models import Award, AwardPolicy, Prize


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
    """The winner of one place, picked from the prize's eligible projects in rank order."""

    submission = forms.TypedChoiceField(
        label=_("Winner of this place"), coerce=int, empty_value=None
    )
    reason = forms.CharField(
        label=_("Reason (kept and shown to organizers)"),
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, award, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = override_candidates(award)
        self.fields["submission"].choices = [
            ("", _("Nobody (leave the place empty)")),
            *((s.pk, s.choice_label) for s in self.candidates),
        ]

    def clean_submission(self):
        pk = self.cleaned_data.get("submission")
        return next((s for s in self.candidates if s.pk == pk), None)


def override_candidates(award) -> list:
    """The prize's eligible submitted projects, ranked ones first in rank order (with rank
    and score in their label), then the unranked by title. Two queries."""
    prize, snapshot = award.prize, award.snapshot
    projects = Submission.objects.filter(
        edition_id=snapshot.edition_id, state=Submission.State.SUBMITTED
    ).select_related("team")
    if prize.challenge_id:
        projects = projects.filter(challenge_id=prize.challenge_id)
    projects = {s.pk: s for s in projects}
    entries = snapshot.rankings.get(str(prize.round_id), {}).get("entries", [])
    ranked = []
    for entry in entries:
        submission = projects.pop(entry["submission"], None)
        if submission is not None:
            submission.choice_label = _("%(rank)s. %(title)s — %(team)s (score %(score)s)") % {
                "rank": entry["rank"],
                "title": submission.title,
                "team": submission.team.name,
                "score": number_format(entry["score"], 3),
            }
            ranked.append(submission)
    rest = sorted(projects.values(), key=lambda s: (s.title, s.pk))
    for submission in rest:
        submission.choice_label = _("%(title)s — %(team)s (not ranked)") % {
            "title": submission.title,
            "team": submission.team.name,
        }
    return ranked + rest


class SwapForm(forms.Form):
    """Exchange this place's winner with another place of the same prize."""

    other = forms.TypedChoiceField(label=_("Swap with"), coerce=int)
    reason = forms.CharField(
        label=_("Reason (kept on both places)"),
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, award, **kwargs):
        super().__init__(*args, **kwargs)
        self.places = {
            a.pk: a
            for a in Award.objects.filter(
                snapshot_id=award.snapshot_id, prize_id=award.prize_id, place__isnull=False
            )
            .exclude(pk=award.pk)
            .select_related("submission", "prize", "snapshot__edition")
            .order_by("place")
        }
        self.fields["other"].choices = [
            (
                a.pk,
                _("Place %(place)s: %(title)s")
                % {"place": a.place, "title": a.submission.title if a.submission else "—"},
            )
            for a in self.places.values()
        ]

    def clean_other(self):
        return self.places.get(self.cleaned_data.get("other"))


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
