"""Kennisbank listings other apps use (the home page shows the newest items)."""

from home.privacy import visible_pages


def latest_items(user, locale, limit=3, parent=None):
    """The newest items of a locale that the user may see, in a constant number of queries.

    Returns ``KennisbankItemPage`` instances (not the specific subclasses): everything a listing
    shows (title, kind, date, summary, URL) lives on the shared table, so no per-type queries.
    Render them with ``templates/kennisbank/includes/item_list.html``.
    """
    from .models import KennisbankItemPage

    queryset = KennisbankItemPage.objects.filter(locale=locale)
    if parent is not None:
        queryset = queryset.descendant_of(parent)
    return list(
        visible_pages(queryset, user).order_by("-publication_date", "-first_published_at", "-pk")[
            :limit
        ]
    )
