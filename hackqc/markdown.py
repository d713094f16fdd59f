"""Markdown from users (project sheets, descriptions, feedback), rendered to safe HTML.

One function, used everywhere markdown is shown, so the sanitising rules cannot drift:

- cmark-gfm (GitHub's C implementation of CommonMark) parses in linear time, with its
  defences against the spec's pathological inputs (runs of `[`, deep emphasis), where
  Python-Markdown took ~29 s for 12 kB of `[` and raised RecursionError on deep lists;
- raw HTML is dropped by cmark's safe mode, then nh3 cleans the result (an allow-list: no
  script, no event handler attributes, no javascript: or data: links);
- the text is bounded before parsing (`MAX_RENDERED_CHARS`: rows stored before the fields
  had length caps still render quickly) and nesting is bounded after it (`MAX_NESTING`:
  deeper text is shown as plain paragraphs rather than 700 nested lists);
- headings are demoted below the page's own (`top_level`), so a `#` in a description
  never competes with the page title;
- the HTML of a given text is computed once per process and kept by content hash.
"""

import hashlib
import re
from collections import OrderedDict
from threading import Lock

import cmarkgfm
import nh3
from cmarkgfm.cmark import Options
from django.utils.html import escape, linebreaks
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "del", "em", "h2", "h3", "h4", "h5", "h6", "hr",
    "li", "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

# Longer than any capped field (see the models' max_length), so only old rows are cut.
MAX_RENDERED_CHARS = 30_000
MAX_NESTING = 16
CACHE_SIZE = 512

_BLOCK_TAG = re.compile(r"<(/?)(?:ul|ol|blockquote|li)\b")
_HEADING_TAG = re.compile(r"<(/?)h([1-6])>")
_cache: OrderedDict[bytes, str] = OrderedDict()
_cache_lock = Lock()


def render_markdown(text: str | None, top_level: int = 3) -> SafeString:
    """`text` as sanitised HTML whose first-level headings are `<h{top_level}>`."""
    if not text:
        return mark_safe("")
    key = hashlib.blake2b(f"{top_level}\0{text}".encode(errors="replace"), digest_size=16)
    digest = key.digest()
    with _cache_lock:
        html = _cache.get(digest)
        if html is not None:
            _cache.move_to_end(digest)
    if html is None:
        html = _render(text, top_level)
        with _cache_lock:
            _cache[digest] = html
            if len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
    return mark_safe(html)  # noqa: S308 — sanitised by nh3 in _render


def _render(text: str, top_level: int) -> str:
    text = text[:MAX_RENDERED_CHARS].replace("\0", "\ufffd")
    html = cmarkgfm.github_flavored_markdown_to_html(text, options=Options.CMARK_OPT_DEFAULT)
    if _too_deep(html):
        return linebreaks(escape(text))
    html = _demote_headings(html, top_level)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )


def _too_deep(html: str) -> bool:
    depth = 0
    for match in _BLOCK_TAG.finditer(html):
        depth += -1 if match.group(1) else 1
        if depth > MAX_NESTING:
            return True
    return False


def _demote_headings(html: str, top_level: int) -> str:
    shift = top_level - 1

    def replace(match):
        return f"<{match.group(1)}h{min(int(match.group(2)) + shift, 6)}>"

    return _HEADING_TAG.sub(replace, html)
