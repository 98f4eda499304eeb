"""The home page's lists from the apps above home (kennisbank items, upcoming events).

``home`` is the foundation and imports no app above it. An app that has something to show on the
home page registers a ``HomeListing`` from its ``AppConfig.ready()``; the home page renders every
registered listing's own template, in ``order``. See docs/architecture.md.
"""

from collections.abc import Callable
from dataclasses import dataclass

HOME_PAGE_LIMIT = 3

_listings: dict[str, "HomeListing"] = {}


@dataclass(frozen=True)
class HomeListing:
    """``items(user, locale, limit)`` returns what the user may see; ``template`` renders them
    (it gets ``items``) as one section of the home page."""

    name: str
    template: str
    items: Callable
    order: int = 0


def register(listing):
    """Add (or replace, by name) a listing; called from an app's ``AppConfig.ready()``."""
    _listings[listing.name] = listing


def registered():
    return sorted(_listings.values(), key=lambda listing: (listing.order, listing.name))


def home_page_listings(user, locale):
    """``[{"name": ..., "template": ..., "items": [...]}, ...]``: what ``user`` (a user or a
    ``home.privacy.Viewer``) may see in each registered listing."""
    return [
        {
            "name": listing.name,
            "template": listing.template,
            "items": list(listing.items(user, locale, HOME_PAGE_LIMIT)),
        }
        for listing in registered()
    ]
