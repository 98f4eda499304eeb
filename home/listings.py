"""What the home page shows from the other apps (kennisbank items, upcoming events).

The kennisbank and events apps provide ``latest_items`` and ``upcoming_occurrences``; until such an
app exists (or if it is switched off), the home page simply shows nothing for it.
"""

try:
    from kennisbank.listings import latest_items
except ImportError:  # the kennisbank app does not provide listings (yet)
    latest_items = None

try:
    from events.listings import upcoming_occurrences
except ImportError:  # the events app does not provide listings (yet)
    upcoming_occurrences = None

HOME_PAGE_LIMIT = 3


def home_page_listings(request, locale):
    user = getattr(request, "user", None)
    context = {
        "has_kennisbank": latest_items is not None,
        "has_events": upcoming_occurrences is not None,
        "kennisbank_items": [],
        "upcoming_occurrences": [],
    }
    if latest_items is not None:
        context["kennisbank_items"] = latest_items(user, locale, limit=HOME_PAGE_LIMIT)
    if upcoming_occurrences is not None:
        context["upcoming_occurrences"] = upcoming_occurrences(
            user, locale=locale, limit=HOME_PAGE_LIMIT
        )
    return context
