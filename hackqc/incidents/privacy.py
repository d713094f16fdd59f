"""What the register holds about people (`hackqc.privacy.registry`)."""

from hackqc.privacy.registry import not_personal, references

# Who recorded an incident: the entry stays, the person is anonymised with the account.
references("incidents.Incident", "recorded_by")
# The register is the organisation's record, kept as the regulation asks (5 years); its
# texts describe people by category and number, never by name (the form asks so), so they
# are nobody's personal data to export or erase.
not_personal(
    "incidents.Incident",
    "title",
    "circumstances",
    "information_involved",
    "people_affected",
    "risk_assessment",
    "measures",
)
