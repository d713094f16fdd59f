"""Writes to the register of confidentiality incidents; each one in the audit log."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hackqc import audit
from hackqc.service import service

from .models import Incident

RECORDED = audit.action("incident.recorded", _("Recorded a confidentiality incident"))
UPDATED = audit.action("incident.updated", _("Updated a confidentiality incident"))
# What a form may set; the rest (edition, author, times) the services decide.
FIELDS = (
    "title",
    "circumstances",
    "information_involved",
    "occurred_at",
    "occurred_until",
    "discovered_at",
    "people_affected",
    "people_count",
    "serious_risk",
    "risk_assessment",
    "measures",
    "cai_notified_at",
    "people_notified_at",
)


@service
def record_incident(*, edition, by, **fields) -> Incident:
    """Adds an incident to the register of `edition` (None: the whole site's). Raises
    ValidationError by field. Audit entry in the same transaction."""
    incident = Incident(edition=edition, recorded_by=by, **_only_fields(fields))
    incident.full_clean()
    incident.save()
    audit.record(RECORDED, actor=by, edition=edition, target=incident)
    return incident


@service
def update_incident(incident, *, by, **fields) -> Incident:
    """Completes or corrects an incident (a notice sent, a measure taken). The register
    keeps no deletion: an entry is corrected, never removed. The audit entry names the
    fields that changed, not their values."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    changed = sorted(
        name for name, value in _only_fields(fields).items() if getattr(incident, name) != value
    )
    for name in changed:
        setattr(incident, name, fields[name])
    if not changed:
        return incident
    incident.updated_at = timezone.now()
    incident.full_clean()
    incident.save()
    audit.record(UPDATED, actor=by, edition=incident.edition, target=incident, changed=changed)
    return incident


def _only_fields(fields) -> dict:
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"not a field of the register: {sorted(unknown)}")
    return fields
