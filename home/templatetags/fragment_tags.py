"""``{% shared "name" key=value ... %} ... {% endshared %}``: see ``home.fragments``."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from home.fragments import render_shared

register = template.Library()


class SharedNode(template.Node):
    def __init__(self, name, values, nodelist):
        self.name = name
        self.values = values
        self.nodelist = nodelist

    def render(self, context):
        values = {key: value.resolve(context) for key, value in self.values.items()}
        return render_shared(self.name, values, self.nodelist, context)


@register.tag
def shared(parser, token):
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][-1] != bits[1][0]:
        raise template.TemplateSyntaxError('{% shared "name" key=value ... %} needs a name')
    values = template.base.token_kwargs(bits[2:], parser, support_legacy=False)
    if len(values) != len(bits) - 2:
        raise template.TemplateSyntaxError("{% shared %} takes key=value pairs after its name")
    nodelist = parser.parse(("endshared",))
    parser.delete_first_token()
    return SharedNode(bits[1][1:-1], values, nodelist)


@register.simple_tag(takes_context=True)
def home_listings(context, page):
    """The home page's registered lists (``home.listings``), each in its own template, for the
    ``viewer`` of the surrounding {% shared %} block."""
    return mark_safe(  # noqa: S308 (rendered templates)
        "".join(
            render_to_string(listing["template"], {"items": listing["items"]})
            for listing in page.listings_for(context["viewer"])
        )
    )
