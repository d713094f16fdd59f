"""Compiles locale/*/django.po into .mo files in pure Python (no GNU gettext needed).

The English catalogue's messages are their own translation (msgids are English), so its
entries are set from their msgids first.
"""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


def fill_identity(po):
    """English translates to itself; msgmerge's fuzzy guesses must not survive."""
    for entry in po:
        if entry.msgid_plural:
            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
        else:
            entry.msgstr = entry.msgid
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None


class Command(BaseCommand):
    help = "Compiles the translation catalogues with polib; fills English from the msgids."

    def handle(self, *args, **options):
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/django.po")):
                po = polib.pofile(str(po_path), wrapwidth=100)
                if po_path.parts[-3] == "en":
                    fill_identity(po)
                    po.save()
                po.save_as_mofile(str(po_path.with_suffix(".mo")))
                self.stdout.write(f"{po_path}: {po.percent_translated()}% translated")
