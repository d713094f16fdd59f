"""A structural accessibility check of rendered pages (WCAG 2.1: 1.3.1, 2.4.1, 2.4.6, 3.1.1,
3.3.2, 4.1.1, 4.1.2). Not a replacement for a browser audit; it catches what templates
most often get wrong: unlabelled fields, missing alt text, headings, duplicate ids."""

from collections import Counter
from html.parser import HTMLParser

LABELLABLE = {"input", "select", "textarea"}
UNLABELLED_INPUT_TYPES = {"hidden", "submit", "button", "reset", "image"}


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids = Counter()
        self.label_for = set()
        self.fields = []
        self.images = []
        self.h1 = 0
        self.html_lang = None
        self.tables = 0
        self.table_headers = 0
        self.open_labels = 0
        self.buttons = []
        self._button = None
        self.skip_link = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids[attrs["id"]] += 1
        if tag == "html":
            self.html_lang = attrs.get("lang")
        elif tag == "label":
            self.open_labels += 1
            if attrs.get("for"):
                self.label_for.add(attrs["for"])
        elif tag in LABELLABLE:
            if tag == "input" and attrs.get("type", "text") in UNLABELLED_INPUT_TYPES:
                return
            self.fields.append((tag, attrs, self.open_labels > 0))
        elif tag == "img":
            self.images.append(attrs)
        elif tag == "h1":
            self.h1 += 1
        elif tag == "table":
            self.tables += 1
        elif tag == "th":
            self.table_headers += 1
        elif tag == "button":
            self._button = {"attrs": attrs, "text": ""}
        elif tag == "a" and attrs.get("href") == "#main":
            self.skip_link = True

    def handle_endtag(self, tag):
        if tag == "label":
            self.open_labels = max(0, self.open_labels - 1)
        elif tag == "button" and self._button is not None:
            self.buttons.append(self._button)
            self._button = None

    def handle_data(self, data):
        if self._button is not None:
            self._button["text"] += data


def accessibility_problems(html: str) -> list[str]:
    parser = _PageParser()
    parser.feed(html)
    problems = []
    if not parser.html_lang:
        problems.append("<html> has no lang")
    if parser.h1 != 1:
        problems.append(f"{parser.h1} <h1> elements (want exactly one)")
    if not parser.skip_link:
        problems.append("no skip link to #main")
    problems += [f"duplicate id {i!r}" for i, n in parser.ids.items() if n > 1]
    for tag, attrs, wrapped in parser.fields:
        labelled = (
            wrapped
            or attrs.get("id") in parser.label_for
            or attrs.get("aria-label")
            or attrs.get("aria-labelledby")
            or attrs.get("title")
        )
        if not labelled:
            problems.append(f"unlabelled <{tag} name={attrs.get('name')!r}>")
    problems += [f"<img src={a.get('src')!r}> has no alt" for a in parser.images if "alt" not in a]
    if parser.tables and parser.table_headers == 0:
        problems.append("table without <th> headers")
    for button in parser.buttons:
        if not button["text"].strip() and not button["attrs"].get("aria-label"):
            problems.append("button without text")
    return problems


def assert_accessible(response):
    html = response.content.decode()
    problems = accessibility_problems(html)
    assert problems == [], f"{response.request['PATH_INFO']}: {problems}"
