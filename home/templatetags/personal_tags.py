"""``{% personal "template.html" %}``: a part of the page that belongs to this visitor alone.

Included like ``{% include %}``; in a shared rendering (``home.shared_render``) it leaves a hole
that is filled for each request instead. Put everything personal in one: names, forms with CSRF
tokens, messages, the editor's user bar.
"""

from django import template

from home.shared_render import holes_of, render_personal_part

register = template.Library()


@register.simple_tag(takes_context=True)
def personal(context, template_name):
    holes = holes_of(context.get("request"))
    if holes is None:
        return render_personal_part(template_name, context)
    return holes.add(template_name)
