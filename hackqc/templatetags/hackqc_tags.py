from django import template

from hackqc.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """`{{ text|markdown }}`: user markdown as sanitised HTML."""
    return render_markdown(text)
