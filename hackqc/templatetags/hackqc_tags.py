from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from hackqc.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text, top_level=3):
    """`{{ text|markdown:3 }}`: user markdown as sanitised HTML, its headings from `<h3>`.

    The argument is the level of the text's first headings: one below the heading the text
    sits under on the page.
    """
    return render_markdown(text, top_level=int(top_level))


@register.filter(name="place")
def place_filter(number):
    """`{{ 1|place }}`: "1st place" in English, « 1re place » in French."""
    from hackqc.words import place_label

    return place_label(number)


# Stands for the CSRF token while a fragment is rendered for the cache: each request's own
# token replaces it on the way out, so a cached form posts with its reader's token.
CSRF_PLACEHOLDER = "csrf-token-of-the-request-0c9f1d"


class CachedFragmentNode(template.Node):
    def __init__(self, nodelist, page, values=None):
        self.nodelist, self.page, self.values = nodelist, page, values

    def _render(self, context, **extra):
        values = self.values.resolve(context) if self.values is not None else {}
        with context.push(**values, **extra):
            return self.nodelist.render(context)

    def render(self, context):
        page = self.page.resolve(context)
        if page is None:
            return self._render(context)
        html = page.get_or_build(lambda: self._render(context, csrf_token=CSRF_PLACEHOLDER))
        if CSRF_PLACEHOLDER in html:
            html = html.replace(
                CSRF_PLACEHOLDER, conditional_escape(str(context.get("csrf_token")))
            )
        return mark_safe(html)  # noqa: S308 - rendered by the template engine


@register.tag
def cachedfragment(parser, token):
    """`{% cachedfragment page [with values] %}…{% endcachedfragment %}`: the enclosed HTML
    rendered once per version of `page` (a `hackqc.pagecache.Page` built by the view from
    what the fragment shows), rendered every time when `page` is None. Nothing per person
    inside (menus, names), but forms may be: each request's CSRF token is put in on the way
    out. The view passes the heavy values lazily
    (`pagecache.lazy`), one by one or as the mapping `values` added to the context, so that
    a cached fragment costs no query."""
    bits = token.split_contents()
    if len(bits) not in (2, 4) or (len(bits) == 4 and bits[2] != "with"):
        raise template.TemplateSyntaxError("usage: {% cachedfragment page [with values] %}")
    nodelist = parser.parse(("endcachedfragment",))
    parser.delete_first_token()
    values = parser.compile_filter(bits[3]) if len(bits) == 4 else None
    return CachedFragmentNode(nodelist, parser.compile_filter(bits[1]), values)


@register.simple_tag(takes_context=True)
def space_card(context, card):
    """Renders a card of the personal space with its own context over the page's."""
    template = context.template.engine.get_template(card.template)
    with context.push(edition=card.edition, **card.context):
        return template.render(context)


@register.simple_tag
def url_query(**params):
    """`{% url_query skill=skill people=2 as query %}`: the parameters URL-encoded, empty
    ones left out (for `includes/pagination.html`'s `query`)."""
    from urllib.parse import urlencode

    return urlencode({name: value for name, value in params.items() if value not in (None, "")})
