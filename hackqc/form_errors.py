"""How every page shows a service's refusal on its form: one helper, so a refusal naming a
field the form lacks is shown above the form instead of raising (a 500)."""

from django.core.exceptions import ValidationError


def show_refusal(form, error) -> None:
    """Puts `error` on `form`: a `HackQCError` next to its `field` (or above the form when
    the form has no such field), a `ValidationError`'s messages by field likewise."""
    if isinstance(error, ValidationError):
        by_field = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
        for field, messages in by_field.items():
            form.add_error(field if field in form.fields else None, messages)
        return
    field = getattr(error, "field", None)
    form.add_error(field if field in form.fields else None, str(error.message))
