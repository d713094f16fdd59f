from django import template
from django.urls import NoReverseMatch, reverse

from ..licences import LICENCES, is_osi_approved

register = template.Library()

PORTAL_DATASET_URL = "https://www.donneesquebec.ca/recherche/dataset/{name}"
# The catalogue's dataset page, by the names its URLconf may use; the portal page otherwise.
_CATALOGUE_CANDIDATES = (
    ("catalogue:dataset_detail", "pk"),
    ("catalogue:dataset", "pk"),
    ("catalogue:dataset_detail", "name"),
)
_LABELS = {spdx: label for spdx, label, _osi in LICENCES}


@register.filter
def dataset_url(entry):
    """The catalogue page of a dataset entry of a snapshot (`id`, `name`)."""
    for url_name, key in _CATALOGUE_CANDIDATES:
        value = entry.get("id") if key == "pk" else entry.get("name")
        try:
            return reverse(url_name, kwargs={key: value})
        except NoReverseMatch:
            continue
    return PORTAL_DATASET_URL.format(name=entry.get("name", ""))


@register.filter
def licence_label(spdx):
    return _LABELS.get(spdx, spdx)


@register.filter
def osi_approved(spdx):
    return is_osi_approved(spdx)
