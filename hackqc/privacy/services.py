"""Every write of the privacy app, in one place (each is a `@service`)."""

from .erasure import erase_account
from .exporting import build_and_mail_export, delete_expired_exports, request_export
from .retention import anonymise_edition

__all__ = [
    "anonymise_edition",
    "build_and_mail_export",
    "delete_expired_exports",
    "erase_account",
    "request_export",
]
