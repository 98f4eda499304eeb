"""Shared fragments: the only way a part of a page is rendered once and shown to many visitors.

Pages are rendered for each request. What is the same for many visitors (a member home's lists,
a listing, a menu) is wrapped in ``{% shared "name" key=value ... %} ... {% endshared %}``
(``home/templatetags/fragment_tags.py``), and that block is rendered in a context of its own that
holds only

* the values named in the tag, which are also its cache key (model instances by their primary key;
  plain numbers, strings and booleans by value: anything else is refused, so a key cannot be
  forgotten),
* ``viewer``: the visitor as far as privacy goes (``home.privacy.Viewer``: logged in or not, the
  groups, nothing else), which is part of the key too, with the language and the content
  generation.

There is no ``request``, ``user``, ``csrf_token``, ``messages`` or ``perms`` inside, so a
``{{ request.user }}`` or a form added to a shared block shows nothing there instead of one
member's data to the next: nothing personal can reach a shared fragment by forgetting a marker.
"""

from django.db.models import Model
from django.template import Context
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from home.caching import cached
from home.privacy import Viewer, audience

# Lists with upcoming events move with the clock; a content write ends a copy sooner.
TIMEOUT = 60
PLAIN_TYPES = (str, int, bool, type(None))


def key_part(name, value):
    if isinstance(value, Model):
        return f"{name}={value._meta.label_lower}:{value.pk}"
    if isinstance(value, PLAIN_TYPES):
        return f"{name}={value!r}"
    raise TypeError(
        f"shared fragment key {name!r}: a {type(value).__name__} is not a key; pass a model "
        "instance, a number, a string or a boolean"
    )


def render_shared(name, values, nodelist, context, timeout=TIMEOUT):
    request = context.get("request")
    viewer = Viewer.of(getattr(request, "user", None))
    parts = (
        "shared",
        name,
        *sorted(key_part(key, value) for key, value in values.items()),
        get_language(),
        audience(viewer),
    )

    def build():
        inner = Context(
            {**values, "viewer": viewer, "LANGUAGE_CODE": get_language()},
            autoescape=context.autoescape,
            use_l10n=context.use_l10n,
            use_tz=context.use_tz,
        )
        inner.template = context.template
        return str(nodelist.render(inner))

    return mark_safe(cached(parts, build, timeout))  # noqa: S308 (rendered by the template)
