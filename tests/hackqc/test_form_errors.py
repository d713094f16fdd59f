"""One helper shows every service's refusal on its form (issue 13: there were six)."""

import pytest
from django import forms
from django.core.exceptions import ValidationError

from hackqc.exceptions import HackQCError
from hackqc.form_errors import show_refusal


class NameForm(forms.Form):
    name = forms.CharField()


def _form():
    form = NameForm({"name": "Castors"})
    assert form.is_valid()
    return form


def test_a_refusal_naming_a_field_of_the_form_stands_next_to_it():
    form = _form()

    show_refusal(form, HackQCError("Ce nom est pris.", field="name"))

    assert form.errors == {"name": ["Ce nom est pris."]}


@pytest.mark.parametrize("field", [None, "deadline", 42])
def test_a_refusal_naming_no_field_of_the_form_stands_above_it(field):
    form = _form()

    show_refusal(form, HackQCError("Trop tard.", field=field))

    assert form.non_field_errors() == ["Trop tard."]


def test_a_validation_error_by_field_goes_field_by_field():
    form = _form()

    show_refusal(form, ValidationError({"name": "Trop long.", "slug": "Déjà pris."}))

    assert form.errors["name"] == ["Trop long."]
    assert form.non_field_errors() == ["Déjà pris."]


def test_a_plain_validation_error_stands_above_the_form():
    form = _form()

    show_refusal(form, ValidationError(["Un.", "Deux."]))

    assert form.non_field_errors() == ["Un.", "Deux."]


def test_no_view_turns_a_refusal_into_a_form_error_by_hand():
    from tests.conftest import ROOT_DIR

    by_hand = [
        str(path.relative_to(ROOT_DIR))
        for app in ("hackqc", "teams", "submissions", "judging")
        for path in (ROOT_DIR / app).rglob("*.py")
        if "form.add_error(exc.field" in (text := path.read_text(encoding="utf-8"))
        or "form.add_error(error.field" in text
        or 'form.add_error(getattr(error, "field"' in text
    ]

    assert by_hand == []
