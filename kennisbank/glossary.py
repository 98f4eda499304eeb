"""Link the first mention of each glossary term in an item's text to its definition.

A ``GlossaryLinker`` is made once per page view (``KennisbankItemPage.glossary_linker``: two
queries, the terms of the page's language and the glossary page) and used by the
``glossary_links`` template filter on every rich text block of the page, so each term is linked
only once per page, however many blocks mention it.
Text inside links and headings is left alone.
"""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

TAG_OR_TEXT = re.compile(r"(<[^>]+>)")
SKIP_ELEMENTS = {"a", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre"}


class GlossaryLinker:
    def __init__(self, terms, glossary_url):
        self.glossary_url = glossary_url
        self.linked = set()
        # Longest terms first, so "zorgzame gemeenschap" wins over a shorter overlapping term.
        self.terms = sorted(
            ((term.term, term.slug) for term in terms if term.term.strip()),
            key=lambda pair: -len(pair[0]),
        )
        self.patterns = {
            slug: re.compile(rf"(?<!\w)({re.escape(term)})(?!\w)", re.IGNORECASE)
            for term, slug in self.terms
        }

    def link(self, html):
        parts = TAG_OR_TEXT.split(str(html))
        open_skipped = 0
        for index, part in enumerate(parts):
            if part.startswith("<"):
                name = re.match(r"</?\s*([a-zA-Z0-9]+)", part)
                if name and name.group(1).lower() in SKIP_ELEMENTS:
                    open_skipped += -1 if part.startswith("</") else 1
                    open_skipped = max(open_skipped, 0)
                continue
            if open_skipped or not part.strip():
                continue
            parts[index] = self._link_text(part)
        return mark_safe("".join(parts))

    def _link_text(self, text):
        for _term, slug in self.terms:
            if slug in self.linked:
                continue
            pattern = self.patterns[slug]
            match = pattern.search(text)
            if not match:
                continue
            self.linked.add(slug)
            link = (
                f'<a class="kb-term-link" href="{escape(self.glossary_url)}#begrip-{escape(slug)}">'
                f"{match.group(1)}</a>"
            )
            # Link inside the text before and after the match too (other terms).
            return (
                self._link_text(text[: match.start()]) + link + self._link_text(text[match.end() :])
            )
        return text
