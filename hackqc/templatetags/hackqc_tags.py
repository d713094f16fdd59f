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


@register.filter(name="place")
def place_filter(number):
    """`{{ 1|place }}`: "1st place" in English, « 1re place » in French."""
    from hackqc.words import place_label

    return place_label(number)


@register.simple_tag(takes_context=True)
def space_card(context, card):
    """Renders a card of the personal space with its own context over the page's."""
    template = context.template.engine.get_template(card.template)
    with context.push(edition=card.edition, **card.context):
        return template.render(context)
