"""The organizer's table plan of a pairwise round: see it, edit its numbers, number the
tables in order, and print it for the expo floor."""

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hackqc.exceptions import ConcurrentEditError, HackQCError
from judging.models import Round
from judging.permissions import get_round_for_organizer

from . import tables


class TablePlanForm(forms.Form):
    """One table number per project of the round (empty: no table)."""

    version = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.projects = projects
        for project in projects:
            self.fields[f"table_{project.pk}"] = forms.IntegerField(
                label=gettext_lazy("Table of %(project)s") % {"project": project},
                required=False,
                min_value=1,
                max_value=tables.MAX_TABLE,
                initial=project.table_number,
            )

    def rows(self):
        """(project, its bound field) in the plan's order, for the template."""
        return [(project, self[f"table_{project.pk}"]) for project in self.projects]

    def numbers(self) -> dict[int, int | None]:
        return {p.pk: self.cleaned_data[f"table_{p.pk}"] for p in self.projects}


class InOrderForm(forms.Form):
    order = forms.ChoiceField(
        label=gettext_lazy("Number the tables 1, 2, 3… in the order of"),
        choices=list(tables.ORDERS.items()),
        initial=tables.BY_TABLE,
        widget=forms.RadioSelect,
    )


def _pairwise_round(request, slug, number):
    round = get_round_for_organizer(request.user, slug, number)
    if round.mode != Round.Mode.PAIRWISE:
        raise Http404
    return round


def tables_view(request, slug, number):
    """GET: the plan with a number field per project; POST `save`: the numbers typed;
    POST `in_order`: every table numbered again in the order chosen."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    round = _pairwise_round(request, slug, number)
    projects = tables.table_plan(round)
    version = tables.plan_version(
        {p.pk: p.table_number for p in projects if p.table_number is not None}
    )
    saving, ordering = "save" in request.POST, "in_order" in request.POST
    form = TablePlanForm(
        request.POST if saving else None, projects=projects, initial={"version": version}
    )
    order_form = InOrderForm(request.POST if ordering else None)
    if request.method == "POST":
        if saving and form.is_valid():
            try:
                changed = tables.set_table_numbers(
                    round,
                    by=request.user,
                    numbers=form.numbers(),
                    expected=form.cleaned_data["version"] or None,
                )
            except ConcurrentEditError as error:
                # Keep what was typed; the next save is made knowing the plan changed.
                form.data = form.data.copy()
                form.data["version"] = version
                form.add_error(None, error.message)
            except HackQCError as error:
                field = f"table_{error.field}" if error.field is not None else None
                form.add_error(field if field in form.fields else None, error.message)
            else:
                messages.success(
                    request, _("Table plan saved: %(n)s projects moved.") % {"n": changed}
                )
                return redirect("judging:expo_tables", slug=slug, number=number)
        elif ordering and order_form.is_valid():
            try:
                changed = tables.number_tables_in_order(
                    round, by=request.user, order=order_form.cleaned_data["order"]
                )
            except HackQCError as error:
                order_form.add_error(None, error.message)
            else:
                messages.success(
                    request, _("Tables numbered in order: %(n)s projects moved.") % {"n": changed}
                )
                return redirect("judging:expo_tables", slug=slug, number=number)
        elif not (saving or ordering):
            messages.error(request, _("This request could not be read: please try again."))
    return render(
        request,
        "judging/organize/table_plan.html",
        {
            "edition": round.edition,
            "round": round,
            "form": form,
            "order_form": order_form,
            "editable": tables.is_plan_editable(round),
            "numbered": sum(1 for p in projects if p.table_number is not None),
            "projects": projects,
        },
    )


def tables_print_view(request, slug, number):
    """The plan to print for the expo floor: by table, then an index by team."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    round = _pairwise_round(request, slug, number)
    projects = tables.table_plan(round)
    return render(
        request,
        "judging/organize/table_plan_print.html",
        {
            "edition": round.edition,
            "round": round,
            "projects": projects,
            "by_team": sorted(projects, key=lambda p: (p.team.name.casefold(), p.pk)),
        },
    )
