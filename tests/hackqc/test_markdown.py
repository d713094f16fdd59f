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
