"""Reads of the edition pages (rules, code of conduct) shared by views and services."""

from django.db.models import Max

from .models import EditionPage


def current_page(edition, kind) -> EditionPage | None:
    return EditionPage.objects.filter(edition=edition, kind=kind).order_by("-version").first()


def accepted_rules_version(edition) -> str:
    """What a registration records as accepted: the current versions of the rules (R) and
    the code of conduct (C), e.g. "R3-C2"; the site-wide setting while the organizers have
    written neither page."""
    versions = dict(
        EditionPage.objects.filter(edition=edition)
        .order_by()
        .values_list("kind")
        .annotate(latest=Max("version"))
    )
    if not versions:
        return ""
    rules = versions.get(EditionPage.Kind.RULES)
    conduct = versions.get(EditionPage.Kind.CONDUCT)
    return "-".join(part for part in (rules and f"R{rules}", conduct and f"C{conduct}") if part)


def parse_rules_version(text) -> dict:
    """{"rules": 3, "conduct": 2} from "R3-C2"; {} for a version recorded otherwise."""
    found = {}
    for part in (text or "").split("-"):
        if len(part) > 1 and part[0] in "RC" and part[1:].isdigit():
            found[EditionPage.Kind.RULES if part[0] == "R" else EditionPage.Kind.CONDUCT] = int(
                part[1:]
            )
    return found


def edition_page_links(edition) -> list[tuple[str, str]]:
    """(address, label) of the current version of each page the edition has, for the
    registration form: the person reads exactly the version they accept."""
    from django.utils.translation import gettext as _

    latest = {}
    for page in EditionPage.objects.filter(edition=edition).only("edition", "kind", "version"):
        if page.version > latest.get(page.kind, (0, None))[0]:
            latest[page.kind] = (page.version, page)
    links = []
    for kind, label in (
        (EditionPage.Kind.RULES, _("Read the rules (version %(version)s)")),
        (EditionPage.Kind.CONDUCT, _("Read the code of conduct (version %(version)s)")),
    ):
        if kind in latest:
            version, page = latest[kind]
            page.edition = edition
            links.append((page.get_absolute_url(), label % {"version": version}))
    return links
