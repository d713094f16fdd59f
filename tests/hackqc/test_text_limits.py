"""Every text a person can type is bounded, in the model (and so the widget) and in the form:
a 10 MB description is refused at the door instead of being stored and rendered."""

import inspect

import pytest
from django import forms
from django.apps import apps
from django.db import models

PROJECT_APPS = {"hackqc", "teams", "submissions", "catalogue", "judging", "results"}
# Text no person types: copied from the CKAN portal or derived from other fields. The markdown
# renderer bounds what it reads of them anyway (hackqc.markdown.MAX_RENDERED_CHARS).
UNBOUNDED = {
    ("catalogue", "Dataset", "description"),
    ("catalogue", "Dataset", "search_text"),
    ("judging", "OrganizerJob", "message"),  # written by the site (a job's outcome), never typed
}


def project_text_fields():
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.CharField | models.TextField):
                yield model, field


def project_form_classes():
    import importlib

    modules = [
        "hackqc.forms",
        "teams.forms",
        "submissions.forms",
        "submissions.catalogue.forms",
        "judging.forms",
        "judging.results.forms",
    ]
    for name in modules:
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == name:
                yield cls


def test_every_text_field_of_the_models_has_a_length_cap():
    uncapped = {
        (model._meta.app_label, model.__name__, field.name)
        for model, field in project_text_fields()
        if field.max_length is None
    }
    assert uncapped == UNBOUNDED


def test_every_text_field_of_the_forms_has_a_length_cap():
    uncapped = []
    for form_class in project_form_classes():
        for name, field in form_class.base_fields.items():
            typed = isinstance(field, forms.CharField) and not isinstance(
                field, forms.EmailField | forms.URLField
            )
            if typed and field.max_length is None:
                uncapped.append(f"{form_class.__name__}.{name}")
    assert uncapped == []


@pytest.mark.django_db
def test_sheet_form_refuses_a_description_past_its_cap(edition):
    from submissions.forms import SheetForm
    from submissions.models import Submission

    cap = Submission._meta.get_field("description").max_length
    data = {"description": "x" * (cap + 1), "lock_version": 1, "licence": ""}
    form = SheetForm(data=data, edition=edition)

    assert not form.is_valid()
    assert "description" in form.errors


def test_review_form_refuses_feedback_past_its_cap():
    from judging.forms import ReviewForm

    form = ReviewForm(data={"feedback": "x" * 5_001, "version": 0}, criteria=[])

    assert not form.is_valid()
    assert list(form.errors) == ["feedback"]
