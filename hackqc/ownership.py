"""Which edition a row belongs to, found by its foreign keys.

One rule for the two things that need it: an archived edition's rows are read-only
(`hackqc.service`), and a write renews only the cached pages of its own edition
(`hackqc.pagecache`), so that a team saving its sheet during one edition's hacking hours does
not make the public pages of another edition be computed again.
"""

import functools

from django.db import models


@functools.cache
def edition_path(model) -> tuple[str, ...] | None:
    """The shortest way from `model` to its edition by foreign keys (`("round",
    "edition")`), `()` for editions themselves, None when there is none."""
    from hackqc.models import Edition

    frontier = [(model, ())]
    for _depth in range(4):
        following = []
        for current, path in frontier:
            if issubclass(current, Edition):
                return path
            # Required keys first: an empty optional one would lead nowhere.
            for field in sorted(current._meta.concrete_fields, key=lambda f: f.null):
                if field.many_to_one or field.one_to_one:
                    following.append((field.related_model, (*path, field.name)))
        frontier = following
    return None


def edition_of(subject) -> tuple[int, str] | None:
    """(id, status) of the edition `subject` is or leads to, or None (no edition, an empty
    optional key on the way, a row that is gone). Reads the rows already loaded, and asks
    the database (one query) only for the part of the way that is not."""
    from hackqc.models import Edition

    if not isinstance(subject, models.Model):
        return None
    path = edition_path(subject._meta.model)  # not type(): request.user is a lazy proxy
    if path is None:
        return None
    current = subject
    for step, field_name in enumerate(path):
        field = current._meta.get_field(field_name)
        if not field.is_cached(current):
            target_id = getattr(current, field.attname)
            if target_id is None:
                return None
            rest = "__".join(path[step + 1 :])
            prefix = f"{rest}__" if rest else ""
            row = (
                field.related_model._base_manager.filter(pk=target_id)
                .values_list(f"{prefix}id", f"{prefix}status")
                .first()
            )
            return (row[0], row[1]) if row and row[0] is not None else None
        current = getattr(current, field_name)
        if current is None:
            return None
    if not isinstance(current, Edition) or current.pk is None:
        return None
    return (current.pk, current.status)
