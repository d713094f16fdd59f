from django.conf import settings
from django.utils.functional import SimpleLazyObject


def _roles(user):
    """Which role-specific menus the user sees: one query, only if a template asks."""
    if not user.is_authenticated:
        return {"organizer": False, "judge": False, "sheet_edition": None}
    from django.db.models import Exists, OuterRef, Subquery

    from hackqc.models import EditionOrganizer, User

    # Imported here: the core app does not depend on the jury and teams apps; only its
    # menu asks.
    from judging.models import Judge
    from teams.models import Membership

    flags = (
        User.objects.filter(pk=user.pk)
        .annotate(
            organizer=Exists(EditionOrganizer.objects.filter(user=OuterRef("pk"))),
            judge=Exists(Judge.objects.filter(user=OuterRef("pk"))),
            # The menu's "project sheet": the team of the newest edition the person is in.
            sheet_edition=Subquery(
                Membership.objects.filter(user=OuterRef("pk"))
                .order_by("-edition__registration_opens")
                .values("edition__slug")[:1]
            ),
        )
        .values("organizer", "judge", "sheet_edition")
        .first()
    ) or {"organizer": False, "judge": False, "sheet_edition": None}
    flags["organizer"] = flags["organizer"] or user.is_staff
    return flags


def site(request):
    user = getattr(request, "user", None)
    context = {"SITE_URL": settings.SITE_URL}
    if user is not None:
        context["nav_roles"] = SimpleLazyObject(lambda: _roles(user))
    return context
