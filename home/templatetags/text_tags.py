from django import template

from home.text import html_to_line

register = template.Library()


@register.filter
def plain_text(value):
    """Rich text as one line of plain text; the template's autoescaping then escapes it once."""
    return html_to_line(value)
