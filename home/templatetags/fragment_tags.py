"""``{% shared "name" key=value ... %} ... {% personal key=value %} ... {% endpersonal %} ...
{% endshared %}``: see ``home.fragments``."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from home.fragments import HOLES, check_plain, render_personal, render_shared

register = template.Library()


class PersonalNode(template.Node):
    child_nodelists = ("nodelist",)

    def __init__(self, values, nodelist):
        self.values = values
        self.nodelist = nodelist

    def render(self, context):
        values = {
            key: check_plain(key, value.resolve(context)) for key, value in self.values.items()
        }
        holes = context.get(HOLES)
        if holes is None:  # not inside a shared block: the whole page is this visitor's anyway
            return render_personal(self.nodelist, values, context)
        return holes.mark(self, values)


class SharedNode(template.Node):
    def __init__(self, name, values, nodelist):
        self.name = name
        self.values = values
        self.nodelist = nodelist
        self.personal = nodelist.get_nodes_by_type(PersonalNode)
        # Part of the key: a copy made by a template with other personal parts (before a
        # deploy) is never filled with this template's.
        self.layout = ";".join(
            f"{node.token.lineno}:{node.token.contents}" for node in self.personal
        )

    def render(self, context):
        values = {key: value.resolve(context) for key, value in self.values.items()}
        return render_shared(
            self.name, values, self.nodelist, context, self.personal, layout=self.layout
        )


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


@register.tag
def personal(parser, token):
    """A part of a shared block rendered for each request; outside one, rendered as it is."""
    bits = token.split_contents()
    values = template.base.token_kwargs(bits[1:], parser, support_legacy=False)
    if len(values) != len(bits) - 1:
        raise template.TemplateSyntaxError("{% personal %} takes only key=value pairs")
    nodelist = parser.parse(("endpersonal",))
    parser.delete_first_token()
    return PersonalNode(values, nodelist)


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
