from django import template

register = template.Library()


@register.filter
def glossary_links(html, linker):
    """Link first mentions of glossary terms in rendered rich text (see kennisbank.glossary)."""
    if not linker:
        return html
    return linker.link(html)


@register.simple_tag(takes_context=True)
def page_site_root_url(context, page):
    """``page.get_site.root_url`` without its work: Wagtail's ``get_site`` reads the sites' root
    paths from the cache (Redis) and the ``Site`` with a query, for every document link of a
    page; here the root URL comes from the page's URL parts, with the request's root paths
    (kept in the worker's memory, ``cms.sites``) when there is a request."""
    parts = page.get_url_parts(context.get("request"))
    if parts is None:
        return ""
    if parts[1] is None:  # no URL for the page itself; its site still has one
        site = page.get_site()
        return site.root_url if site else ""
    return parts[1]


@register.simple_tag(takes_context=True)
def item_glossary_linker(context, page):
    """A new glossary linker for the item's shared body (``{% shared %}``: no request), for the
    block's ``viewer`` and ``site``; see ``KennisbankItemPage.glossary_linker``."""
    return page.glossary_linker_for(context["viewer"], context.get("site"))


@register.simple_tag(takes_context=True)
def item_taxonomy(context, page):
    """The item's ``themes``, ``tags`` and ``related`` items for the ``viewer`` of the surrounding
    {% shared %} block; in a preview, the page's unsaved ones."""
    return page.taxonomy_for(context["viewer"], context.get("site"), preview=context["unsaved"])


@register.simple_tag(takes_context=True)
def kennisbank_browse_lists(context, index_page):
    """The index page's lists for the ``viewer`` of the surrounding {% shared %} block."""
    return index_page.browse_lists(context["viewer"])
