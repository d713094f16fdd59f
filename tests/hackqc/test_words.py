"""Words as Québec and Canada write them: no-break spaces in French, « courriel », ordinal
places, plurals, English dates not US-style, language names in their own language."""

import datetime as dt
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import formats, translation

from hackqc.words import place_label

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = [
    ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po",
    ROOT / "hackqc" / "locale_overrides" / "fr" / "LC_MESSAGES" / "django.po",
]
PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|\{\w+\}")


def _french_texts():
    for path in CATALOGUES:
        for entry in polib.pofile(str(path)).translated_entries():
            for text in [entry.msgstr, *entry.msgstr_plural.values()]:
                if text:
                    yield entry.msgid, PLACEHOLDER.sub("X", text)


def test_french_puts_a_no_break_space_before_double_punctuation():
    wrong = [
        msgid for msgid, text in _french_texts() if re.search(r" [:;!?»]|« |[^\s\u00a0][;!?]", text)
    ]
    assert wrong == []


def test_french_says_courriel():
    wrong = [msgid for msgid, text in _french_texts() if re.search(r"\be-?mails?\b", text, re.I)]
    assert wrong == []


def test_french_plurals_are_not_written_with_parentheses():
    wrong = [msgid for msgid, text in _french_texts() if re.search(r"\w\(s\)", text)]
    assert wrong == []


def test_allauth_pages_read_courriel(client, db):
    with translation.override("fr"):
        html = client.get("/fr/accounts/login/").content.decode()
    assert "Courriel" in html or "courriel" in html
    assert "e-mail" not in html.lower().replace('type="email"', "")


@pytest.mark.parametrize(
    ("n", "fr", "en"),
    [(1, "1re place", "1st place"), (2, "2e place", "2nd place"), (3, "3e place", "3rd place"),
     (4, "4e place", "4th place"), (11, "11e place", "11th place"), (21, "21e place", "21st place"),
     (22, "22e place", "22nd place"), (113, "113e place", "113th place")],
)  # fmt: skip
def test_places_are_ordinals(n, fr, en):
    with translation.override("fr"):
        assert place_label(n) == fr
    with translation.override("en"):
        assert place_label(n) == en


def test_english_dates_are_not_us_style():
    moment = dt.datetime(2026, 12, 3, 14, 30, tzinfo=dt.UTC)
    with translation.override("en"):
        assert formats.date_format(moment, "DATE_FORMAT") == "3 Dec 2026"
        assert formats.date_format(moment, "SHORT_DATE_FORMAT") == "2026-12-03"
    with translation.override("fr"):
        assert formats.date_format(moment, "DATETIME_FORMAT") == "3 décembre 2026, 14\xa0h\xa030"


def test_language_switch_names_each_language_in_itself(client, db):
    for prefix in ("/fr/", "/en/"):
        html = client.get(prefix).content.decode()
        assert '<option value="fr" lang="fr"' in html
        assert ">Français</option>" in html
        assert ">English</option>" in html
    assert [code for code, _name in settings.LANGUAGES] == ["fr", "en"]
