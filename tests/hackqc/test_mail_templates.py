"""Plain-text mails show names as typed: no HTML entity in any mail template's output."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from hackqc.mail import send_templated_mail

HOSTILE = 'L\'Équipe "Zéro" & <Cie>'
TAG = re.compile(r"{[{%](.*?)[}%]}", re.DOTALL)
IDENTIFIER = re.compile(r"[A-Za-z_]\w*")


class Anything:
    """Whatever a template asks of it: names read as `HOSTILE`, ids and slugs stay valid for
    `{% url %}`, and a loop over it sees one item that is itself."""

    dates: frozenset[str] = frozenset()

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        if name in {"pk", "id", "number"} or name.endswith("_id"):
            return 1
        if name == "slug":
            return "hackqc-2027"
        if name in self.dates:
            return timezone.now()
        return Anything()

    def __getitem__(self, key):
        if isinstance(key, str):
            try:
                return getattr(self, key)
            except AttributeError:
                raise KeyError(key) from None
        return Anything()

    def __iter__(self):
        return iter([Anything()])

    def __len__(self):
        return 1

    def __str__(self):
        return HOSTILE


def mail_template_prefixes():
    root = Path(settings.BASE_DIR) / "templates"
    return sorted(
        str(path.relative_to(root)).removesuffix("_body.txt")
        for path in root.glob("*/mail/*_body.txt")
    )


def hostile_context(prefix):
    root = Path(settings.BASE_DIR) / "templates"
    source = "".join((root / f"{prefix}_{part}.txt").read_text() for part in ("subject", "body"))
    tags = TAG.findall(source)
    names = {name for tag in tags for name in IDENTIFIER.findall(tag)}
    Anything.dates = frozenset(re.findall(r"(\w+)\|(?:date|time)\b", source))
    context = {name: Anything() for name in names - {"site_url", "recipient"}}
    for name in Anything.dates & names:
        context[name] = timezone.now()
    for name in re.findall(r"\bcount \w+=(\w+)", source):
        context[name] = 2
    for loop_vars, name in re.findall(r"{% for ([\w, ]+) in (\w+)", source):
        width = len(loop_vars.split(","))
        if width > 1:
            context[name] = [tuple(Anything() for _ in range(width))]
    return context


def test_every_mail_template_is_found():
    assert len(mail_template_prefixes()) >= 12


@pytest.mark.parametrize("prefix", mail_template_prefixes())
def test_mail_template_shows_text_without_html_entities(prefix):
    context = hostile_context(prefix)
    send_templated_mail(prefix, to="someone@example.org", context=context)

    [message] = mail.outbox
    for text in (message.subject, message.body):
        assert re.findall(r"&(?:#x?[0-9a-fA-F]+|[a-z]+);", text) == []
    # The export's mail shows no value (only a link to sign in and read it): nothing to check.
    if prefix != "privacy/mail/export_ready":
        assert HOSTILE in message.subject + message.body
