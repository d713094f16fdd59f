def add_error(form, exc):
    """Show a service's HackQCError next to its field, or above the form."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, str(exc.message))
