"""Which fields of which models are personal data, how each is exported and erased.

Each app describes its own models in `<app>/privacy.py` (imported by its AppConfig), with:

- `register(PersonalData(...))`: a model whose rows belong to a person (`owner` is the
  lookup from the model to the user). Each personal field names what erasure does to it:
  `ERASE` (emptied), `REPLACE` (the app's `erase` hook puts a neutral value in its place) or
  `KEEP` (kept because the competition needs it and, the account being anonymised, it no
  longer identifies anyone; the reason is said on the privacy page and in docs/privacy.md).
- `references(label, *fields)`: links to a user that record who did something (an
  organizer's decision, a log entry). The row stays; the user it points to is anonymised.
- `not_personal(label, *fields)`: fields that hold no personal data (said once, here).

`tests/hackqc/test_privacy_registry.py` walks every model: a field that may hold personal
data (text, e-mail, JSON, file, link to a user) and is in none of these fails the test.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.utils.functional import Promise

ERASE, REPLACE, KEEP = "erase", "replace", "keep"


@dataclass
class PersonalData:
    model: str  # "teams.Registration"
    owner: str  # lookup from the model to the user: "user", "judge__user"
    fields: dict[str, str]  # personal field -> ERASE, REPLACE or KEEP
    title: Promise | str  # the section of the export and of the privacy page
    audience: Promise | str  # who sees these rows, in the person's words
    # How the rows are told apart in the export: field -> dotted attribute ("edition.name").
    context: dict[str, str] = field(default_factory=dict)
    # Runs before the generic emptying of ERASE fields: hands over a captainship, replaces
    # names. `erase(user, erased)` where `erased` is the ErasedAccount.
    erase: Callable | None = None
    # The lookup from the model to its edition, for retention ("edition", "team__edition").
    edition: str | None = None
    kept_because: Promise | str = ""
    # Retention, for REPLACE fields: `retire(edition)` neutralises them for a whole edition.
    retire: Callable | None = None
    # Rows about the person beyond those `owner` leads to (an invitation sent to their
    # address, not yet accepted): `also(user)` returns a Q on the model.
    also: Callable | None = None

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    def rows(self, user):
        mine = Q(**{self.owner: user.pk})
        if self.also is not None:
            mine |= self.also(user)
        return self.model_class._default_manager.filter(mine)

    def fields_with(self, policy) -> list[str]:
        return [name for name, p in self.fields.items() if p == policy]


_personal: dict[str, PersonalData] = {}
_references: dict[str, set[str]] = {}
_not_personal: dict[str, set[str]] = {}


def register(entry: PersonalData) -> PersonalData:
    """Declares `entry`; registering the same model twice replaces it (reloads, tests)."""
    _personal[entry.model] = entry
    return entry


def personal_data_of(label: str) -> PersonalData | None:
    """The declaration of model `label` ("teams.Registration") if its rows belong to a person."""
    return _personal.get(label)


def references(label: str, *fields: str) -> None:
    _references.setdefault(label, set()).update(fields)


def not_personal(label: str, *fields: str) -> None:
    _not_personal.setdefault(label, set()).update(fields)


def personal_data() -> list[PersonalData]:
    """Every declared model, in the order of registration (core first, as apps load)."""
    return list(_personal.values())


def reference_fields() -> dict[str, set[str]]:
    return {label: set(names) for label, names in _references.items()}


def classified(label: str) -> set[str]:
    """The fields of `label` said to be personal, references or not personal."""
    entry = _personal.get(label)
    return (
        set(entry.fields if entry else ())
        | _references.get(label, set())
        | _not_personal.get(label, set())
    )


def json_value(obj, name):
    """A field's value as JSON: files by name, relations by their text, m2m as lists."""
    model_field = obj._meta.get_field(name)
    if model_field.many_to_many:
        return sorted(str(item) for item in getattr(obj, name).all())
    value = getattr(obj, name)
    if isinstance(value, models.Model):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(model_field, models.FileField):
        return value.name or ""
    return value


def attribute(obj, dotted):
    for part in dotted.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return str(obj) if isinstance(obj, models.Model) else obj


def empty_value(model_field):
    """What ERASE leaves in a field: its default, else empty text or NULL."""
    if model_field.has_default():
        return model_field.get_default()
    if model_field.null:
        return None
    return ""
