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
  generation,
* ``unsaved``: whether the block shows a page's unsaved state (an admin preview); such a block
  is built for that request alone, and the caches it reads must not answer for it either.

There is no ``request``, ``user``, ``csrf_token``, ``messages`` or ``perms`` inside, so a
``{{ request.user }}`` or a form added to a shared block shows nothing there instead of one
member's data to the next: nothing personal can reach a shared fragment by forgetting a marker.

A shared block may leave small holes for each request: ``{% personal key=value %} ...
{% endpersonal %}``, written directly inside the block (not in a template it includes). Its content
is not part of the shared copy: the copy keeps a mark in its place with the values named in the
tag (plain numbers, strings and booleans of the shared context, e.g. a menu link's path), and
every request renders the content in its own, full context with those values (the site header's
"Mijn stadsdorp" button, the language links of the page at hand, the menu's current page). So
the personal part is marked where it is, and what is not marked can only be shared.
"""

import re
import secrets

from django.db.models import Model
from django.template import Context, TemplateSyntaxError
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


# The context entry through which a shared block's personal parts leave their marks; a template
# cannot read a name that starts with an underscore.
HOLES = "_shared_holes"


def check_plain(name, value):
    if not isinstance(value, PLAIN_TYPES):
        raise TypeError(
            f"{{% personal %}} value {name!r}: a {type(value).__name__} cannot be kept in a shared "
            "fragment; pass a number, a string or a boolean"
        )
    return value


class Holes:
    """The personal parts met while one shared block is built: a mark in the text for each
    (with a random word, so that no content can imitate one), and the values it needs."""

    def __init__(self, nodes):
        self.numbers = {id(node): number for number, node in enumerate(nodes)}
        self.nonce = secrets.token_hex(8)
        self.found = []

    def mark(self, node, values):
        number = self.numbers.get(id(node))
        if number is None:
            raise TemplateSyntaxError(
                "{% personal %} must be written directly inside its {% shared %} block, not in a "
                "template the block includes"
            )
        self.found.append((number, values))
        return f"\x00{self.nonce}:{len(self.found) - 1}\x00"

    def segments(self, html):
        """The text between the marks, and (node number, values) for each mark, in order."""
        parts = re.split(f"\x00{self.nonce}:(\\d+)\x00", html)
        return tuple(
            part if index % 2 == 0 else self.found[int(part)] for index, part in enumerate(parts)
        )


def render_personal(nodelist, values, context):
    with context.push(values):
        return nodelist.render(context)


def shows_unsaved_content(request):
    """Whether this request shows a page as it is not saved or not live: the admin's previews and
    revisions. Wagtail marks their requests ``is_dummy`` (``make_preview_request``); ``is_preview``
    alone is not enough, since a page's own ``serve()`` sets it back to False."""
    return any(
        getattr(request, name, False)
        for name in ("is_preview", "is_dummy", "revision_id", "in_preview_panel")
    )


def render_shared(name, values, nodelist, context, personal=(), layout="", timeout=TIMEOUT):
    """The shared copy of the block, with its ``personal`` parts (the block's PersonalNodes in
    the order of the template) rendered for this request in ``context``."""
    request = context.get("request")
    viewer = Viewer.of(getattr(request, "user", None))
    parts = (
        "shared",
        name,
        *sorted(key_part(key, value) for key, value in values.items()),
        get_language(),
        audience(viewer),
        layout,
    )

    unsaved = shows_unsaved_content(request)

    def build():
        holes = Holes(personal)
        inner = Context(
            {
                **values,
                "viewer": viewer,
                "unsaved": unsaved,
                "LANGUAGE_CODE": get_language(),
                HOLES: holes,
            },
            autoescape=context.autoescape,
            use_l10n=context.use_l10n,
            use_tz=context.use_tz,
        )
        inner.template = context.template
        return holes.segments(str(nodelist.render(inner)))

    # A preview (or an old revision) shows a page's unsaved state under its saved id: built for
    # that request alone, never kept where a visitor of the live page could be given it.
    segments = build() if unsaved else cached(parts, build, timeout)
    rendered = [
        part
        if isinstance(part, str)
        else render_personal(personal[part[0]].nodelist, part[1], context)
        for part in segments
    ]
    return mark_safe("".join(rendered))  # noqa: S308 (rendered by the template)
