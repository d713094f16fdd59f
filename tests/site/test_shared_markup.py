"""Markup shared by every page: one pagination bar (`templates/includes/pagination.html`),
its words and accessibility fixed in one place; buttons whose colours pass WCAG AA."""

from pathlib import Path

from django.core.paginator import Paginator
from django.template import Context, Template

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
INCLUDE = TEMPLATES / "includes" / "pagination.html"


def test_no_template_writes_its_own_pagination_bar():
    own = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if path != INCLUDE and 'class="pagination' in path.read_text()
    ]
    assert own == []


def _render(page, **values):
    template = Template(
        '{% include "includes/pagination.html" with page=page query=query param=param '
        "anchor=anchor label=label %}"
    )
    return template.render(Context({"page": page, **values}))


def test_the_bar_keeps_the_other_parameters_and_names_the_current_page():
    page = Paginator(range(100), 10).get_page(3)
    html = _render(page, query="skill=python&people=2", param="page", anchor="top")
    assert 'href="?skill=python&amp;people=2&amp;page=2#top"' in html
    assert 'href="?skill=python&amp;people=2&amp;page=4#top"' in html
    assert 'aria-current="page"' in html
    assert "Page 3 of 10" in html or "Page 3 sur 10" in html


def test_the_bar_pages_its_own_parameter_and_is_absent_for_one_page():
    page = Paginator(range(100), 10).get_page(1)
    html = _render(page, param="people")
    assert 'href="?people=2"' in html
    assert 'rel="prev"' not in html
    assert _render(Paginator(range(5), 10).get_page(1)).strip() == ""


def test_url_query_leaves_out_empty_values_and_escapes_the_rest():
    html = Template(
        "{% load hackqc_tags %}{% url_query skill=skill challenge=none people=2 as q %}{{ q }}"
    ).render(Context({"skill": "a&b <c>", "none": None}))
    assert html == "skill=a%26b+%3Cc%3E&amp;people=2"


def test_no_template_uses_the_outline_warning_button():
    """Bootstrap's yellow outline button fails WCAG AA contrast on white (axe's
    color-contrast): a caution button is `btn-outline-dark` or a solid `btn-warning`."""
    found = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if "btn-outline-warning" in path.read_text()
    ]
    assert found == []
