from django import template

from hackqc.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text, top_level=3):
    """`{{ text|markdown:3 }}`: user markdown as sanitised HTML, its headings from `<h3>`.

    The argument is the level of the text's first headings: one below the heading the text
    sits under on the page.
    """
    return render_markdown(text, top_level=int(top_level))
