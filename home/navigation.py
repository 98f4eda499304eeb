"""The main menu and footer links a viewer may see, built with a fixed number of queries.

The menu is edited once (in Dutch) and localised at render time; see ``home.models.navigation``
for why. Per site, language and audience (``home.privacy.audience``: which links show depends
only on the pages the visitor may see), once per content generation: the two lists of items, one
query for the linked pages *and* their translations in the visitor's language, and the privacy
filter of ``home.privacy``. Links to pages the visitor may not see (unpublished, login- or
group-restricted) are left out. Nothing here knows the request: the site header and footer are
shared fragments (``templates/includes/header.html``), and the one per-request part of the menu,
which link is the current page, is ``current_mark`` in a ``{% personal %}`` hole.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils import translation

from wagtail.models import Page

from home.caching import cached
from home.models import FooterLink, MenuItem
from home.privacy import audience, visible_pages


@dataclass
class MenuLink:
    label: str
    url: str
    page_id: int | None = None
    page_path: str = ""
    page_depth: int = 0
    is_external: bool = False


def _label(item, page, language_code):
    if item.label:
        if language_code != "nl" and item.label_en:
            return item.label_en
        return item.label
    return page.title if page else item.link_url


def navigation_links(site, viewer):
    """``{"menu": [MenuLink...], "footer": [MenuLink...]}`` for this site and viewer (a user or a
    ``home.privacy.Viewer``), from the fragment cache (``home.caching``)."""
    language_code = translation.get_language() or "nl"
    return cached(
        ("navigation", site.pk if site else None, language_code, audience(viewer)),
        lambda: _build_links(site, viewer, language_code),
    )


def current_mark(link_path, link_depth, current_path):
    """``aria-current``'s value for a menu link on the page at ``current_path``: "page" on the
    page itself, "true" on a page below it (not below the home page), else ""."""
    if not (current_path and link_path):
        return ""
    if link_path == current_path:
        return "page"
    if link_depth > 2 and current_path.startswith(link_path):
        return "true"
    return ""


def _build_links(site, viewer, language_code):
    # NavigationSettings is a generic (one per installation) setting: every item belongs to it.
    menu_items = list(MenuItem.objects.select_related("link_page").order_by("sort_order"))
    footer_items = list(FooterLink.objects.select_related("link_page").order_by("sort_order"))
    linked_pages = [item.link_page for item in menu_items + footer_items if item.link_page_id]

    pages_by_key = {}
    if linked_pages:
        keys = {page.translation_key for page in linked_pages}
        candidates = visible_pages(
            Page.objects.filter(
                Q(pk__in=[page.pk for page in linked_pages])
                | Q(translation_key__in=keys, locale__language_code=language_code)
            ).select_related("locale"),
            viewer,
        )
        for page in candidates:
            # Prefer the translation in the visitor's language; fall back to the linked page.
            if page.locale.language_code == language_code or page.translation_key not in (
                pages_by_key
            ):
                pages_by_key[page.translation_key] = page

    def links(items):
        result = []
        for item in items:
            if item.link_page_id:
                page = pages_by_key.get(item.link_page.translation_key)
                if page is None:  # not live or not visible for this visitor
                    continue
                url = page.get_url(current_site=site)
                if url:
                    result.append(
                        MenuLink(
                            label=_label(item, page, language_code),
                            url=url,
                            page_id=page.pk,
                            page_path=page.path,
                            page_depth=page.depth,
                        )
                    )
            elif item.link_url:
                result.append(
                    MenuLink(
                        label=_label(item, None, language_code),
                        url=item.link_url,
                        is_external=True,
                    )
                )
        return result

    return {"menu": links(menu_items), "footer": links(footer_items)}
