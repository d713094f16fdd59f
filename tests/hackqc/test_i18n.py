"""French first, English too; the URL remembers the choice; catalogues are complete."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.urls import reverse

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def test_root_redirects_to_french_by_default(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/fr/"


def test_root_follows_the_browser_language(client, db):
    response = client.get("/", headers={"accept-language": "en-CA,en;q=0.8"})
    assert response["Location"] == "/en/"


def test_every_page_header_has_the_language_switch(client, db):
    page = client.get("/fr/").content.decode()
    assert 'action="/i18n/setlang/"' in page
    assert 'lang="en"' in page
    assert '<html lang="fr">' in page


def test_switching_language_moves_to_the_english_url(client, edition):
    response = client.post(
        "/i18n/setlang/", {"language": "en", "next": f"/fr/editions/{edition.slug}/"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/en/editions/{edition.slug}/"
    page = client.get(response["Location"]).content.decode()
    assert '<html lang="en">' in page
    assert "Timeline" in page


def test_french_pages_are_in_french(client, edition):
    page = client.get(reverse("edition_detail", kwargs={"slug": edition.slug})).content.decode()
    assert "Calendrier" in page


@pytest.mark.parametrize("language", ["fr", "en"])
def test_compiled_catalogue_matches_its_source(language):
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    mo = polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))
    expected = {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in po.translated_entries()
    }
    compiled = {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in mo
        if e.msgid
    }
    assert compiled == expected, "run `make messages` (or compile the .po) after editing it"


def test_french_catalogue_is_complete():
    po = polib.pofile(str(LOCALE / "fr" / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert missing == []
    assert fuzzy == []


def test_french_translations_keep_the_placeholders():
    import re

    pattern = re.compile(r"%\(\w+\)[sdf]|\{\w+\}")
    po = polib.pofile(str(LOCALE / "fr" / "LC_MESSAGES" / "django.po"))
    wrong = []
    for entry in po.translated_entries():
        expected = set(pattern.findall(entry.msgid + (entry.msgid_plural or "")))
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            if text and not set(pattern.findall(text)) <= expected:
                wrong.append(entry.msgid)
    assert wrong == []


def test_no_file_keeps_merge_conflict_markers():
    root = LOCALE.parent
    suspects = [
        path.relative_to(root).as_posix()
        for folder in ("templates", "docs")
        for path in (root / folder).rglob("*")
        if path.is_file() and "\n<<<<<<< " in "\n" + path.read_text(errors="ignore")
    ]
    if "\n<<<<<<< " in "\n" + (root / "README.md").read_text():
        suspects.append("README.md")
    assert suspects == []


@pytest.mark.skipif(not shutil.which("xgettext"), reason="needs GNU gettext (xgettext)")
def test_every_string_marked_for_translation_is_in_the_french_catalogue(tmp_path):
    """Extracts the strings as `make messages` does, from a copy of the sources: a string
    added to a template or a module without its French translation fails here (the check
    above only sees strings already in the catalogue)."""
    root = LOCALE.parent
    copy = tmp_path / "src"
    skip = shutil.ignore_patterns(".venv", ".git", "node_modules", "staticfiles", "media", "bench")
    shutil.copytree(root, copy, ignore=skip, symlinks=True)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fr", "--no-obsolete",
         "--ignore=tests", "--ignore=bench", "--ignore=.venv", "--ignore=staticfiles"],
        cwd=copy, check=True, capture_output=True,
    )  # fmt: skip
    po = polib.pofile(str(copy / "locale" / "fr" / "LC_MESSAGES" / "django.po"))
    missing = sorted({e.msgid for e in po.untranslated_entries() + po.fuzzy_entries()})
    assert missing == [], "translate these in locale/fr/LC_MESSAGES/django.po"
