"""Builds the main menu and footer links for one request with a fixed number of queries.

The menu is edited once (in Dutch) and localised at render time; see ``home.models.navigation``
for why. Per request: the two lists of items, one query for the linked pages *and* their
translations in the visitor's language, and the privacy filter of ``home.privacy``. Links to pages
the visitor may not see (unpublished, login- or group-restricted) are left out.
"""

from dataclasses import dataclass, replace

from django.db.models import Q
from django.utils import translation

from wagtail.models import Page

from home.caching import cached_for_audience
from home.models import FooterLink, MenuItem
from home.privacy import visible_pages

REQUEST_CACHE_ATTRIBUTE = "_home_navigation"


@dataclass
class MenuLink:
    label: str
    url: str
    page_id: int | None = None
    page_path: str = ""
    page_depth: int = 0
    is_external: bool = False
    is_current: bool = False
    is_ancestor: bool = False


def _label(item, page, language_code):
    if item.label:
        if language_code != "nl" and item.label_en:
            return item.label_en
        return item.label
    return page.title if page else item.link_url


def build_navigation(request, current_page=None):
    """Returns ``{"menu": [MenuLink...], "footer": [MenuLink...]}``, cached on the request.

    The links come from the fragment cache (``home.caching``), per audience: which links show
    depends only on the pages the visitor may see. The "current page" marks are added per request.
    """
    cached_navigation = getattr(request, REQUEST_CACHE_ATTRIBUTE, None)
    if cached_navigation is not None:
        return cached_navigation

    language_code = translation.get_language() or "nl"
    links = cached_for_audience(
        ("navigation", request.get_host(), language_code),
        request,
        lambda: _build_links(request, language_code),
    )

    current_path = getattr(current_page, "path", "")
    navigation = {}
    for name, items in links.items():
        navigation[name] = [
            replace(
                link,
                is_current=bool(current_path) and link.page_path == current_path,
                is_ancestor=bool(current_path)
                and link.page_depth > 2
                and link.page_path != current_path
                and current_path.startswith(link.page_path or "-"),
            )
            for link in items
        ]
    setattr(request, REQUEST_CACHE_ATTRIBUTE, navigation)
    return navigation


def _build_links(request, language_code):
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
            getattr(request, "user", None),
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
                url = page.get_url(request)
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
