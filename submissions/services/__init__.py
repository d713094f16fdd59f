"""Every write on project sheets. Each function is atomic and names its side effects.

- `sheet`: creating the sheet and saving its fields under a lock version;
- `datasets`: linking the open datasets a project reuses;
- `sheet_images`: logo, screenshots and their thumbnails;
- `submitting`: submitted versions (the one writer of the snapshot format's rows),
  confirmations and reminders;
- `decisions`: organizers reopening or disqualifying a project.
"""

from .datasets import link_dataset, resolve_dataset_reference, unlink_dataset
from .decisions import disqualify_submission, reopen_submission
from .sheet import (
    MAX_SCREENSHOTS,
    SHEET_FIELDS,
    DatasetNotFoundError,
    NotEligibleError,
    can_edit_now,
    create_submission,
    update_sheet,
)
from .sheet_images import add_screenshot, make_thumbnails, remove_logo, remove_screenshot, set_logo
from .submitting import (
    NewVersion,
    copy_version_relations,
    record_confirmation,
    record_reminder,
    store_versions,
    submit_project,
)

__all__ = [
    "MAX_SCREENSHOTS",
    "SHEET_FIELDS",
    "DatasetNotFoundError",
    "NewVersion",
    "NotEligibleError",
    "add_screenshot",
    "can_edit_now",
    "copy_version_relations",
    "create_submission",
    "disqualify_submission",
    "link_dataset",
    "make_thumbnails",
    "record_confirmation",
    "record_reminder",
    "remove_logo",
    "remove_screenshot",
    "reopen_submission",
    "resolve_dataset_reference",
    "set_logo",
    "store_versions",
    "submit_project",
    "unlink_dataset",
    "update_sheet",
]
