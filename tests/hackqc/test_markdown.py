import pytest
from django.template import Context, Template

from hackqc.markdown import render_markdown


def test_markdown_renders_basic_formatting():
    html = render_markdown("**Données** [ouvertes](https://www.donneesquebec.ca)")
    assert "<strong>Données</strong>" in html
    assert 'href="https://www.donneesquebec.ca"' in html
    assert 'rel="nofollow noopener noreferrer"' in html


@pytest.mark.parametrize(
    "attack",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[clic](javascript:alert(1))",
        '<a href="javascript:alert(1)">clic</a>',
        '<p onclick="alert(1)">texte</p>',
        "<iframe src='https://evil.example'></iframe>",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
    ],
)
def test_markdown_strips_scripts_handlers_and_javascript_links(attack):
    html = render_markdown(attack).lower()
    assert "<script" not in html
    assert "onerror" not in html
    assert "onclick" not in html
    assert "javascript:" not in html
    assert "<iframe" not in html
    assert "data:text" not in html


def test_markdown_filter_in_templates():
    rendered = Template("{% load hackqc_tags %}{{ text|markdown }}").render(
        Context({"text": "*a* <script>x</script>"})
    )
    assert rendered.startswith("<p><em>a</em>")
    assert "<script" not in rendered


def test_markdown_of_nothing_is_empty():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""


# Inputs known to be quadratic or recursive in some markdown parsers, at 1 MB: longer than
# any field allows, as a row stored before the caps could be.
PATHOLOGICAL = {
    "brackets": "[" * 1_000_000,
    "images": "![" * 500_000,
    "link openers": "[a](" * 250_000,
    "emphasis": "*a " * 333_333,
    "mixed emphasis": "*_" * 500_000,
    "backticks": "a`" * 500_000,
    "angle brackets": "<" * 1_000_000,
    "entities": "&#" * 500_000,
    "quotes": ">" * 1_000_000 + " a",
    "nested list on one line": "- " * 500_000 + "a",
    "nested list": "".join("  " * i + "- a\n" for i in range(700)),
    "nested quotes and lists": "".join("> " * i + "- a\n" for i in range(700)),
    "wide table": "|" + "a|" * 5000 + "\n|" + "-|" * 5000 + "\n" + ("|" + "x|" * 5000 + "\n") * 50,
    "reference links": "[a]: https://x.org\n" * 20_000 + "[a]" * 20_000,
}


def _best_time(function, repeat=5):
    """CPU seconds of the fastest of a few runs: other processes share the machine's cores,
    and the text's own cost is the floor."""
    import time

    from hackqc import markdown

    best = float("inf")
    for _ in range(repeat):
        markdown._cache.clear()
        start = time.thread_time()
        function()
        best = min(best, time.thread_time() - start)
    return best


@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_markdown_renders_any_stored_text_in_under_50_ms(name):
    text = PATHOLOGICAL[name]

    elapsed = _best_time(lambda: render_markdown(text))

    assert elapsed < 0.05, f"{name}: {elapsed * 1000:.0f} ms"


def test_markdown_deep_nesting_is_shown_flat_without_recursion_error():
    text = "".join("  " * i + "- item\n" for i in range(700))

    html = render_markdown(text)

    assert "<ul>" not in html
    assert html.startswith("<p>- item")


def test_markdown_reasonable_nesting_keeps_its_lists():
    html = render_markdown("- a\n  - b\n    - c\n")

    assert html.count("<ul>") == 3


@pytest.mark.parametrize(
    ("top_level", "expected"),
    [(2, ["h2", "h3", "h6"]), (3, ["h3", "h4", "h6"]), (4, ["h4", "h5", "h6"])],
)
def test_markdown_headings_are_demoted_below_the_page_headings(top_level, expected):
    import re

    html = render_markdown("# Un\n\n## Deux\n\n###### Six\n", top_level=top_level)

    assert re.findall(r"<(h\d)>", html) == expected
    assert "<h1" not in html


def test_markdown_filter_takes_the_heading_level():
    rendered = Template("{% load hackqc_tags %}{{ text|markdown:4 }}").render(
        Context({"text": "# Titre"})
    )
    assert rendered == "<h4>Titre</h4>\n"


def test_markdown_same_text_is_rendered_once(monkeypatch):
    from hackqc import markdown

    markdown._cache.clear()
    calls = []
    original = markdown._render
    monkeypatch.setattr(markdown, "_render", lambda *a: calls.append(a) or original(*a))

    first = render_markdown("**gras** unique 8c1f")
    second = render_markdown("**gras** unique 8c1f")

    assert first == second == "<p><strong>gras</strong> unique 8c1f</p>\n"
    assert len(calls) == 1


def test_markdown_nul_bytes_are_replaced():
    assert render_markdown("a\0b") == "<p>a\ufffdb</p>\n"


# The edition's description and the challenges' texts are markdown wherever they are shown.
@pytest.fixture
def described_edition(db):
    from tests.factories.core import ChallengeFactory, EditionFactory

    edition = EditionFactory(description="# Thème\n\n**Données** <script>alert(1)</script>")
    ChallengeFactory(edition=edition, description="Un _défi_ [lien](javascript:alert(1))")
    return edition


@pytest.mark.parametrize("page", ["home", "edition_detail"])
def test_edition_and_challenge_texts_are_rendered_as_markdown(client, described_edition, page):
    from django.urls import reverse

    args = [described_edition.slug] if page == "edition_detail" else []
    html = client.get(reverse(page, args=args)).content.decode()

    assert "<h2>Thème</h2>" in html
    assert "<strong>Données</strong>" in html
    assert "Un <em>défi</em>" in html
    assert "<script>alert" not in html
    assert "javascript:" not in html


@pytest.mark.parametrize("name", ["brackets", "emphasis", "nested list", "quotes"])
def test_edition_page_with_pathological_texts_at_their_caps_renders(
    client, described_edition, name
):
    from django.urls import reverse

    from hackqc.models import Challenge, Edition

    Edition.objects.filter(pk=described_edition.pk).update(description=PATHOLOGICAL[name][:10_000])
    Challenge.objects.filter(edition=described_edition).update(
        description=PATHOLOGICAL[name][:5_000]
    )

    for url in (reverse("home"), reverse("edition_detail", args=[described_edition.slug])):
        elapsed = _best_time(lambda url=url: client.get(url), repeat=2)
        assert elapsed < 0.5, f"{url}: {elapsed * 1000:.0f} ms"
