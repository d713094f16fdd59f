from django import forms
from django.utils.translation import gettext_lazy as _

from hackqc.forms import LocalDateTimeInput


class VoteWindowForm(forms.Form):
    prize = forms.ModelChoiceField(label=_("Prize decided by the public"), queryset=None)
    opens_at = forms.DateTimeField(label=_("Voting opens at"), widget=LocalDateTimeInput())
    closes_at = forms.DateTimeField(label=_("Voting closes at"), widget=LocalDateTimeInput())

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        # Imported here: the vote decides one of the results app's prizes, and the results
        # app (above the jury's) calls the vote's count.
        from judging.results.models import Prize

        self.fields["prize"].queryset = Prize.objects.filter(edition=edition, round=None)


class VoteForm(forms.Form):
    submission = forms.IntegerField(min_value=1, max_value=2**31 - 1)


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2_000, widget=forms.Textarea)
