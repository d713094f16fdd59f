import math

from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from hackqc.forms import LocalDateTimeInput, ModelMultipleChoiceField
from teams.models import Team

from .models import Criterion, Judge, Round
from .queries import round_submissions


class InviteJudgeForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    sponsor = forms.CharField(
        label=_("Sponsor (optional)"),
        max_length=200,
        required=False,
        help_text=_("Fill in to limit this judge to the rounds of that sponsor's prize."),
    )


class JudgeProfileForm(forms.Form):
    organisation = forms.CharField(
        label=_("Your organisation"),
        max_length=200,
        required=False,
        help_text=_(
            "Your employer or school. Teams with a member from the same organisation are "
            "never assigned to you."
        ),
    )
    preferred_challenges = ModelMultipleChoiceField(
        label=_("Challenges you prefer to judge"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preferred_challenges"].queryset = edition.challenges.order_by("number")


class ConflictForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=None, required=False)
    organisation = forms.CharField(
        label=_("Or an organisation"),
        max_length=200,
        required=False,
        help_text=_("Every team with a member from this organisation."),
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=2_000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, edition, judges=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(edition=edition).order_by("name")
        if judges is not None:
            self.fields["judge"] = forms.ModelChoiceField(label=_("Judge"), queryset=judges)
            self.order_fields(["judge", "team", "organisation", "reason"])

    def clean(self):
        data = super().clean()
        if not data.get("team") and not (data.get("organisation") or "").strip():
            self.add_error("team", _("Name a team or an organisation."))
        if data.get("team") and (data.get("organisation") or "").strip():
            self.add_error("organisation", _("Name either a team or an organisation, not both."))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2_000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReopenRoundForm(forms.Form):
    reason = forms.CharField(
        label=_("Why reopen the round? (kept in the round's log)"),
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    until = forms.DateTimeField(
        label=_("Reopen until"),
        required=False,
        widget=LocalDateTimeInput(),
        help_text=_("Time in Montréal. Needed when the round's end has passed."),
    )


class OptionalReasonForm(forms.Form):
    """The optional reason of a one-click organizer action (remove an assignment, withdraw a
    judge): bounded and free of NUL characters like any other typed text."""

    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def error_message(self):
        return self.errors["reason"][0]


class RoundForm(forms.ModelForm):
    class Meta:
        model = Round
        fields = [
            "name",
            "mode",
            "opens_at",
            "closes_at",
            "judges_per_submission",
            "assignment_mode",
            "scope",
            "scope_challenge",
            "source_round",
            "sponsor",
            "method",
            "missing_policy",
            "use_median",
            "bias_lambda",
            "normalise_scales",
            "pairwise_alpha",
        ]
        widgets = {"opens_at": LocalDateTimeInput(), "closes_at": LocalDateTimeInput()}

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        # Left out of a post, the mode stays the usual one (older forms, scripts).
        self.fields["assignment_mode"].required = False
        self.fields["mode"].required = False
        self.fields["pairwise_alpha"].required = False
        self.fields["scope_challenge"].queryset = edition.challenges.order_by("number")
        rounds = edition.rounds.order_by("number")
        if self.instance.pk:
            rounds = rounds.exclude(pk=self.instance.pk)
        self.fields["source_round"].queryset = rounds
        self.fields["judges_per_submission"].validators.append(MinValueValidator(1))

    def clean_assignment_mode(self):
        return self.cleaned_data.get("assignment_mode") or Round.AssignmentMode.BALANCED

    def clean_mode(self):
        return self.cleaned_data.get("mode") or Round.Mode.SCORED

    def clean_pairwise_alpha(self):
        value = self.cleaned_data.get("pairwise_alpha")
        if value is None:
            return Round._meta.get_field("pairwise_alpha").default
        if not (math.isfinite(value) and 0 < value <= 100):
            raise forms.ValidationError(_("Give a number above 0 and at most 100."))
        return value

    def clean(self):
        data = super().clean()
        # A pairwise round is ranked by its comparisons: the mode decides the method.
        if data.get("mode") == Round.Mode.PAIRWISE:
            data["method"] = Round.Method.PAIRWISE
        elif data.get("method") == Round.Method.PAIRWISE:
            self.add_error(
                "method", _("Only a round judged by pairwise comparisons uses this method.")
            )
        return data


class CopyRubricForm(forms.Form):
    """Another round, of an edition the organizer runs, whose rubric to copy."""

    source = forms.ModelChoiceField(label=_("Copy the rubric of"), queryset=None)

    def __init__(self, *args, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = rounds
        self.fields["source"].label_from_instance = lambda r: f"{r.edition.name} — {r.name}"


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = [
            "name",
            "description",
            "low_label",
            "high_label",
            "weight",
            "min_value",
            "max_value",
            "is_tiebreak",
            "order",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        data = super().clean()
        low, high = data.get("min_value"), data.get("max_value")
        if low is not None and high is not None and high <= low:
            self.add_error("max_value", _("The highest score must be above the lowest."))
        weight = data.get("weight")
        if weight is not None and weight < 0:
            self.add_error("weight", _("A weight cannot be negative."))
        return data


def criterion_field_name(criterion) -> str:
    return f"criterion_{criterion.pk}"


class ScoreField(forms.FloatField):
    """A score typed the French way ("7,5") or the English way ("7.5"), in either language."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace("\u00a0", "").replace(" ", "")
            if value.count(",") == 1 and "." not in value:
                value = value.replace(",", ".")
        return super().to_python(value)


class ReviewForm(forms.Form):
    """One field per criterion (empty allowed), feedback, private note and the version seen."""

    feedback = forms.CharField(
        label=_("Feedback for the team"),
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The team reads this once results are published."),
    )
    private_note = forms.CharField(
        label=_("Private note for the jury"),
        required=False,
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only organizers read it; never shown to the team or other judges."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for c in self.criteria:
            self.fields[criterion_field_name(c)] = ScoreField(
                label=c.name,
                required=False,
                min_value=c.min_value,
                max_value=c.max_value,
                localize=True,
                help_text=_("From %(low)s to %(high)s.")
                % {"low": c.min_value, "high": c.max_value},
            )

    def criterion_rows(self):
        """(criterion, bound field) pairs, to show each criterion's descriptions beside it."""
        return [(c, self[criterion_field_name(c)]) for c in self.criteria]

    def values(self) -> dict[int, float | None]:
        return {c.pk: self.cleaned_data.get(criterion_field_name(c)) for c in self.criteria}

    def empty_criteria(self) -> list:
        """Criteria left without a score (allowed, but worth a second look before submitting)."""
        return [c for c in self.criteria if self.cleaned_data.get(criterion_field_name(c)) is None]


class RecuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you must step aside"),
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class PinForm(forms.Form):
    judge = forms.ModelChoiceField(label=_("Judge"), queryset=None)
    submission = forms.ModelChoiceField(label=_("Project"), queryset=None)

    def __init__(self, *args, round, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["judge"].queryset = (
            Judge.objects.filter(edition=round.edition, sponsor=round.sponsor)
            .exclude(accepted_at=None)
            .select_related("user")
        )
        self.fields["submission"].queryset = round_submissions(round).order_by("title")


class FinalistsForm(forms.Form):
    target = forms.ModelChoiceField(label=_("Into the round"), queryset=None)
    top_n = forms.IntegerField(label=_("Top per challenge"), min_value=0, initial=2)
    wildcards = forms.IntegerField(
        label=_("Wildcards"),
        min_value=0,
        initial=0,
        help_text=_("The best others by score normalised within their challenge."),
    )

    def __init__(self, *args, round, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = round.next_rounds.filter(scope=Round.Scope.FINALISTS)
