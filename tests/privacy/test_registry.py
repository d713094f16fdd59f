"""Every field that may hold personal data is declared: exported and erased, a record of
who did what, or said not to be personal. A model or field added tomorrow without saying
which fails here, with the line to add to its app's `privacy.py`."""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models

from hackqc.privacy import registry
from hackqc.privacy.exporting import build_export
from tests.privacy.people import everything

# Whole models that hold nothing about a person, or whose personal content ends with the
# account: Django's permission tables, and sessions, which stop working the moment an
# account is erased (it is disabled) and expire on their own.
EXEMPT = {"auth.Permission", "auth.Group", "contenttypes.ContentType", "sessions.Session"}
TEXT = (
    models.CharField,
    models.TextField,
    models.JSONField,
    models.FileField,
    models.GenericIPAddressField,
)


def may_be_personal(model_field) -> bool:
    if model_field.is_relation:
        return model_field.related_model is get_user_model()
    return isinstance(model_field, TEXT) or type(model_field).__name__ == "SearchVectorField"


def unclassified() -> list[str]:
    declared = {entry.model: entry for entry in registry.personal_data()}
    missing = []
    for model in apps.get_models():
        label = model._meta.label
        if label in EXEMPT:
            continue
        entry = declared.get(label)
        known = registry.classified(label)
        if entry is not None:
            known |= {entry.owner.split("__")[0], model._meta.pk.name}
        for model_field in model._meta.get_fields():
            if model_field.auto_created or not (model_field.concrete or model_field.many_to_many):
                continue
            if model_field.name in known:
                continue
            # A declared model's own values all say something about the person; its links
            # to other rows (round, edition, submission) are structure.
            structure = model_field.is_relation and not may_be_personal(model_field)
            if (entry is not None and not structure) or may_be_personal(model_field):
                missing.append(f"{label}.{model_field.name}")
    return missing


def test_every_field_that_may_be_personal_is_declared():
    assert unclassified() == [], (
        "Say in the app's privacy.py whether these fields are personal (PersonalData), "
        "a record of who did something (references) or not personal (not_personal)."
    )


def test_declared_fields_exist_and_policies_are_known():
    for entry in registry.personal_data():
        model = entry.model_class
        for name, policy in entry.fields.items():
            model._meta.get_field(name)  # raises FieldDoesNotExist on a typo
            assert policy in {registry.ERASE, registry.REPLACE, registry.KEEP}, entry.model
        assert entry.title
        assert entry.audience
    for label, names in {**registry.reference_fields()}.items():
        for name in names:
            related = apps.get_model(label)._meta.get_field(name).related_model
            assert related is get_user_model(), f"{label}.{name}"


def test_a_new_personal_field_fails_the_walk(monkeypatch):
    from teams.models import Registration

    extra = models.CharField("phone", max_length=20, blank=True)
    extra.set_attributes_from_name("phone")
    extra.model = Registration
    fields = [*Registration._meta.get_fields(), extra]
    monkeypatch.setattr(Registration._meta, "get_fields", lambda **kw: fields)
    assert "teams.Registration.phone" in unclassified()


@pytest.mark.django_db
def test_the_export_holds_every_declared_personal_field():
    user = everything()

    export = build_export(user)

    sections = {section["model"]: section for section in export["sections"]}
    assert set(sections) == {entry.model for entry in registry.personal_data()}
    for entry in registry.personal_data():
        rows = sections[entry.model]["rows"]
        assert rows, f"no row of {entry.model} for a person who has one"
        for name in entry.fields:
            assert name in rows[0], f"{entry.model}.{name} missing from the export"
    registration = sections["teams.Registration"]["rows"][0]
    assert registration["organisation"] == "Université Laval"
    assert registration["skills"] == ["Python"]
    assert sections["hackqc.User"]["rows"][0]["email"] == "camille@example.org"
    assert "pbkdf2" not in str(export)
    assert "md5$" not in str(export)
    mentioned = {(m["model"], m["field"]) for m in export["mentions"]}
    assert ("teams.TeamLog", "actor") in mentioned


def test_docs_describe_every_declared_field():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "privacy.md").read_text()
    for entry in registry.personal_data():
        section = doc.split(f"### `{entry.model}`", 1)
        assert len(section) == 2, f"docs/privacy.md has no section for {entry.model}"
        table = section[1].split("###", 1)[0]
        for name in entry.fields:
            assert f"| `{name}` |" in table, f"docs/privacy.md: {entry.model}.{name}"
