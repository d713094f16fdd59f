import functools

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.utils.functional import SimpleLazyObject


def _roles(user):
    """Which role-specific menus the user sees: one query, only if a template asks."""
    if not user.is_authenticated:
        return {"organizer": False, "judge": False, "sheet_edition": None}
    with connection.cursor() as cursor:
        cursor.execute(_roles_sql(), [user.pk, user.pk, user.pk])
        organizer, judge, sheet_edition = cursor.fetchone()
    return {
        "organizer": bool(organizer) or user.is_staff,
        "judge": bool(judge),
        "sheet_edition": sheet_edition,
    }


@functools.cache
def _roles_sql() -> str:
    """The menu's question as plain SQL, built once: asked on every page a signed-in person
    opens, where compiling the same three subqueries through the ORM cost more than running
    them. Tables by label: the core app imports neither the jury nor the teams app."""
    table = {
        label: apps.get_model(label)._meta.db_table
        for label in ("hackqc.EditionOrganizer", "judging.Judge", "teams.Membership")
    }
    edition = apps.get_model("hackqc.Edition")._meta.db_table
    return (
        f"SELECT EXISTS (SELECT 1 FROM {table['hackqc.EditionOrganizer']} WHERE user_id = %s),"  # noqa: S608 — names from the models, values as parameters
        f" EXISTS (SELECT 1 FROM {table['judging.Judge']} WHERE user_id = %s),"
        # The menu's "project sheet": the team of the newest edition the person is in.
        f" (SELECT e.slug FROM {table['teams.Membership']} m JOIN {edition} e"
        f" ON e.id = m.edition_id WHERE m.user_id = %s"
        " ORDER BY e.registration_opens DESC LIMIT 1)"
    )


def site(request):
    user = getattr(request, "user", None)
    context = {"SITE_URL": settings.SITE_URL}
    if user is not None:
        context["nav_roles"] = SimpleLazyObject(lambda: _roles(user))
    return context
