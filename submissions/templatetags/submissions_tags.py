from django import template
from django.urls import NoReverseMatch, reverse

from ..licences import LICENCES, is_osi_approved

register = template.Library()

PORTAL_DATASET_URL = "https://www.donneesquebec.ca/recherche/dataset/{name}"
_LABELS = {spdx: label for spdx, label, _osi in LICENCES}


@register.filter
def dataset_url(entry):
    """The catalogue page of a snapshot's dataset entry (`portal`, `name`); the portal's
    page for entries stored before `portal` was recorded."""
    if entry.get("portal") and entry.get("name"):
        try:
            return reverse(
                "catalogue:detail", kwargs={"portal": entry["portal"], "name": entry["name"]}
            )
        except NoReverseMatch:
            pass
    return PORTAL_DATASET_URL.format(name=entry.get("name", ""))


@register.filter
def licence_label(spdx):
    return _LABELS.get(spdx, spdx)


@register.filter
def osi_approved(spdx):
    return is_osi_approved(spdx)


@register.filter
def media_url(name):
    """The address of a stored file named in a snapshot (its logo, its screenshots)."""
    from django.core.files.storage import default_storage

    return default_storage.url(name) if name else ""
