"""The catalogue holds public open-data metadata; a sync run names who started it."""

from hackqc.privacy.registry import not_personal, references

references("catalogue.SyncRun", "started_by")

not_personal("catalogue.Portal", "name", "title", "api_url", "dataset_url_pattern")
not_personal("catalogue.Organization", "ckan_id", "name", "title")
not_personal("catalogue.Licence", "ckan_id", "title", "url")
not_personal("catalogue.Group", "name", "title")
not_personal("catalogue.Format", "name")
not_personal(
    "catalogue.Dataset",
    "description",
    "tags",
    "resources",
    "checksum",
    "search_text",
    "search_vector",
    "name",
    "title",
    "state",
)
not_personal("catalogue.SyncRun", "source", "trigger", "status", "errors")
