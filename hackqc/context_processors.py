from django.conf import settings
from django.utils.functional import SimpleLazyObject


def _roles(user):
    """Which role-specific menus the user sees: one query, only if a template asks."""
    if not user.is_authenticated:
        return {"organizer": False, "judge": False}
    from django.db.models import Exists, OuterRef

    from hackqc.models import EditionOrganizer, User

    # Imported here: the core app does not depend on the jury app, only its menu asks.
    from judging.models import Judge

    flags = (
        User.objects.filter(pk=user.pk)
        .annotate(
            organizer=Exists(EditionOrganizer.objects.filter(user=OuterRef("pk"))),
            judge=Exists(Judge.objects.filter(user=OuterRef("pk"))),
        )
        .values("organizer", "judge")
        .first()
    ) or {"organizer": False, "judge": False}
    flags["organizer"] = flags["organizer"] or user.is_staff
    return flags


def site(request):
    user = getattr(request, "user", None)
    context = {"SITE_URL": settings.SITE_URL}
    if user is not None:
        context["nav_roles"] = SimpleLazyObject(lambda: _roles(user))
    return context
