from django import template

register = template.Library()


@register.filter
def glossary_links(html, linker):
    """Link first mentions of glossary terms in rendered rich text (see kennisbank.glossary)."""
    if not linker:
        return html
    return linker.link(html)
