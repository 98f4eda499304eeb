"""Pages rendered once per audience, with each visitor's own parts filled in per request.

A newsletter sends hundreds of members to "Mijn stadsdorp" at once. Everything on that page except
a few small parts (the "logged in as" bar with its logout form and CSRF token, messages, the
Wagtail user bar) is the same for every member who may see the same pages, so the page is rendered
once per audience and cached; the personal parts are left as holes (the ``{% personal %}`` tag)
and rendered for each request. This is what "hole punching" or edge-side includes do in a CDN.

Only page types that opt in use it (``SharedRenderMixin``); their templates must put everything
personal in ``{% personal %}`` holes. Keys hold the content generation (every write invalidates),
the audience (``home.privacy.audience``), the address, language and text size, plus what the page
adds with ``shared_render_key``. Previews are never shared.
"""

import re
import secrets

from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from home.caching import audience_parts, fragment_key
from home.context_processors import get_text_size

STORED_HEADERS = ("Content-Type",)


class Holes(list):
    """Template names of the personal parts, in page order, and this rendering's marker."""

    def __init__(self):
        super().__init__()
        # Random per rendering, so that no content can contain a marker by accident or on purpose.
        self.marker = secrets.token_hex(12)

    def add(self, template_name):
        self.append(template_name)
        return mark_safe(f"<!--personal-{self.marker}-{len(self) - 1}-->")  # noqa: S308


def holes_of(request):
    return getattr(request, "_personal_holes", None)


def render_personal_part(template_name, context):
    """What ``{% personal %}`` shows outside a shared rendering: the template, included."""
    return context.template.engine.get_template(template_name).render(context)


def fill(stored, request, context):
    marker = stored["marker"]
    parts = [render_to_string(name, context, request=request) for name in stored["holes"]]
    return re.sub(
        rf"<!--personal-{marker}-(\d+)-->",
        lambda match: parts[int(match.group(1))],
        stored["html"],
    )


class SharedRenderMixin:
    """For page models: serve the page from the audience's shared rendering."""

    # Lists of upcoming events move with the clock; a content write ends a copy sooner.
    shared_render_seconds = 60

    def shared_render_key(self, request):
        """Anything besides the audience that changes what this page shows; override to add."""
        return ()

    def personal_context(self, request):
        """The context the personal parts are rendered with."""
        return {"page": self, "self": self}

    def serve(self, request, *args, **kwargs):
        if getattr(request, "is_preview", False) or request.method not in ("GET", "HEAD"):
            return super().serve(request, *args, **kwargs)
        parts = (
            "shared-render",
            self.pk,
            request.scheme,
            request.get_host(),
            request.get_full_path(),
            get_language(),
            get_text_size(request),
            *self.shared_render_key(request),
        )

        key = fragment_key(audience_parts(parts, request))
        stored = cache.get(key) if key else None
        if stored is not None:
            response = self.shared_response(stored, request)
            response["X-Shared-Render"] = "hit"
            return response

        request._personal_holes = holes = Holes()
        try:
            response = super().serve(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
        finally:
            del request._personal_holes
        if response.status_code != 200 or response.streaming:
            return response  # not a plain page (cannot happen today): not shared, and no holes
        stored = {
            "html": response.content.decode(response.charset),
            "marker": holes.marker,
            "holes": list(holes),
            "headers": {name: response[name] for name in STORED_HEADERS if name in response},
        }
        if key:
            cache.set(key, stored, self.shared_render_seconds)
        response = self.shared_response(stored, request)
        response["X-Shared-Render"] = "miss"
        return response

    def shared_response(self, stored, request):
        response = HttpResponse(fill(stored, request, self.personal_context(request)))
        for name, value in stored["headers"].items():
            response[name] = value
        return response
